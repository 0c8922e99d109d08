"""The console process's log holds no URL a person asked for: a search by name or NHS number travels
in the query string, and uvicorn's access log would write it to a file that outlives any erasure."""

from __future__ import annotations

import httpx
from browser_kit import free_port, serving

from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET
from linkwell_runtime.testing.processes import Process

NHS = "9434765919"


def test_a_search_in_the_console_leaves_no_trace_in_its_log(platform):
    port = free_port()
    args = ["-m", "uvicorn", "--factory", "console.entrypoints.app:app_from_env", "--host", "127.0.0.1"]
    env = {"ENVIRONMENT": "test", "JWT_SECRET": DEVELOPMENT_JWT_SECRET, **platform.console_env}
    console = Process([*args, "--port", str(port)], env, "console-info-log").start()  # uvicorn's own level: info
    try:
        url = f"http://127.0.0.1:{port}"
        serving(console, url)
        for path in (f"/caseload?q={NHS}", f"/referrals?q=Elaine+{NHS}", f"/sign-in?next=/caseload%3Fq%3D{NHS}"):
            httpx.get(f"{url}{path}", timeout=10)
    finally:
        console.stop()
    log = console.log_path.read_text()
    assert '"service": "console"' in log  # it does log, as JSON lines
    assert NHS not in log and "Elaine" not in log
