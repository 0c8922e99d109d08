"""Start (or reuse) the real broker and database for tests, with the project's own deploy scripts.

`KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` point at running servers to reuse them; otherwise the
scripts under deploy/bin start a test broker and cluster on their own ports and state directory,
apart from a running demo, and stop them at the end (only if they started them).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

TEST_PORTS = {"KAFKA_PORT": "29092", "KAFKA_CONTROLLER_PORT": "29093", "PG_PORT": "25433"}


def repo_root() -> Path:
    start = Path(os.environ.get("LINKWELL_ROOT", Path.cwd())).resolve()
    for path in (start, *start.parents):
        if (path / "deploy" / "bin" / "kafka").exists():
            return path
    raise RuntimeError("cannot find the Linkwell repository (deploy/bin/kafka); set LINKWELL_ROOT")


@dataclass
class LocalServer:
    """A server run by one of the deploy scripts; stopped at the end only if we started it."""

    script: str
    started_here: bool = False

    def _run(self, command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        root = repo_root()
        # LINKWELL_TEST_STATE_DIR (with the LINKWELL_TEST_*_PORT variables) keeps two test runs on
        # one machine apart: each starts its own broker and cluster instead of racing on one.
        env = os.environ | {"LINKWELL_STATE_DIR": str(test_state_dir()), "PG_FAST": "1"}
        env |= {k: os.environ.get(f"LINKWELL_TEST_{k}", v) for k, v in TEST_PORTS.items()}
        return subprocess.run(
            [str(root / "deploy" / "bin" / self.script), command],
            env=env,
            check=check,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def start(self) -> None:
        if self._run("status", check=False).returncode != 0:
            result = self._run("start", check=False)
            if result.returncode != 0:
                raise RuntimeError(f"{self.script} start failed:\n{result.stdout}\n{result.stderr}")
            self.started_here = True

    def stop(self) -> None:
        if self.started_here:
            self._run("stop", check=False)


def test_state_dir() -> Path:
    """The test servers' state (LINKWELL_TEST_STATE_DIR, default <repo>/.local/test)."""
    return Path(os.environ.get("LINKWELL_TEST_STATE_DIR", str(repo_root() / ".local" / "test")))


def kafka_password_file(principal: str) -> Path:
    """Where the test broker keeps a principal's password (deploy/bin/kafka; the container's
    passwords are written there too, then handed to it)."""
    return test_state_dir() / "kafka" / "secrets" / f"{principal}.password"


def test_port(name: str) -> str:
    return os.environ.get(f"LINKWELL_TEST_{name}", TEST_PORTS[name])
