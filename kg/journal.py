"""A redo journal that makes large graph writes all-or-nothing across crashes.

Oxigraph's fast loaders (``bulk_load``) and graph removal are not transactional, and doing
the same work through one SPARQL transaction is about ten times slower (measured, 200k
triples: 13 s for ``ADD`` against 1.5 s for ``bulk_load``). So a Graph Store write is
journalled: the body is spooled to a file and checked, then an *intent* naming the target
graph and the files is made durable (written, fsynced, renamed into place), and only then
is the store changed.
If the process dies while applying, the next start finds the intent and applies it again;
applying is idempotent (replace: remove the graph, load the files; add: load the files;
drop: remove the graph). A
write that dies before its intent is durable left the store untouched, and its spool files are
discarded.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

_COPY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SpooledFile:
    """A document body saved in the journal, with what is needed to parse it again."""

    path: str
    media_type: str
    base_iri: str | None
    name: str | None


@dataclass(frozen=True)
class Intent:
    """A write that must be applied in full to ``graph`` (None: the default graph).

    ``action`` is ``replace`` (the graph holds exactly the files), ``add`` (the files are
    added) or ``drop`` (the graph is removed).
    """

    id: str
    graph: str | None
    action: str
    files: tuple[SpooledFile, ...]
    provenance: str | None = None  # an N-Quads file: the write's PROV-O record


class Journal:
    """Spool files and durable intents in one directory beside the store.

    >>> import io, tempfile
    >>> journal = Journal(Path(tempfile.mkdtemp()))
    >>> entry = journal.begin()
    >>> spooled = journal.spool(entry, io.BytesIO(b"<a> <b> <c> ."), media_type="text/turtle",
    ...                         base_iri=None, name=None)
    >>> intent = journal.commit(Intent(entry, "http://ex/g", "replace", (spooled,)))
    >>> [i.graph for i in journal.pending()]
    ['http://ex/g']
    >>> journal.finish(intent.id)
    >>> list(journal.pending())
    []
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def begin(self) -> str:
        entry = uuid.uuid4().hex
        (self.root / entry).mkdir()
        return entry

    def spool(
        self, entry: str, body: BinaryIO, *, media_type: str, base_iri: str | None,
        name: str | None,
    ) -> SpooledFile:
        """Copy a body to the journal in bounded chunks, never holding it whole in memory."""
        path = self.root / entry / f"{len(list((self.root / entry).iterdir()))}.body"
        with path.open("wb") as file:
            shutil.copyfileobj(body, file, _COPY_BYTES)
            file.flush()
            os.fsync(file.fileno())
        return SpooledFile(str(path), media_type, base_iri, name)

    def spool_text(self, entry: str, text: str) -> str:
        """Save a small text (the provenance record) in the entry, durably; its path."""
        path = self.root / entry / "provenance.nq"
        with path.open("w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        return str(path)

    def commit(self, intent: Intent) -> Intent:
        """Make the intent durable; from now on the write will be applied in full."""
        temporary = self.root / f"{intent.id}.intent.tmp"
        with temporary.open("w", encoding="utf-8") as file:
            json.dump(asdict(intent), file)
            file.flush()
            os.fsync(file.fileno())
        temporary.rename(self.root / f"{intent.id}.intent")
        _fsync_directory(self.root)
        return intent

    def finish(self, entry: str) -> None:
        """Forget a write that was applied in full, or abandoned before its intent."""
        (self.root / f"{entry}.intent").unlink(missing_ok=True)
        shutil.rmtree(self.root / entry, ignore_errors=True)

    def pending(self) -> Iterator[Intent]:
        """Intents of writes that were not finished (the process died while applying)."""
        for path in sorted(self.root.glob("*.intent")):
            data = json.loads(path.read_text(encoding="utf-8"))
            files = tuple(SpooledFile(**f) for f in data.pop("files"))
            yield Intent(files=files, **data)

    def discard_unfinished(self) -> None:
        """Remove spool directories and half-written intents that no intent refers to."""
        kept = {intent.id for intent in self.pending()}
        for path in self.root.iterdir():
            if path.is_dir() and path.name not in kept:
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.endswith(".intent.tmp"):
                path.unlink(missing_ok=True)


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
