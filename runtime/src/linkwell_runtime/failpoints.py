"""Named crash points for the kill tests: the process SIGKILLs itself where a real crash hurts most.

Off unless LINKWELL_FAILPOINTS names the point, e.g. "relay.after_publish" or
"consumer.mid_batch@3" (the third time it is reached). Costs one dict lookup when off.
"""

from __future__ import annotations

import os
import signal

_armed: dict[str, int] = {}
for _spec in filter(None, os.environ.get("LINKWELL_FAILPOINTS", "").split(",")):
    _name, _, _nth = _spec.partition("@")
    _armed[_name.strip()] = int(_nth or 1)


def reach(name: str) -> None:
    if name not in _armed:
        return
    _armed[name] -= 1
    if _armed[name] <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
