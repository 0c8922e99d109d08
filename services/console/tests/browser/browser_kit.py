"""Screenshots as test artefacts, the axe-core check and the processes, for the browser tests."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
from console_testkit import REPO

from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET
from linkwell_runtime.testing import wait_until
from linkwell_runtime.testing.processes import Process

ARTEFACTS = REPO / ".local" / "test-artefacts" / "console"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in result if v.get("impact") in ("serious", "critical")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def uvicorn(factory: str, port: int, env: dict[str, str], name: str) -> Process:
    args = ["-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return Process(args, {"ENVIRONMENT": "test", "JWT_SECRET": DEVELOPMENT_JWT_SECRET, **env}, name).start()


def serving(process: Process, url: str, timeout: float = 60) -> None:
    """Wait until the process answers its health check; fail at once, with its log, if it exits first
    (a process that died at start-up would otherwise be waited for the whole timeout)."""

    def probe() -> bool:
        if not process.alive():
            raise AssertionError(
                f"{process.name} exited ({process.returncode}) before answering:\n{process.log_tail()}"
            )
        return answers(url)

    wait_until(probe, timeout=timeout, what=f"the {process.name} process")


def answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
