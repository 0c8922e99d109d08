"""Real subprocesses for the crash tests: start, SIGKILL, restart, and keep their logs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path


class Process:
    """A child Python process whose output goes to a log file that a failing test can show."""

    def __init__(self, args: Sequence[str], env: dict[str, str], name: str) -> None:
        self.args, self.env, self.name = list(args), env, name
        self.log_path = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self, **extra_env: str) -> Process:
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            [sys.executable, *self.args],
            env=os.environ | self.env | extra_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, exactly like a crash."""
        if self.alive():
            assert self.popen is not None  # alive() says it was started
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=30)

    def stop(self, timeout: float = 20.0) -> None:
        if not self.alive():
            return
        assert self.popen is not None  # alive() says it was started
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
