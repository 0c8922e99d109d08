"""Starts again a container that `docker kill` stopped.

The engine restarts a container whose process exits (`restart: unless-stopped`), but `docker kill`
(and `docker compose kill`) disables the container's restart policy until it is next started
(docker-kill(1); moby's killWithSignal cancels the restart manager), so a relay or consumer killed
that way would stay down. This process follows the engine's events for containers labelled
WATCHDOG_LABEL. When one dies and, WATCHDOG_GRACE_SECONDS later, it is not running again (the engine
restarted it), was not stopped on purpose (`docker stop`, `docker compose stop` or `down` end with a
`stop` event) and was not removed, it is started again, and that is logged. A container stopped on
purpose stays stopped; one-shot jobs (restart policy "no") are never started again.

    python /app/watchdog.py          # watch (the `watchdog` service of docker-compose.yml)

Its healthcheck is `python /app/healthcheck.py engine` (the engine answers on the socket).

Settings: DOCKER_SOCKET (the engine's socket inside the container, default /var/run/docker.sock),
WATCHDOG_LABEL (default linkwell.watchdog=restart), WATCHDOG_GRACE_SECONDS (default 3).
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import UTC, datetime

import httpx

SOCKET = os.environ.get("DOCKER_SOCKET", "/var/run/docker.sock")
LABEL = os.environ.get("WATCHDOG_LABEL", "linkwell.watchdog=restart")
GRACE = float(os.environ.get("WATCHDOG_GRACE_SECONDS", "3"))
# The policies under which the engine would have restarted a crashed container.
RESTARTING_POLICIES = {"always", "unless-stopped", "on-failure"}


def log(message: str) -> None:
    print(f"{datetime.now(UTC).isoformat(timespec='seconds')} watchdog: {message}", flush=True)


def engine(timeout: float | None = 10.0) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(uds=SOCKET), base_url="http://docker", timeout=timeout)


class Watchdog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._died: dict[str, int] = {}  # container id -> timeNano of its last `die`
        self._stopped: dict[str, int] = {}  # container id -> timeNano of its last `stop`

    def on_event(self, event: dict) -> None:
        action, cid, at = event.get("Action") or event.get("status"), event.get("id", ""), event.get("timeNano", 0)
        with self._lock:
            if action == "die":
                self._died[cid] = at
                threading.Timer(GRACE, self._decide, (cid, at, event)).start()
            elif action in ("stop", "destroy"):  # stopped on purpose, or removed
                self._stopped[cid] = at

    def _decide(self, cid: str, died_at: int, event: dict) -> None:
        name = event.get("Actor", {}).get("Attributes", {}).get("name", cid[:12])
        with self._lock:
            if self._died.get(cid) != died_at:
                return  # it died again since: that death decides
            if self._stopped.get(cid, 0) >= died_at:
                log(f"{name} was stopped on purpose: left stopped")
                return
        try:
            with engine() as client:
                answer = client.get(f"/containers/{cid}/json")
                if answer.status_code == 404:
                    return  # removed
                answer.raise_for_status()
                state, host = answer.json()["State"], answer.json()["HostConfig"]
                policy = host.get("RestartPolicy", {}).get("Name") or "no"
                if state.get("Running") or state.get("Restarting") or policy not in RESTARTING_POLICIES:
                    return  # the engine restarted it, or it is a one-shot job
                started = client.post(f"/containers/{cid}/start")
                if started.status_code in (204, 304):
                    exit_code = state.get("ExitCode")
                    log(f"{name} was killed (exit {exit_code}, no stop): started it again")
                else:
                    log(f"{name}: could not start it again: {started.status_code} {started.text.strip()}")
        except httpx.HTTPError as exc:
            log(f"{name}: the engine did not answer ({exc}); not started again")

    def watch(self) -> None:
        filters = json.dumps({"type": ["container"], "label": [LABEL], "event": ["die", "stop", "destroy"]})
        delay = 1.0
        while True:
            try:
                with engine(timeout=None) as client, client.stream("GET", "/events", params={"filters": filters}) as r:
                    r.raise_for_status()
                    log(f"watching containers labelled {LABEL} (grace {GRACE:g}s)")
                    delay = 1.0
                    for line in r.iter_lines():
                        if line.strip():
                            self.on_event(json.loads(line))
            except (httpx.HTTPError, json.JSONDecodeError) as exc:
                log(f"event stream lost ({exc}); again in {delay:g}s")
            time.sleep(delay)
            delay = min(delay * 2, 30.0)


if __name__ == "__main__":
    Watchdog().watch()
