"""The audit log: one JSON line per write and per denied request, appended, never rewritten.

A line holds the time, the event (``write``, ``denied``, ``admin``), the actor's token id,
role and organisation (never a token), the client address, the request and the reason of the
decision. Lines are flushed as they are written, so a crash loses at most the line being
written; a reader skips a torn last line.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path


class AuditLog:
    """Append-only JSON lines in one file, shared by the threads of one server."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "a", encoding="utf-8")

    def record(self, event: str, **fields: object) -> None:
        line = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event,
                **{k: v for k, v in fields.items() if v is not None}}
        text = json.dumps(line, ensure_ascii=False, sort_keys=True, default=str)
        with self._lock:
            self._file.write(text + "\n")
            self._file.flush()

    def read(self, *, since: str | None = None, event: str | None = None,
             limit: int = 1000) -> list[dict[str, object]]:
        """The last ``limit`` lines at or after ``since`` (an ISO time), of one event or all."""
        selected: list[dict[str, object]] = []
        for line in self._lines():
            if since is not None and str(line["time"]) < since:
                continue
            if event is not None and line["event"] != event:
                continue
            selected.append(line)
        return selected[-limit:]

    def close(self) -> None:
        self._file.close()

    def _lines(self) -> Iterator[dict[str, object]]:
        with open(self.path, encoding="utf-8") as source:
            for text in source:
                try:
                    yield json.loads(text)
                except json.JSONDecodeError:  # a torn line after a crash
                    continue
