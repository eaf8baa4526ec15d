"""Where the triples live: the ``Store`` protocol and its embedded pyoxigraph implementation.

Everything above this module speaks in graph IRIs, SPARQL text and our own result types, so a
store on another SPARQL server can stand in for the embedded one.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, RdfSyntaxError, StoreError, UpdateFailedError
from kg.results import BooleanResult, GraphResult, QueryResult, SolutionsResult

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Store(Protocol):
    """What the rest of htkg needs from a quad store."""

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = False,
        default_graphs: Iterable[str | None] | None = None,
        named_graphs: Iterable[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult: ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None: ...

    def named_graphs(self) -> list[str]: ...

    def triple_count(self) -> int: ...

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None: ...

    def dump(self, output: BinaryIO, *, format: ox.RdfFormat) -> None: ...

    def restore(self, source: BinaryIO, *, format: ox.RdfFormat) -> int: ...


class EmbeddedStore:
    """A pyoxigraph store on disk (or in memory, for tests and doctests).

    Each write is one RocksDB transaction, so a crash leaves either all of it or none.
    pyoxigraph releases the GIL while it evaluates, so threads of one server query in parallel.
    Only one process may open a store directory at a time.

    >>> store = EmbeddedStore.in_memory()
    >>> store.update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> 1 } }")
    >>> store.named_graphs(), store.triple_count()
    (['http://ex/g'], 1)
    """

    def __init__(self, store: ox.Store, *, location: Path | None = None) -> None:
        self._store = store
        self.location = location
        self._count_lock = threading.Lock()
        self._count: int | None = None

    @classmethod
    def open(cls, path: str | Path) -> EmbeddedStore:
        """Open (creating if needed) the store directory at ``path``.

        :raises StoreError: when another process holds the directory or it is not a store.
        """
        location = Path(path)
        location.mkdir(parents=True, exist_ok=True)
        try:
            return cls(ox.Store(str(location)), location=location)
        except OSError as exc:
            raise StoreError(
                f"cannot open the store at {location}: {exc}. Is another htkg process "
                "(a running 'htkg serve') using it? Stop it, or point --store elsewhere."
            ) from exc

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        return cls(ox.Store())

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = False,
        default_graphs: Iterable[str | None] | None = None,
        named_graphs: Iterable[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Parse and start a query. Graph arguments replace the query's own FROM clauses.

        :raises QuerySyntaxError: when the query does not parse.
        """
        try:
            raw = self._store.query(
                sparql,
                base_iri=base_iri,
                use_default_graph_as_union=union_default_graph,
                default_graph=_graphs(default_graphs),
                named_graphs=_graphs(named_graphs),
            )
        except SyntaxError as exc:
            raise QuerySyntaxError.from_parser(exc) from exc
        if isinstance(raw, ox.QuerySolutions):
            return SolutionsResult(tuple(v.value for v in raw.variables), raw)
        if isinstance(raw, ox.QueryBoolean):
            return BooleanResult(bool(raw), raw)
        return GraphResult(raw)

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL 1.1 Update atomically.

        :raises QuerySyntaxError: when the update does not parse.
        :raises UpdateFailedError: when an operation fails; nothing is written then.
        """
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_parser(exc) from exc
        except RuntimeError as exc:  # pyoxigraph's evaluation errors; nothing was written
            raise UpdateFailedError(f"the update was not applied: {exc}") from exc
        finally:
            self._forget_count()

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, iri: str) -> bool:
        return bool(self._store.contains_named_graph(ox.NamedNode(iri)))

    def write_graph(
        self,
        graph: str | None,
        files: Iterable[tuple[str, ox.RdfFormat, str | None]],
        *,
        replace: bool,
        keep: bool = True,
    ) -> None:
        """Load files into a graph (``None``: the default graph) with the fast loader.

        Blank-node labels are kept as written: ``kg.ingest`` gives every write fresh ones
        when it spools it, so a scratch copy and the store get the same nodes.

        Not a transaction: ``kg.ingest`` makes it all-or-nothing with its journal.
        ``replace`` first removes the graph's triples; ``keep=False`` removes the graph.
        """
        target: ox.NamedNode | ox.DefaultGraph = (
            ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        )
        try:
            if replace and isinstance(target, ox.NamedNode):
                self._store.remove_graph(target)
            elif replace:
                self._store.clear_graph(target)
            if keep and isinstance(target, ox.NamedNode):
                self._store.add_graph(target)
            for path, format, base_iri in files:
                quads = ox.parse(path=path, format=format, base_iri=base_iri)
                self._store.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object, target) for q in quads
                )
        finally:
            self._forget_count()

    def load_file(self, path: str, format: ox.RdfFormat) -> None:
        """Load a small file of quads in one transaction, keeping its blank-node labels."""
        try:
            self._store.extend(ox.parse(path=path, format=format))
        finally:
            self._forget_count()

    def graph_size(self, graph: str | None) -> int:
        """Triples in one graph (``None``: the default graph)."""
        pattern = "{ ?s ?p ?o }" if graph is None else f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {pattern}")
        assert isinstance(result, SolutionsResult)
        return int(next(iter(result.solutions))["n"].value)

    def triple_count(self) -> int:
        """The number of quads in the store, counted once and kept until the next write."""
        with self._count_lock:
            if self._count is None:
                self._count = len(self._store)
            return self._count

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Make ``graph`` hold exactly ``triples``, atomically (readers see old or new).

        Done as one SPARQL update so that the drop and the insert share a transaction.
        """
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
        self.update(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}")

    def dump(self, output: BinaryIO, *, format: ox.RdfFormat) -> None:
        """Write every quad (N-Quads or TriG), streaming from the store."""
        self._store.dump(output, format=format)

    def restore(self, source: BinaryIO, *, format: ox.RdfFormat) -> int:
        """Replace the whole store with a dump; blank-node labels are kept as written.

        :raises RdfSyntaxError: when the dump does not parse (the store is then left empty
            up to the error; restore into a fresh store when that matters).
        """
        self._store.clear()
        self._forget_count()
        try:
            self._store.bulk_extend(ox.parse(source, format))
        except SyntaxError as exc:
            raise RdfSyntaxError.from_parser(exc) from exc
        finally:
            self._forget_count()
        self.optimize()
        return self.triple_count()

    def backup(self, target: Path) -> None:
        """Write a consistent checkpoint of the store to the new directory ``target``.

        It is made of hard links (about a millisecond) and nobody writes to it afterwards,
        so other processes may open it read-only while this store keeps changing.
        """
        self._store.backup(str(target))

    def shadow(self) -> EmbeddedStore:
        """A writable copy of the store as it is now, beside it as ``<store>.shadow-<id>``.

        On disk it is a checkpoint (hard links, milliseconds) opened read-write; earlier
        shadows are removed (one may still be open in this process: each gets its own
        directory, since RocksDB locks it). In memory it is a copy of every quad.
        """
        if self.location is None:
            copy = ox.Store()
            copy.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
            return EmbeddedStore(copy)
        for old in self.location.parent.glob(f"{self.location.name}.shadow-*"):
            shutil.rmtree(old, ignore_errors=True)
        target = self.location.with_name(f"{self.location.name}.shadow-{uuid.uuid4().hex}")
        self._store.backup(str(target))
        return EmbeddedStore(ox.Store(str(target)), location=target)

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store itself, for readers that need its pattern API (validation)."""
        return self._store

    def optimize(self) -> None:
        """Compact the store after a large load.

        Measured: a freshly bulk-loaded 100k-triple store answers an aggregate about 20%
        faster once compacted (0.16 s of work), because reads then touch fewer files.
        """
        self._store.optimize()

    def _forget_count(self) -> None:
        with self._count_lock:
            self._count = None


def _graphs(
    iris: Iterable[str | None] | None,
) -> list[ox.NamedNode | ox.DefaultGraph] | None:
    """Graph IRIs as pyoxigraph terms; ``None`` in the list is the unnamed default graph."""
    if iris is None:
        return None
    return [ox.DefaultGraph() if iri is None else ox.NamedNode(iri) for iri in iris]
