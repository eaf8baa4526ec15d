"""Every write to the store goes through here: SPARQL Update and Graph Store writes.

Writes are serialized by one lock. A Graph Store write first streams the body into a private
staging graph (``urn:htkg:staging:...``), so that a large body is parsed once and never held
whole in memory, then commits with one SPARQL update that replaces or extends the target graph
and drops the staging graph: readers, and a crash, see all of the write or none of it.
Queries run on checkpoints made after each commit (``on_commit``), so they never see a
staging graph. Staging graphs left by a crash are dropped when the next ``Ingest`` starts.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import RdfSyntaxError
from kg.sparql_text import refuse_fetching
from kg.store import EmbeddedStore
from kg.update import with_using_clauses, without_silent_loads

STAGING_PREFIX = "urn:htkg:staging:"


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


class Ingest:
    """The single writer of one store.

    >>> store = EmbeddedStore.in_memory()
    >>> ingest = Ingest(store)
    >>> import io
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
        for graph in store.named_graphs(include_staging=True):
            if graph.startswith(STAGING_PREFIX):
                store.update(f"DROP SILENT GRAPH <{graph}>")

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
        """
        if not self._allow_load:
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

        :raises RdfSyntaxError: with line and column; the store is then unchanged.
        """
        return self._write(target, documents, replace=True)

    def add_to_graph(self, target: GraphTarget, documents: Sequence[Document]) -> bool:
        """Add the documents' triples to ``target``. True when the graph was created.

        :raises RdfSyntaxError: with line and column; the store is then unchanged.
        """
        return self._write(target, documents, replace=False)

    def drop_graph(self, target: GraphTarget) -> bool:
        """Remove a graph (or empty the default graph). False when there was no such graph."""
        with self._lock:
            if target.iri is not None and not self._store.has_graph(target.iri):
                return False
            self._store.update(f"DROP SILENT {target.sparql}")
            self._on_commit()
            return True

    def _write(self, target: GraphTarget, documents: Sequence[Document], *, replace: bool) -> bool:
        staging = f"{STAGING_PREFIX}{uuid.uuid4()}"
        with self._lock:
            created = target.iri is not None and not self._store.has_graph(target.iri)
            try:
                for document in documents:
                    self._store.bulk_extend(_quads_into(document, ox.NamedNode(staging)))
                commit = [f"DROP SILENT {target.sparql}"] if replace else []
                if target.iri is not None:
                    commit.append(f"CREATE SILENT {target.sparql}")
                commit.append(f"ADD SILENT GRAPH <{staging}> TO {target.sparql}")
                commit.append(f"DROP SILENT GRAPH <{staging}>")
                self._store.update(" ;\n".join(commit))
            except BaseException:
                self._store.update(f"DROP SILENT GRAPH <{staging}>")
                raise
            self._on_commit()
            return created


def _quads_into(document: Document, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """Parse a document lazily, putting its triples into ``graph``.

    :raises RdfSyntaxError: with the parser's line and column, naming the document.
    """
    try:
        for quad in ox.parse(
            document.body, document.format, base_iri=document.base_iri, without_named_graphs=True
        ):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
    except SyntaxError as exc:
        raise RdfSyntaxError.from_parser(exc, source=document.name) from exc
