"""Log output: the usual text lines, or one JSON object per line (WORKSPACE_LOG_FORMAT=json)
for a log collector; the api's uvicorn loggers and the worker's use the same format."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from app.core.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "arq")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(settings: Settings) -> None:
    """Apply the setting to the root logger and to the loggers uvicorn and arq set up."""
    if settings.log_format == "text":
        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO, format=TEXT_FORMAT)
        return
    formatter = JsonFormatter()
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
        root.setLevel(logging.INFO)
    for name in _LOGGERS:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
