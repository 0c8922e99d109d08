"""Reading whole topics from the beginning to their current end (no consumer group, no commits): the
runtime's reader, shared with every service's rebuild (`linkwell_runtime.replay`)."""

from __future__ import annotations

from linkwell_runtime.replay import count_to_end, read_to_end

__all__ = ["count_to_end", "read_to_end"]
