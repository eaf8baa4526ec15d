"""Access control applied to a SPARQL update: which graphs it writes, and what it may read.

An update by anyone but an admin is read operation by operation (rdflib's parser, for its
structure only): every graph it writes must be writable by the caller, operations on all
graphs at once are refused, a source of ADD/MOVE/COPY must be readable, and a template whose
graph is a variable is refused (its target would come from data). The ``WHERE`` of each
``DELETE/INSERT`` gets ``USING``/``USING NAMED`` clauses naming only the graphs the caller
reads (its own ``USING`` clauses are intersected, a ``WITH`` graph kept only if readable),
so an update can never copy out what a query could not see. Oxigraph rejects a prologue
after ``;``, so the clauses are written into the original text at their positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import URIRef, Variable

from kg.access import DEFAULT_GRAPH
from kg.access_query import UNRESOLVED
from kg.errors import AccessDeniedError
from kg.sparql_text import tokens


@dataclass
class UpdatePlan:
    """What an update does, as access control needs to know it."""

    text: str  # the update to apply: the original, with reads restricted
    written: set[str] = field(default_factory=set)  # DEFAULT_GRAPH for the default graph
    read: set[str] = field(default_factory=set)  # sources of ADD, MOVE, COPY
    all_graphs: bool = False  # CLEAR/DROP ALL or NAMED


@dataclass
class _Operation:
    using_spans: list[tuple[int, int]] = field(default_factory=list)
    where_at: int | None = None


def plan_update(text: str, *, base_iri: str | None, readable: frozenset[str]) -> UpdatePlan:
    """Read ``text`` and restrict its reads to ``readable``.

    :raises AccessDeniedError: when its structure cannot be read, or a template's graph is
        a variable.

    >>> plan = plan_update("INSERT { GRAPH <http://ex/mine> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
    ...                    base_iri=None, readable=frozenset({"http://ex/mine"}))
    >>> plan.written, plan.text
    ({'http://ex/mine'}, 'INSERT { GRAPH <http://ex/mine> { ?s ?p ?o } } \
USING <http://ex/mine> USING NAMED <http://ex/mine> WHERE { ?s ?p ?o }')
    """
    try:
        operations = translateUpdate(parseUpdate(text), base=base_iri).algebra
    except (ParseException, ValueError, TypeError) as exc:
        raise AccessDeniedError("this update cannot be checked for access; ask an admin",
                                reason=f"rdflib cannot read the update: {exc}") from None
    plan = UpdatePlan(text)
    positions = _positions(text)
    edits: list[tuple[int, int, str]] = []
    for operation, where in zip(operations, positions, strict=False):
        clauses = _read(plan, operation, readable)
        if clauses is not None and where.where_at is not None:
            edits += [(start, end, "") for start, end in where.using_spans]
            edits.append((where.where_at, where.where_at, clauses))
    for start, end, replacement in sorted(edits, reverse=True):
        plan.text = plan.text[:start] + replacement + plan.text[end:]
    return plan


def _read(plan: UpdatePlan, operation: object, readable: frozenset[str]) -> str | None:
    """Note what ``operation`` writes and reads; return the USING clauses for its WHERE."""
    name = getattr(operation, "name", "")
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        plan.written |= _template_graphs(operation, default=DEFAULT_GRAPH)
        return None
    if name == "Modify":
        with_graph = getattr(operation, "withClause", None)
        default = str(with_graph) if with_graph is not None else DEFAULT_GRAPH
        for part in (getattr(operation, "delete", None), getattr(operation, "insert", None)):
            if part is not None:
                plan.written |= _template_graphs(part, default=default)
        return _using_clauses(operation, readable)
    if name == "Load":
        target = getattr(operation, "graphiri", None)
        plan.written.add(str(target) if target is not None else DEFAULT_GRAPH)
        return None
    graphs = [_graph_name(g) for g in _listed(operation)]
    if any(g in ("ALL", "NAMED") for g in graphs):
        plan.all_graphs = True
    elif name in ("Add", "Move", "Copy"):
        source, target = graphs
        plan.read.add(source)
        plan.written.add(target)
        if name == "Move":
            plan.written.add(source)
    else:  # Clear, Drop, Create
        plan.written |= set(graphs)
    return None


def _using_clauses(operation: object, readable: frozenset[str]) -> str:
    using = getattr(operation, "using", None) or []
    named_readable = sorted(g for g in readable if g != DEFAULT_GRAPH)
    if using:
        defaults = [str(u["default"]) for u in using if isinstance(u.get("default"), URIRef)]
        named = [str(u["named"]) for u in using if isinstance(u.get("named"), URIRef)]
        defaults = [g for g in defaults if g in readable]
        named = [g for g in named if g in readable]
    else:
        with_graph = getattr(operation, "withClause", None)
        if with_graph is not None:
            defaults = [str(with_graph)] if str(with_graph) in readable else []
        else:
            defaults = named_readable
        named = named_readable
    clauses = [f"USING <{g}>" for g in defaults or [UNRESOLVED]]
    clauses += [f"USING NAMED <{g}>" for g in named]
    return " ".join(clauses) + " "


def _template_graphs(template: object, *, default: str) -> set[str]:
    graphs: set[str] = set()
    if getattr(template, "triples", None):
        graphs.add(default)
    for graph in getattr(template, "quads", None) or {}:
        if isinstance(graph, Variable):
            raise AccessDeniedError("an update template may not name its graph with a "
                                    "variable; name the graph", reason="variable graph")
        graphs.add(str(graph))
    return graphs


def _listed(operation: object) -> list[object]:
    found = getattr(operation, "graphiri", None) or getattr(operation, "graph", None) or []
    return found if isinstance(found, list) else [found]


def _graph_name(graph: object) -> str:
    text = str(graph)
    if text.upper() == "DEFAULT":
        return DEFAULT_GRAPH
    return text.upper() if text.upper() in ("ALL", "NAMED") else text


def _positions(text: str) -> list[_Operation]:
    """For each operation of the update, in order: its USING clauses and its WHERE."""
    operations: list[_Operation] = []
    current = _Operation()
    has_operation = False
    previous = ""
    found = [t for t in tokens(text) if t.kind != "comment" and t.depth == 0]
    for index, token in enumerate(found):
        if token.text == ";":
            if has_operation:
                operations.append(current)
            current, has_operation, previous = _Operation(), False, ""
            continue
        if token.kind == "word" and not token.is_keyword("PREFIX", "BASE"):
            has_operation = True
        if token.is_keyword("USING"):
            last = index + (2 if index + 1 < len(found) and found[index + 1].is_keyword(
                "NAMED") else 1)
            end = found[last].start + len(found[last].text) if last < len(found) else len(text)
            current.using_spans.append((token.start, end))
        if token.is_keyword("WHERE") and previous not in ("DELETE", "INSERT"):
            current.where_at = token.start
        previous = token.text.upper()
    if has_operation:
        operations.append(current)
    return operations
