"""A small supervisor for the platform's processes under `make up` (docs/architecture.md §1.1).

`deploy/bin/processes start` runs one supervisor per line of `deploy/processes.conf`, in its own
session with the pid file and log it always had; the supervisor runs the line's command as its child
and, when the child exits without being asked to, starts it again after a back-off (1 s doubling to
30 s; back to 1 s once a run lasted 30 s). Every exit and restart is logged (JSON lines, in the
process's log) and counted in `<run dir>/<name>.state.json`, which `make status` and `linkwell status`
read. SIGTERM to the supervisor is passed to the child, and the supervisor exits with it.

    python -m linkwell_runtime.supervisor run --run-dir DIR --name NAME -- COMMAND
    python -m linkwell_runtime.supervisor status --run-dir DIR --conf deploy/processes.conf [--json]

Why our own and not Debian's `supervisor`: it needs no root and no package install, keeps the pid
files, logs and `processes.conf` lines as they are, and `make status` reads the same files.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from linkwell_runtime.logs import configure_logging

log = logging.getLogger("linkwell.supervisor")


@dataclass
class ProcessState:
    name: str
    state: str  # starting | running | backoff | stopped
    supervisor_pid: int
    pid: int | None = None
    started_at: float | None = None  # the current child's start (unix time)
    restarts: int = 0
    last_exit: str | None = None  # "exit 1" / "signal SIGKILL"
    last_exit_at: float | None = None
    next_start_at: float | None = None


@dataclass(frozen=True)
class Backoff:
    initial: float = 1.0
    maximum: float = 30.0
    stable_after: float = 30.0  # a run at least this long resets the delay

    @classmethod
    def from_env(cls) -> Backoff:
        env = os.environ
        return cls(
            float(env.get("LINKWELL_RESTART_BACKOFF", cls.initial)),
            float(env.get("LINKWELL_RESTART_BACKOFF_MAX", cls.maximum)),
            float(env.get("LINKWELL_RESTART_STABLE_SECONDS", cls.stable_after)),
        )

    def delay(self, quick_failures: int) -> float:
        return float(min(self.maximum, self.initial * 2 ** max(0, quick_failures - 1)))


def state_path(run_dir: Path, name: str) -> Path:
    return run_dir / f"{name}.state.json"


def write_state(run_dir: Path, state: ProcessState) -> None:
    path = state_path(run_dir, state.name)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(asdict(state)))
    tmp.replace(path)  # readers never see half a file


def read_state(run_dir: Path, name: str) -> ProcessState | None:
    try:
        return ProcessState(**json.loads(state_path(run_dir, name).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"exit {returncode}"


class Supervisor:
    def __init__(self, run_dir: Path, name: str, command: str, backoff: Backoff, stop_timeout: float = 9.0) -> None:
        self.run_dir, self.name, self.command, self.backoff = run_dir, name, command, backoff
        self.stop_timeout = stop_timeout
        self.stopping = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None
        self.state = ProcessState(name=name, state="starting", supervisor_pid=os.getpid())

    def request_stop(self, *_: Any) -> None:
        self.stopping.set()
        child = self.child
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    def stop_orphan(self) -> None:
        """A child left running by a supervisor that was killed (its process group is that supervisor's
        pid) is stopped before a new one starts: never two of one process."""
        before = read_state(self.run_dir, self.name)
        if before is None or before.pid is None or before.supervisor_pid == os.getpid():
            return
        if pid_alive(before.supervisor_pid) or not pid_alive(before.pid):
            return
        try:
            if os.getpgid(before.pid) != before.supervisor_pid:
                return  # the pid was reused by something else
            os.kill(before.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + self.stop_timeout
        while pid_alive(before.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid_alive(before.pid):
            os.kill(before.pid, signal.SIGKILL)
        self.state.restarts = before.restarts
        log.warning(
            "stopped a child its killed supervisor left running", extra={"target": self.name, "pid": before.pid}
        )

    def run(self) -> int:
        quick_failures = 0
        self.stop_orphan()
        while not self.stopping.is_set():
            started = time.time()
            # the line's command as the old runner ran it: word-split by bash, run through env; the
            # child stays in the supervisor's process group, so a group SIGKILL takes both
            self.child = subprocess.Popen(["bash", "-c", f"exec env {self.command}"], stdin=subprocess.DEVNULL)
            self.state.state, self.state.pid, self.state.started_at = "running", self.child.pid, started
            self.state.next_start_at = None
            write_state(self.run_dir, self.state)
            log.info(
                "process started", extra={"target": self.name, "pid": self.child.pid, "restarts": self.state.restarts}
            )
            if self.stopping.is_set():  # asked to stop while starting: the handler saw no child
                self.child.send_signal(signal.SIGTERM)
            returncode = self.child.wait()
            if self.stopping.is_set():
                break
            ran = time.time() - started
            quick_failures = 0 if ran >= self.backoff.stable_after else quick_failures + 1
            delay = self.backoff.delay(max(1, quick_failures))
            self.state.restarts += 1
            self.state.state, self.state.pid = "backoff", None
            self.state.last_exit, self.state.last_exit_at = describe_exit(returncode), time.time()
            self.state.next_start_at = time.time() + delay
            write_state(self.run_dir, self.state)
            log.warning(
                "process exited; restarting after back-off",
                extra={
                    "target": self.name,
                    "exit": self.state.last_exit,
                    "ran_seconds": round(ran, 1),
                    "restart": self.state.restarts,
                    "delay_seconds": round(delay, 2),
                },
            )
            self.stopping.wait(delay)
        self._finish()
        return 0

    def _finish(self) -> None:
        child = self.child
        if child is not None and child.poll() is None:
            try:
                child.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if child is not None and child.returncode is not None:
            self.state.last_exit = describe_exit(child.returncode)
        self.state.state, self.state.pid, self.state.next_start_at = "stopped", None, None
        write_state(self.run_dir, self.state)
        log.info("process stopped", extra={"target": self.name, "restarts": self.state.restarts})


# -- status -------------------------------------------------------------------------------------


def pid_alive(pid: int | None) -> bool:
    """The pid exists and is not a zombie (pid 1 here may never reap exited processes)."""
    if not pid:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def configured_names(conf: Path) -> list[str]:
    names = []
    for line in conf.read_text().splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            names.append(stripped.split()[0])
    return names


def process_status(run_dir: Path, names: list[str], now: float | None = None) -> list[dict[str, Any]]:
    """Each configured process: state (running, backoff, stopped, dead: its supervisor is gone), the
    child's pid, uptime in seconds, restarts and the last exit."""
    now = time.time() if now is None else now
    rows = []
    for name in names:
        pidfile = run_dir / f"{name}.pid"
        try:
            supervisor_pid: int | None = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            supervisor_pid = None
        state = read_state(run_dir, name)
        supervised = pid_alive(supervisor_pid)
        row: dict[str, Any] = {
            "name": name,
            "state": "stopped",
            "pid": None,
            "uptime_seconds": None,
            "restarts": state.restarts if state else 0,
            "last_exit": state.last_exit if state else None,
        }
        if supervised and state is not None and state.supervisor_pid == supervisor_pid:
            row["state"] = state.state
            if state.state == "running" and pid_alive(state.pid):
                row["pid"], row["uptime_seconds"] = state.pid, round(now - (state.started_at or now), 1)
            elif state.state == "running":
                row["state"] = "restarting"  # the child is gone and the supervisor has not written yet
        elif supervised:
            row["state"], row["pid"] = "running", supervisor_pid  # started by an unsupervised runner
        elif state is not None and state.state != "stopped":
            row["state"] = "dead"  # the supervisor itself was killed: `make up` starts it again
            if state.pid is not None and pid_alive(state.pid):
                row["state"], row["pid"] = "unsupervised", state.pid  # its child still runs
        rows.append(row)
    return rows


def format_uptime(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    return (
        f"{s // 86400}d{s % 86400 // 3600:02d}h" if s >= 86400 else f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    )


def status_table(rows: list[dict[str, Any]]) -> str:
    header = ("PROCESS", "STATE", "PID", "UPTIME", "RESTARTS", "LAST EXIT")
    lines = [header] + [
        (
            r["name"],
            r["state"],
            str(r["pid"] or "-"),
            format_uptime(r["uptime_seconds"]),
            str(r["restarts"]),
            r["last_exit"] or "-",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m linkwell_runtime.supervisor", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run COMMAND and restart it with back-off whenever it exits")
    run.add_argument("--run-dir", type=Path, required=True, help="where the state file goes")
    run.add_argument("--name", required=True, help="the process's name in processes.conf")
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="the command line (after --)")
    status = commands.add_parser("status", help="each configured process; exit 1 unless all are running")
    status.add_argument("--run-dir", type=Path, required=True)
    status.add_argument("--conf", type=Path, required=True, help="deploy/processes.conf")
    status.add_argument("--json", action="store_true", help="JSON for machines")
    args = parser.parse_args(argv)
    if args.command == "status":
        rows = process_status(args.run_dir, configured_names(args.conf))
        print(json.dumps(rows, indent=2) if args.json else status_table(rows))
        return 0 if rows and all(r["state"] == "running" for r in rows) else 1
    words = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not words:
        parser.error("run: give the command after --")
    configure_logging("platform", f"supervisor:{args.name}")
    args.run_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(args.run_dir, args.name, " ".join(words), Backoff.from_env())
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    try:
        return supervisor.run()
    except BaseException:  # never leave the child running unsupervised
        log.exception("supervisor failed", extra={"target": args.name})
        supervisor.request_stop()
        supervisor._finish()
        raise


if __name__ == "__main__":
    sys.exit(main())
