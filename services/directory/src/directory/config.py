"""Settings of the directory service: environment only (see README for every variable)."""

from __future__ import annotations

from contracts import topics
from linkwell_runtime.settings import PlatformSettings


class Settings(PlatformSettings):
    database_url: str = "postgresql://linkwell_directory@127.0.0.1:25432/linkwell_directory"
    http_port: int = 8003
    directory_topic: str = topics.DIRECTORY
    default_per_page: int = 50
    max_per_page: int = 200
    seed_demo_data: bool = False  # publish the demo directory at start-up (idempotent)
