"""Every write to the store goes through here: SPARQL Update and Graph Store writes.

Writes are serialized by one lock. A SPARQL update is one pyoxigraph transaction. A Graph
Store write is spooled to the journal (``kg.journal``), parsed once to reject a malformed
body before anything changes, made durable as an intent, then applied with Oxigraph's fast
loaders: a crash while applying is finished by the next start, so the target graph holds all
of the write or none of it. Queries run on checkpoints made after each commit
(``on_commit``), so they never see a write half-applied.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import RdfSyntaxError
from kg.journal import Intent, Journal, SpooledFile
from kg.sparql_text import has_keyword, refuse_fetching
from kg.store import EmbeddedStore
from kg.update import require_valid_update, with_using_clauses, without_silent_loads


@dataclass(frozen=True)
class GraphTarget:
    """The graph a Graph Store request names: an IRI, or ``None`` for the default graph."""

    iri: str | None

    @property
    def sparql(self) -> str:
        return "DEFAULT" if self.iri is None else f"GRAPH <{self.iri}>"


@dataclass(frozen=True)
class Document:
    """An RDF document to write: a readable body, its format, and the base for relative IRIs."""

    body: BinaryIO
    format: ox.RdfFormat
    base_iri: str | None = None
    name: str | None = None


# a load this large leaves many small files behind; compacting makes later reads faster
COMPACT_AFTER_BYTES = 8 * 1024 * 1024


class Ingest:
    """The single writer of one store.

    >>> import io
    >>> store = EmbeddedStore.in_memory()
    >>> ingest = Ingest(store)
    >>> doc = Document(io.BytesIO(b"<http://ex/a> <http://ex/p> 1 ."), ox.RdfFormat.TURTLE)
    >>> ingest.replace_graph(GraphTarget("http://ex/g"), [doc])
    True
    >>> store.named_graphs(), store.triple_count()
    (['http://ex/g'], 1)
    """

    def __init__(
        self,
        store: EmbeddedStore,
        *,
        on_commit: Callable[[], None] = lambda: None,
        allow_load: bool = False,
        allow_service: bool = False,
    ) -> None:
        self._store = store
        self._on_commit = on_commit
        self._allow_load = allow_load
        self._allow_service = allow_service
        self._lock = threading.Lock()
        journal_root = (
            store.location.with_name(store.location.name + ".journal")
            if store.location is not None
            else Path(tempfile.mkdtemp(prefix="htkg-journal-"))
        )
        self._journal = Journal(journal_root)
        self._journal.discard_unfinished()
        for intent in self._journal.pending():  # writes a crash interrupted: finish them
            self._apply(intent)

    def update(
        self,
        text: str,
        *,
        base_iri: str | None = None,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
    ) -> None:
        """Apply a SPARQL 1.1 Update request atomically (all its operations or none).

        :raises QuerySyntaxError: when it does not parse.
        :raises FeatureDisabledError: when it uses LOAD or SERVICE and they are off.
        :raises UpdateDatasetConflictError: protocol USING graphs with USING/WITH in the text.
        :raises UpdateFailedError: when an operation fails (nothing is written then).
        """
        if not self._allow_load and has_keyword(text, "LOAD"):
            require_valid_update(text)  # a malformed update is a 400 before any refusal
            text = without_silent_loads(text)
        refuse_fetching(text, allow_load=self._allow_load, allow_service=self._allow_service)
        text = with_using_clauses(
            text, using_graphs=using_graphs, using_named_graphs=using_named_graphs
        )
        with self._lock:
            self._store.update(text, base_iri=base_iri)
            self._on_commit()

    def replace_graph(self, target: GraphTarget, documents: Sequence[Document]) -> bool:
        """Make ``target`` hold exactly the documents' triples. True when it was created.

        :raises RdfSyntaxError: with file, line and column; the store is then unchanged.
        """
        return self._write(target, documents, action="replace")

    def add_to_graph(self, target: GraphTarget, documents: Sequence[Document]) -> bool:
        """Add the documents' triples to ``target``. True when the graph was created.

        :raises RdfSyntaxError: with file, line and column; the store is then unchanged.
        """
        return self._write(target, documents, action="add")

    def drop_graph(self, target: GraphTarget) -> bool:
        """Remove a graph (or empty the default graph). False when there was no such graph."""
        with self._lock:
            if target.iri is not None and not self._store.has_graph(target.iri):
                return False
            entry = self._journal.begin()
            self._apply(self._journal.commit(Intent(entry, target.iri, "drop", ())))
            return True

    def _write(self, target: GraphTarget, documents: Sequence[Document], *, action: str) -> bool:
        with self._lock:
            entry = self._journal.begin()
            try:
                files = tuple(self._spool(entry, document) for document in documents)
            except BaseException:
                self._journal.finish(entry)
                raise
            created = target.iri is not None and not self._store.has_graph(target.iri)
            self._apply(self._journal.commit(Intent(entry, target.iri, action, files)))
            return created

    def _spool(self, entry: str, document: Document) -> SpooledFile:
        spooled = self._journal.spool(
            entry, document.body, media_type=document.format.media_type,
            base_iri=document.base_iri, name=document.name,
        )
        try:  # parse once before anything changes: a malformed body changes nothing
            for _ in ox.parse(path=spooled.path, format=document.format,
                              base_iri=document.base_iri, without_named_graphs=True):
                pass
        except SyntaxError as exc:
            raise RdfSyntaxError.from_parser(exc, source=document.name) from exc
        return spooled

    def _apply(self, intent: Intent) -> None:
        self._store.write_graph(
            intent.graph,
            [(f.path, _format(f.media_type), f.base_iri) for f in intent.files],
            replace=intent.action != "add",
            keep=intent.action != "drop",
        )
        if sum(Path(f.path).stat().st_size for f in intent.files) >= COMPACT_AFTER_BYTES:
            self._store.optimize()
        self._journal.finish(intent.id)
        self._on_commit()


def _format(media_type: str) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(media_type)
    assert found is not None, media_type
    return found
