"""Every write goes through here: parse, find what it touches, validate, commit, infer.

Writes are serialized by one lock. Each write is first tried on a *shadow* of the store, a
second store kept equal to it (up to blank-node labels) by receiving every accepted write
first; there the nodes the write touches are found and validated against the shapes
incrementally (``kg.validation``). A write with violations is refused with the report and the
real store is never touched; the shadow, which did take the write, is then made again from a
checkpoint of the store (about 50 ms, paid only by refused or failed writes). Trying each
write on a fresh checkpoint instead cost a memtable flush and an fsync on every write.

An accepted write is committed together with its PROV-O record (``kg.provenance``): a SPARQL
update as one transaction with the record appended, a Graph Store write through the journal
(``kg.journal``), which makes the data and the record all-or-nothing across crashes. Then
the inferred graph is refreshed around the touched nodes (``kg.entailment``) and
``on_commit`` makes a new checkpoint for the query workers, so no query ever sees a write
half-applied.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.entailment import Entailment
from kg.errors import RdfSyntaxError, ValidationFailedError
from kg.journal import Intent, Journal, SpooledFile
from kg.provenance import WriteRecord, now
from kg.sparql_text import has_keyword, refuse_fetching
from kg.store import EmbeddedStore
from kg.touched import Resource, WrittenNodes, apply_tracking, has_operation
from kg.update import require_valid_update, with_using_clauses, without_silent_loads
from kg.validation import Validator
from kg.validation_report import ValidationReport
from kg.xml_entities import check_entity_expansion

# entity declarations sit in the DTD at the start of an RDF/XML document
ENTITY_HEAD_BYTES = 1024 * 1024

# a load this large leaves many small files behind; compacting makes later reads faster
COMPACT_AFTER_BYTES = 8 * 1024 * 1024


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


@dataclass(frozen=True)
class Writer:
    """Who writes and from where: the provenance of every accepted write."""

    agent: str = "admin"
    source: str | None = None


@dataclass(frozen=True)
class WriteOutcome:
    """An accepted write: its provenance record and the warnings validation gave."""

    record: WriteRecord
    report: ValidationReport | None
    created: bool = False


class Ingest:
    """The single writer of one store.

    >>> import io
    >>> store = EmbeddedStore.in_memory()
    >>> ingest = Ingest(store)
    >>> doc = Document(io.BytesIO(b"<http://ex/a> <http://ex/p> 1 ."), ox.RdfFormat.TURTLE)
    >>> ingest.replace_graph(GraphTarget("http://ex/g"), [doc]).created
    True
    >>> "http://ex/g" in store.named_graphs()
    True
    """

    def __init__(
        self,
        store: EmbeddedStore,
        *,
        base_iri: str = "https://w3id.org/htkg/",
        on_commit: Callable[[], None] = lambda: None,
        validator: Validator | None = None,
        entailment: Entailment | None = None,
        allow_load: bool = False,
        allow_service: bool = False,
    ) -> None:
        self._store = store
        self._base_iri = base_iri
        self._on_commit = on_commit
        self._validator = validator
        self._entailment = entailment
        self._allow_load = allow_load
        self._allow_service = allow_service
        self._read_backwards = validator.rule.incoming if validator else frozenset()
        self._lock = threading.Lock()
        journal_root = (
            store.location.with_name(store.location.name + ".journal")
            if store.location is not None
            else Path(tempfile.mkdtemp(prefix="htkg-journal-"))
        )
        self._journal = Journal(journal_root)
        self._journal.discard_unfinished()
        for intent in self._journal.pending():  # writes a crash interrupted: finish them
            self._apply(intent, touched=None)
        self._shadow = store.shadow()

    def update(
        self,
        text: str,
        *,
        writer: Writer = Writer(),
        base_iri: str | None = None,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
    ) -> WriteOutcome:
        """Validate and apply a SPARQL 1.1 Update atomically (all its operations or none).

        :raises QuerySyntaxError: when it does not parse.
        :raises FeatureDisabledError: when it uses LOAD or SERVICE and they are off.
        :raises UpdateDatasetConflictError: protocol USING graphs with USING/WITH in the text.
        :raises UpdateFailedError: when an operation fails (nothing is written then).
        :raises ValidationFailedError: with the report, when the result violates the shapes.
        """
        if not self._allow_load and has_keyword(text, "LOAD"):
            require_valid_update(text)  # a malformed update is a 400 before any refusal
            text = without_silent_loads(text)
        refuse_fetching(text, allow_load=self._allow_load, allow_service=self._allow_service)
        text = with_using_clauses(
            text, using_graphs=using_graphs, using_named_graphs=using_named_graphs
        )
        with self._lock:
            started = now()
            with self._trial() as shadow:
                touched = apply_tracking(shadow, text, base_iri=base_iri)
                change = Change.between(self._store, shadow, touched,
                                        read_backwards=self._read_backwards)
                report = self._validate(shadow, change.written)
            record = WriteRecord(
                uuid.uuid4().hex, "SPARQL Update", writer.agent, started, change.graphs,
                writer.source, triples_added=change.added, triples_removed=change.removed,
                warnings=len(report.warnings) if report else 0,
            )
            # one transaction, the record last: Oxigraph takes no prologue after a ";", so
            # it cannot go first; a trailing ";" of the update is dropped, a comment closed
            provenance = record.insert_data(base_iri=self._base_iri)
            body = text.rstrip().removesuffix(";")
            whole = f"{body}\n;\n{provenance}" if has_operation(text) else provenance
            self._store.update(whole, base_iri=base_iri)
            self._after_commit(touched)
            return WriteOutcome(record, report)

    def replace_graph(
        self, target: GraphTarget, documents: Sequence[Document], *, writer: Writer = Writer()
    ) -> WriteOutcome:
        """Make ``target`` hold exactly the documents' triples.

        :raises RdfSyntaxError: with file, line and column; the store is then unchanged.
        :raises ValidationFailedError: with the report; the store is then unchanged.
        """
        return self._write(target, documents, action="replace", writer=writer)

    def add_to_graph(
        self, target: GraphTarget, documents: Sequence[Document], *, writer: Writer = Writer()
    ) -> WriteOutcome:
        """Add the documents' triples to ``target`` (same guarantees as ``replace_graph``)."""
        return self._write(target, documents, action="add", writer=writer)

    def drop_graph(self, target: GraphTarget, *, writer: Writer = Writer()) -> WriteOutcome | None:
        """Remove a graph (or empty the default graph). None when there was no such graph.

        :raises ValidationFailedError: when data elsewhere needs what the graph held.
        """
        with self._lock:
            if target.iri is not None and not self._store.has_graph(target.iri):
                return None
        return self._write(target, [], action="drop", writer=writer)

    def _write(
        self, target: GraphTarget, documents: Sequence[Document], *, action: str, writer: Writer
    ) -> WriteOutcome:
        with self._lock:
            started = now()
            entry = self._journal.begin()
            try:
                written = WrittenNodes(self._read_backwards)
                counted = [self._spool(entry, document, written) for document in documents]
                files = tuple(spooled for spooled, _ in counted)
                added = sum(count for _, count in counted)
                removed = 0
                if action != "add":
                    graph = ox.DefaultGraph() if target.iri is None else ox.NamedNode(target.iri)
                    for quad in self._store.raw.quads_for_pattern(None, None, None, graph):
                        written.add(quad)
                        removed += 1
                intent = Intent(entry, target.iri, action, files)
                with self._trial() as shadow:
                    shadow.write_graph(target.iri, _loads(intent), replace=action != "add",
                                        keep=action != "drop")
                    report = self._validate(shadow, written)
            except BaseException:
                self._journal.finish(entry)
                raise
            created = target.iri is not None and not self._store.has_graph(target.iri)
            record = WriteRecord(
                entry, f"Graph Store {action}", writer.agent, started,
                [target.iri or f"{self._base_iri}graph/default"], writer.source
                or next((d.name for d in documents if d.name), None),
                triples_added=added, triples_removed=removed,
                warnings=len(report.warnings) if report else 0,
            )
            provenance = self._journal.spool_text(entry, record.n_quads(base_iri=self._base_iri))
            intent = replace(intent, provenance=provenance)
            self._apply(self._journal.commit(intent), touched=written.nodes)
            return WriteOutcome(record, report, created)

    def _spool(
        self, entry: str, document: Document, written: WrittenNodes
    ) -> tuple[SpooledFile, int]:
        """Spool a body, then rewrite it once as N-Triples with fresh blank-node labels.

        The one parse rejects a malformed body before anything changes; fresh labels keep
        this write's blank nodes apart from every other write's, and the same in the shadow
        as in the store, so validation sees the nodes that will be stored. The same pass adds
        each triple's nodes to ``written`` and counts the triples.
        """
        raw = self._journal.spool(entry, document.body, media_type=document.format.media_type,
                                  base_iri=document.base_iri, name=document.name)
        normalized = Path(raw.path).with_suffix(".nt")
        if document.format == ox.RdfFormat.RDF_XML:  # pyoxigraph expands DTD entities
            with open(raw.path, "rb") as head:
                check_entity_expansion(head.read(ENTITY_HEAD_BYTES), source=document.name)
        count = 0

        def recorded(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
            nonlocal count
            for quad in quads:
                count += 1
                written.add(quad)
                yield quad.triple

        try:
            quads = ox.parse(path=raw.path, format=document.format, base_iri=document.base_iri,
                             without_named_graphs=True, rename_blank_nodes=True)
            with normalized.open("wb") as output:
                ox.serialize(recorded(quads), output, ox.RdfFormat.N_TRIPLES)
                output.flush()
                os.fsync(output.fileno())  # durable before the intent that names it
        except SyntaxError as exc:
            raise RdfSyntaxError.from_parser(exc, source=document.name) from exc
        Path(raw.path).unlink()
        spooled = SpooledFile(str(normalized), ox.RdfFormat.N_TRIPLES.media_type, None,
                              document.name)
        return spooled, count

    @contextlib.contextmanager
    def _trial(self) -> Iterator[EmbeddedStore]:
        """The shadow, to try a write on; made again if the write does not go through."""
        try:
            yield self._shadow
        except BaseException:
            self._shadow = self._store.shadow()
            raise

    def _validate(
        self, scratch: EmbeddedStore, written: WrittenNodes | None
    ) -> ValidationReport | None:
        """Validate the write tried on ``scratch`` (everything, when ``written`` is unknown)."""
        if self._validator is None:
            return None
        if written is None:
            report = self._validator.validate_store(scratch.raw)
        else:
            report = self._validator.validate_nodes(scratch.raw, written.focus,
                                                    subjects=written.subjects)
        if not report.conforms:
            raise ValidationFailedError(report)
        return report

    def _apply(self, intent: Intent, *, touched: set[Resource] | None) -> None:
        self._store.write_graph(intent.graph, _loads(intent), replace=intent.action != "add",
                                keep=intent.action != "drop")
        if intent.provenance:
            self._store.load_file(intent.provenance, ox.RdfFormat.N_QUADS)
        if sum(Path(f.path).stat().st_size for f in intent.files) >= COMPACT_AFTER_BYTES:
            self._store.optimize()
        self._journal.finish(intent.id)
        self._after_commit(touched)

    def _after_commit(self, touched: Iterable[Resource] | None) -> None:
        if self._entailment is not None:
            if touched is None:
                self._entailment.rebuild(self._store)
            else:
                self._entailment.refresh(self._store, touched)
        self._on_commit()


@dataclass(frozen=True)
class Change:
    """What an update changed: triples added and removed, the named graphs they are in, and
    their nodes (``None`` counts and nodes: the update's structure could not be read)."""

    added: int | None
    removed: int | None
    graphs: tuple[str, ...]
    written: WrittenNodes | None

    @classmethod
    def between(
        cls, before: EmbeddedStore, after: EmbeddedStore, touched: set[Resource] | None,
        *, read_backwards: frozenset[str] = frozenset(),
    ) -> Change:
        """Compare the triples about the nodes an update touched, in the store (before) and
        in the shadow it was tried on (after).

        Every triple an update changes has a touched node as its subject, so comparing those
        is exact and costs what the update touched, not the store. Blank nodes are compared
        by position only (the shadow labels the ones an update creates its own way), and
        each touched blank node counts as changed, since its label may differ between the two.
        """
        if touched is None:
            return cls(None, None, (), None)
        added: Counter[tuple[str, ...]] = Counter()
        removed: Counter[tuple[str, ...]] = Counter()
        written = WrittenNodes(read_backwards)
        for node in touched:
            old = list(before.raw.quads_for_pattern(node, None, None))
            new = list(after.raw.quads_for_pattern(node, None, None))
            gained = Counter(map(_key, new)) - Counter(map(_key, old))
            lost = Counter(map(_key, old)) - Counter(map(_key, new))
            for quad in [q for q in new if _key(q) in gained] + [
                    q for q in old if _key(q) in lost]:
                written.add(quad)
            if isinstance(node, ox.BlankNode):
                written.subjects.add(node)
            added += gained
            removed += lost
        graphs = sorted({key[3][1:-1] for key in added + removed if key[3].startswith("<")})
        return cls(sum(added.values()), sum(removed.values()), tuple(graphs), written)


def _key(quad: ox.Quad) -> tuple[str, ...]:
    return tuple("_:" if isinstance(t, ox.BlankNode) else str(t)
                 for t in (quad.subject, quad.predicate, quad.object, quad.graph_name))


def _loads(intent: Intent) -> list[tuple[str, ox.RdfFormat, str | None]]:
    return [(f.path, _format(f.media_type), f.base_iri) for f in intent.files]


def _format(media_type: str) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(media_type)
    assert found is not None, media_type
    return found
