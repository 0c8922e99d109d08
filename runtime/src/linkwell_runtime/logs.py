"""Structured logs: one JSON object per line, configured once per process (`configure_logging`).

Every line carries `ts`, `level`, `service`, `process`, `logger` and `message`, and `request_id`
while a request is being handled (the `X-Request-ID` it came with, or the one set on it: see
`request_context`). Messages are the code's own templates with ids and counts as arguments: never a
name, an NHS number or free text from a request or an event (the code logs ids, never payloads).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from linkwell_runtime.request_context import current_request_id

# Attributes every LogRecord has; anything else passed with `extra=` is written as a field of its own.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str, process: str) -> None:
        super().__init__()
        self.service, self.process = service, process

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "process": self.process,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id is not None:
            line["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(service: str, process: str, level: str | None = None) -> None:
    """Send every logger's records to stderr as JSON lines (`LOG_LEVEL`, default info). Idempotent:
    a second call replaces the handler it installed rather than adding another."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_linkwell", False) or isinstance(handler.formatter, JsonFormatter):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service, process))
    handler._linkwell = True  # type: ignore[attr-defined]  # marks the handler this module installed
    root.addHandler(handler)
    root.setLevel((level or os.environ.get("LOG_LEVEL", "INFO")).upper())
    logging.getLogger("kafka").setLevel(max(logging.WARNING, root.level))  # one line per connection otherwise
    # uvicorn's access log would write the raw path (ids, query strings) as free text: the request
    # metrics and the request-id lines replace it.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = name != "uvicorn.access"


def logging_config(service: str, process: str, level: str = "WARNING") -> dict[str, Any]:
    """The same JSON lines as a `logging.config.dictConfig` (for faust's worker, which configures
    logging itself when it starts)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, "service": service, "process": process}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"level": os.environ.get("LOG_LEVEL", level).upper(), "handlers": ["stderr"]},
    }


def service_of(database_url: str) -> str:
    """A process's service from its database (`.../linkwell_referral` → `referral`)."""
    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    return name.removeprefix("linkwell_") or "linkwell"
