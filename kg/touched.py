"""Which nodes a SPARQL update touches: the focus of incremental validation and entailment.

pyoxigraph applies an update without saying what it changed, and comparing whole stores would
make every write cost as much as the store. So each operation of the update is looked at on
its own, on a scratch copy of the store, just before it is applied there:

- ``INSERT DATA`` / ``DELETE DATA``: the subjects and objects it names;
- ``DELETE WHERE``, ``DELETE/INSERT ... WHERE``: the nodes its WHERE pattern binds, evaluated
  by Oxigraph on the copy with the operation's own dataset (USING, WITH), plus the constant
  nodes of its templates;
- ``CLEAR``, ``DROP``, ``ADD``, ``MOVE``, ``COPY``: every node of the graphs involved.

Blank nodes an insert template creates are found after the operation, as the blank nodes of
the graphs it wrote. The result is a superset of the nodes whose triples changed, which is
all incremental validation needs. The update is parsed with rdflib's parser for its structure
only (nothing is evaluated by rdflib); if rdflib cannot parse what Oxigraph accepts, the
caller is told so (``None``) and falls back to validating everything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import BNode, Node, URIRef

from kg.results import SolutionsResult
from kg.sparql_text import tokens
from kg.store import EmbeddedStore

log = logging.getLogger(__name__)

Resource = ox.NamedNode | ox.BlankNode


@dataclass
class _Segment:
    """One operation of an update, with the prologue that applies to it."""

    prologue: str
    text: str
    where_group: str | None = None


def apply_tracking(
    store: EmbeddedStore, update: str, *, base_iri: str | None
) -> set[Resource] | None:
    """Apply ``update`` to ``store`` (a scratch copy), returning the nodes it touched.

    Returns ``None`` when the update's structure could not be read; the caller must then
    treat every node as touched.
    """
    touched: set[Resource] = set()
    base = f"BASE <{base_iri}>\n" if base_iri else ""
    for segment in _segments(update, base=base):
        if not has_operation(segment.text):  # a bare prologue: nothing to apply
            continue
        named = _data_nodes(segment, base_iri=base_iri)
        if named is not None:
            touched |= named
            store.update(segment.prologue + segment.text, base_iri=base_iri)
            continue
        try:
            operations = translateUpdate(parseUpdate(segment.prologue + segment.text)).algebra
        except (ParseException, ValueError, TypeError) as exc:
            log.info("cannot read the update's structure (%s); validating everything", exc)
            store.update(update, base_iri=base_iri)
            return None
        for operation in operations:
            touched |= _before(store, operation, segment)
        store.update(segment.prologue + segment.text, base_iri=base_iri)
        for operation in operations:
            touched |= _after(store, operation)
    return touched


def _segments(update: str, *, base: str = "") -> Iterator[_Segment]:
    """Split an update at its top-level ``;``, carrying PREFIX and BASE declarations along
    (after ``base``, the endpoint's base IRI, so relative IRIs resolve as the store does)."""
    prologue: list[str] = [base] if base else []
    start = 0
    found = [t for t in tokens(update) if t.kind != "comment"]
    for index, token in enumerate(found):
        if token.depth == 0 and token.is_keyword("PREFIX", "BASE"):
            end = index + (3 if token.is_keyword("PREFIX") else 2)
            prologue.append(" ".join(t.text for t in found[index:end]))
        if token.depth == 0 and token.text == ";":
            yield _with_where(" ".join(prologue) + "\n", update[start : token.start])
            start = token.start + 1
    tail = update[start:]
    if tail.strip():
        yield _with_where(" ".join(prologue) + "\n", tail)


def _data_nodes(segment: _Segment, *, base_iri: str | None) -> set[Resource] | None:
    """The subjects and node objects of an ``INSERT DATA``/``DELETE DATA`` without blank
    nodes, read by pyoxigraph's TriG parser (the data block is TriG); None for anything else.

    rdflib's parser took about 4 s on a 1,000-triple ``INSERT DATA`` (docs/benchmarks.md,
    issue #5) and this about 5 ms. What TriG does not read (SPARQL-only syntax) goes the
    general way, and the store still judges the update itself.
    """
    found = [t for t in tokens(segment.text) if t.kind != "comment"]
    if len(found) < 3 or not (found[0].is_keyword("INSERT", "DELETE")
                              and found[1].is_keyword("DATA") and found[2].text == "{"):
        return None
    closing = [t for t in found if t.depth == 0 and t.text == "}"]
    if len(closing) != 1 or closing[0] is not found[-1]:
        return None
    block = segment.text[found[2].start + 1 : closing[0].start]
    quads = None
    # triples of the default graph may end without a dot in SPARQL, not in TriG, unless
    # they are wrapped in braces, which in turn cannot hold GRAPH blocks: try both
    for trig in (block, "{" + block + "}"):
        try:
            quads = list(ox.parse((segment.prologue + trig).encode(), ox.RdfFormat.TRIG,
                                  base_iri=base_iri))
            break
        except SyntaxError:
            continue
    if quads is None:
        return None
    nodes: set[Resource] = set()
    for quad in quads:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.BlankNode | ox.Triple):
                return None  # labels the store chooses: found after, the general way
            if isinstance(term, ox.NamedNode):
                nodes.add(term)
    return nodes


def _with_where(prologue: str, text: str) -> _Segment:
    segment = _Segment(prologue, _without_prologue(text))
    where = [t for t in tokens(segment.text) if t.depth == 0 and t.is_keyword("WHERE")]
    if where:
        segment.where_group = segment.text[where[-1].start + len("WHERE") :]
    return segment


def has_operation(update: str) -> bool:
    """Whether an update holds an operation, not only PREFIX/BASE declarations or nothing.

    >>> has_operation("PREFIX ex: <http://ex/> # nothing else"), has_operation("CLEAR ALL")
    (False, True)
    """
    return bool(_without_prologue(update).strip())


def _without_prologue(text: str) -> str:
    """The operation itself: its PREFIX/BASE lines are already in the carried prologue."""
    found = [t for t in tokens(text) if t.kind != "comment"]
    skip_until = 0
    for index, token in enumerate(found):
        if token.depth == 0 and token.is_keyword("PREFIX"):
            skip_until = index + 3
        elif token.depth == 0 and token.is_keyword("BASE"):
            skip_until = index + 2
        elif index >= skip_until:
            return text[token.start :]
    return ""


def _before(store: EmbeddedStore, operation: object, segment: _Segment) -> set[Resource]:
    name = getattr(operation, "name", "")
    nodes = set(_constants(operation))
    if name in ("InsertData", "DeleteData"):
        return nodes
    if name == "DeleteWhere":
        pattern = _pattern_text(operation)
        return nodes | _bound_nodes(store, segment.prologue + f"SELECT * WHERE {{ {pattern} }}")
    if name == "Modify" and segment.where_group is not None:
        defaults, named = _modify_dataset(operation)
        query = segment.prologue + "SELECT * WHERE " + segment.where_group
        return nodes | _bound_nodes(store, query, defaults=defaults, named=named)
    return nodes | graph_nodes(store, _graphs_of(operation))


def _after(store: EmbeddedStore, operation: object) -> set[Resource]:
    """Nodes that exist only after the operation: blank nodes its templates created."""
    insert = getattr(operation, "insert", None)
    if getattr(operation, "name", "") not in ("Modify", "InsertData"):
        return set()
    templates = insert if insert is not None else operation
    if not any(isinstance(t, BNode) for t in _template_terms(templates)):
        return set()
    graphs = list(getattr(templates, "quads", {}) or {}) or ["DEFAULT"]
    return {n for n in graph_nodes(store, graphs) if isinstance(n, ox.BlankNode)}


def _template_terms(template: object) -> Iterator[Node]:
    for triple in getattr(template, "triples", None) or []:
        yield from triple
    for triples in (getattr(template, "quads", None) or {}).values():
        for triple in triples:
            yield from triple


def _constants(operation: object) -> Iterator[Resource]:
    parts = [operation, getattr(operation, "delete", None), getattr(operation, "insert", None)]
    for part in parts:
        if part is None:
            continue
        for term in _template_terms(part):
            if isinstance(term, URIRef):
                try:
                    yield ox.NamedNode(str(term))
                except ValueError:  # still relative: no base; the store reports it
                    continue


def _pattern_text(operation: object) -> str:
    """A DELETE WHERE's quad pattern as SPARQL text (it holds no blank nodes)."""
    def triples(items: Iterable[tuple[Node, Node, Node]]) -> str:
        return " ".join(" ".join(term.n3() for term in triple) + " ." for triple in items)

    text = triples(getattr(operation, "triples", None) or [])
    for graph, items in (getattr(operation, "quads", None) or {}).items():
        text += f" GRAPH {graph.n3()} {{ {triples(items)} }}"
    return text


def _modify_dataset(operation: object) -> tuple[list[str] | None, list[str] | None]:
    """The WHERE's dataset: USING clauses, else WITH, else the store's own (None)."""
    using = getattr(operation, "using", None) or []
    if using:
        defaults = [str(u.get("default")) for u in using
                    if isinstance(u.get("default"), URIRef)]
        named = [str(u.get("named")) for u in using if isinstance(u.get("named"), URIRef)]
        return defaults, named
    with_graph = getattr(operation, "withClause", None)
    if with_graph is not None:
        return [str(with_graph)], None
    return None, None


def _graphs_of(operation: object) -> list[str]:
    """Graphs a graph-level operation reads or writes ('DEFAULT', 'NAMED', 'ALL' or IRIs)."""
    found = getattr(operation, "graphiri", None) or getattr(operation, "graph", None) or []
    items = found if isinstance(found, list) else [found]
    return [str(item) for item in items]


def _bound_nodes(
    store: EmbeddedStore, query: str, *, defaults: list[str] | None = None,
    named: list[str] | None = None,
) -> set[Resource]:
    result = store.query(query, default_graphs=defaults, named_graphs=named)
    assert isinstance(result, SolutionsResult)
    nodes: set[Resource] = set()
    for solution in result.solutions:
        for variable in result.variables:
            value = solution[variable]
            if isinstance(value, ox.NamedNode | ox.BlankNode):
                nodes.add(value)
    return nodes


@dataclass
class WrittenNodes:
    """The nodes of the triples a write adds or removes, sorted by what they need.

    ``nodes``: every subject and node object (the inference refresh starts from them).
    ``subjects``: the nodes whose own triples changed; nodes whose verdicts read them are
    validated again. ``focus``: the nodes validation must look at: the subjects, and the
    objects of predicates the shapes read backwards (``read_backwards``: inverse paths,
    ``sh:targetObjectsOf``), the only objects whose verdict an incoming triple can change.
    A write linking to a node that thousands of triples point to validates neither it nor them.

    >>> written = WrittenNodes(frozenset({"http://ex/memberOf"}))
    >>> a, b, c = (ox.NamedNode(f"http://ex/{n}") for n in "abc")
    >>> written.add(ox.Triple(a, ox.NamedNode("http://ex/memberOf"), b))
    >>> written.add(ox.Triple(a, ox.NamedNode("http://ex/knows"), c))
    >>> sorted(n.value for n in written.focus), len(written.nodes)
    (['http://ex/a', 'http://ex/b'], 3)
    """

    read_backwards: frozenset[str] = frozenset()
    nodes: set[Resource] = field(default_factory=set)
    subjects: set[Resource] = field(default_factory=set)
    objects_read_backwards: set[Resource] = field(default_factory=set)

    def add(self, triple: ox.Triple | ox.Quad) -> None:
        subject, value = triple.subject, triple.object
        if isinstance(subject, ox.Triple):
            return
        self.nodes.add(subject)
        self.subjects.add(subject)
        if isinstance(value, ox.NamedNode | ox.BlankNode):
            self.nodes.add(value)
            if triple.predicate.value in self.read_backwards:
                self.objects_read_backwards.add(value)

    @property
    def focus(self) -> set[Resource]:
        return self.subjects | self.objects_read_backwards


def graph_nodes(store: EmbeddedStore, graphs: list[str]) -> set[Resource]:
    """Subjects and node objects of graphs ('DEFAULT', 'NAMED', 'ALL' or graph IRIs)."""
    nodes: set[Resource] = set()
    for graph in graphs:
        upper = graph.upper()
        if upper == "DEFAULT":
            pattern = "{ ?s ?p ?o }"
        elif upper == "NAMED":
            pattern = "{ GRAPH ?g { ?s ?p ?o } }"
        elif upper == "ALL":
            pattern = "{ { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"
        else:
            pattern = f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        nodes |= _bound_nodes(store, f"SELECT DISTINCT ?s ?o WHERE {pattern}")
    return nodes


__all__ = ["apply_tracking"]
