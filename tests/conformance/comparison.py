"""Compare answers as the SPARQL specifications define equality of results.

* Solution sequences are multisets of solutions, equal up to a renaming of blank nodes that
  is one bijection for the whole answer (found by backtracking).
* When the query has ORDER BY, order matters only on the sort keys: rows that tie on every
  key may come in any order, so positions are compared on the key variables alone.
* Graphs (CONSTRUCT, DESCRIBE, Graph Store bodies, datasets after an update) are equal when
  isomorphic (``rdflib.compare.isomorphic``).

Every comparison runs in one of two literal modes. ``strict`` compares lexical forms exactly
(``"1.0"^^xsd:decimal`` differs from ``"1"^^xsd:decimal``); ``value`` first maps literals of
the numeric, boolean and date/time types to a canonical form, so an engine that stores values
canonically still matches. The runner reports both.
"""

from __future__ import annotations

import math
import re
import struct
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from .rdfio import Quad, Triple, literal
from .results import Boolean, Row, Solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
_DATETIMES = {XSD + t for t in ("dateTime", "date", "time", "dateTimeStamp")}


def _float_text(text: str, single: bool) -> str:
    number = float({"INF": "inf", "-INF": "-inf", "+INF": "inf"}.get(text.strip(), text))
    if single and math.isfinite(number):
        number = struct.unpack("f", struct.pack("f", number))[0]
    return repr(number)


def _decimal_text(text: str) -> str:
    value = Decimal(text)
    if not value.is_finite() or "e" in text.lower():
        raise ValueError(text)
    return format(value.normalize(), "f") if value else "0"


def _datetime_text(text: str) -> str:
    text = re.sub(r"[+-]00:00$", "Z", text.strip())
    return re.sub(r"(\.\d*?)0+(?=Z|[+-]\d\d:\d\d|$)", r"\1", text).replace(".Z", "Z")


def canonical_lexical(lexical: str, datatype: str) -> str:
    """The canonical lexical form of a well-formed literal; ill-formed ones stay as written.

    >>> canonical_lexical("01", XSD + "integer"), canonical_lexical("1.50", XSD + "decimal")
    ('1', '1.5')
    >>> canonical_lexical("1", XSD + "boolean"), canonical_lexical("abc", XSD + "integer")
    ('true', 'abc')
    """
    try:
        if datatype in _INTEGERS:
            return str(int(lexical.strip()))
        if datatype == XSD + "decimal":
            return _decimal_text(lexical)
        if datatype in (XSD + "double", XSD + "float"):
            return _float_text(lexical, single=datatype == XSD + "float")
        if datatype == XSD + "boolean":
            return {"1": "true", "0": "false", "true": "true", "false": "false"}[lexical.strip()]
        if datatype in _DATETIMES:
            return _datetime_text(lexical)
    except (ValueError, KeyError, InvalidOperation, OverflowError):
        return lexical
    return lexical


def by_value(term: Node) -> Node:
    """Replace a literal by its canonical form (the ``value`` comparison mode)."""
    if isinstance(term, Literal) and term.datatype is not None:
        return literal(canonical_lexical(str(term), str(term.datatype)),
                       datatype=str(term.datatype))
    return term


def strict(term: Node) -> Node:
    return term


Mode = Callable[[Node], Node]
MODES: dict[str, Mode] = {"strict": strict, "value": by_value}


def _shape(row: Row) -> frozenset[tuple[str, Node]]:
    """A row with every blank node replaced by one placeholder, for grouping candidates."""
    return frozenset((k, BNode("_") if isinstance(v, BNode) else v) for k, v in row.items())


def _unify(expected: Row, actual: Row, mapping: dict[Node, Node],
           reverse: dict[Node, Node]) -> list[Node] | None:
    """Extend the blank-node bijection so ``expected`` maps onto ``actual``; None if impossible.

    Returns the blank nodes newly mapped, so the caller can undo them when backtracking.
    """
    added: list[Node] = []
    for var, value in expected.items():
        other = actual[var]
        if not isinstance(value, BNode):
            continue
        if mapping.get(value, other) != other or reverse.get(other, value) != value:
            for b in added:
                del reverse[mapping.pop(b)]
            return None
        if value not in mapping:
            mapping[value] = other
            reverse[other] = value
            added.append(value)
    return added


def _match_bnode_rows(expected: list[Row], actual: list[Row]) -> bool:
    """Backtracking search for a pairing of rows under one consistent blank-node bijection."""
    candidates: dict[frozenset[tuple[str, Node]], list[int]] = {}
    for i, row in enumerate(actual):
        candidates.setdefault(_shape(row), []).append(i)
    used = [False] * len(actual)
    mapping: dict[Node, Node] = {}
    reverse: dict[Node, Node] = {}
    order = sorted(range(len(expected)), key=lambda i: len(candidates.get(_shape(expected[i]),
                                                                          ())))

    def search(position: int) -> bool:
        if position == len(order):
            return True
        row = expected[order[position]]
        for j in candidates.get(_shape(row), []):
            if used[j]:
                continue
            added = _unify(row, actual[j], mapping, reverse)
            if added is None:
                continue
            used[j] = True
            if search(position + 1):
                return True
            used[j] = False
            for b in added:
                del reverse[mapping.pop(b)]
        return False

    return search(0)


def _rows(solutions: Solutions, mode: Mode) -> list[Row]:
    return [{k: mode(v) for k, v in row.items()} for row in solutions.rows]


def _show(row: frozenset[tuple[str, Node]] | None) -> str:
    if row is None:
        return "nothing"
    return "{" + ", ".join(f"?{k}={v.n3()}" for k, v in sorted(row, key=lambda kv: kv[0])) + "}"


def _row_hint(want: list[Row], got: list[Row]) -> str:
    """One row only expected and one only received (blank nodes shown as ``_:_``)."""
    expected, actual = Counter(map(_shape, want)), Counter(map(_shape, got))
    missing, extra = expected - actual, actual - expected
    if not missing and not extra:
        return "same rows up to blank nodes, but no consistent blank-node mapping"
    return f"e.g. missing {_show(next(iter(missing), None))}, " \
           f"unexpected {_show(next(iter(extra), None))}"


def _same_multiset(expected: list[Row], actual: list[Row]) -> bool:
    if len(expected) != len(actual):
        return False
    if not any(isinstance(v, BNode) for row in expected + actual for v in row.values()):
        return Counter(map(_shape, expected)) == Counter(map(_shape, actual))
    return _match_bnode_rows(expected, actual)


def _distinct(rows: list[Row]) -> list[Row]:
    return list({_shape(r) if not any(isinstance(v, BNode) for v in r.values())
                 else frozenset(r.items()): r for r in rows}.values())


def _key_sequence(rows: list[Row], keys: Iterable[str]) -> list[tuple[Node | None, ...]]:
    return [tuple(BNode("_") if isinstance(v := row.get(k), BNode) else v for k in keys)
            for row in rows]


def compare_solutions(expected: Solutions, actual: Solutions, *, mode: Mode = strict,
                      order_keys: list[str] | None = None, lax: bool = False) -> str | None:
    """None when ``actual`` answers like ``expected``, else a short reason.

    ``order_keys`` are the ORDER BY variables whose sequence must agree position by
    position (only when the expected answer is itself ordered); ``lax`` is the REDUCED
    rule: the distinct rows must agree and no row may appear more often than expected.
    """
    if set(expected.variables) != set(actual.variables) and expected.variables:
        return f"variables differ: expected {expected.variables}, got {actual.variables}"
    want, got = _rows(expected, mode), _rows(actual, mode)
    if lax:
        if len(got) > len(want) or not _same_multiset(_distinct(want), _distinct(got)):
            return (f"rows differ (REDUCED): expected {len(want)} rows, got {len(got)}; "
                    f"{_row_hint(want, got)}")
    elif not _same_multiset(want, got):
        return f"rows differ: expected {len(want)}, got {len(got)}; {_row_hint(want, got)}"
    if order_keys and expected.ordered:
        if _key_sequence(want, order_keys) != _key_sequence(got, order_keys):
            return f"order differs on ORDER BY keys {order_keys}"
    return None


def compare_answers(expected: Solutions | Boolean | set[Triple],
                    actual: Solutions | Boolean | set[Triple], *, mode: Mode = strict,
                    order_keys: list[str] | None = None, lax: bool = False) -> str | None:
    """Dispatch on the kind of answer; a kind mismatch is itself a difference."""
    if isinstance(expected, Boolean) and isinstance(actual, Boolean):
        return None if expected == actual else f"expected {expected.value}, got {actual.value}"
    if isinstance(expected, Solutions) and isinstance(actual, Solutions):
        return compare_solutions(expected, actual, mode=mode, order_keys=order_keys, lax=lax)
    if isinstance(expected, set) and isinstance(actual, set):
        return compare_graphs(expected, actual, mode=mode)
    return f"expected a {type(expected).__name__} answer, got {type(actual).__name__}"


def _graph(triples: Iterable[Triple], mode: Mode) -> Graph:
    graph = Graph()
    for s, p, o in triples:
        graph.add((mode(s), p, mode(o)))
    return graph


def compare_graphs(expected: set[Triple], actual: set[Triple], *,
                   mode: Mode = strict) -> str | None:
    """None when the graphs are isomorphic under ``mode``, else a short reason."""
    want, got = _graph(expected, mode), _graph(actual, mode)
    if len(want) == len(got) and isomorphic(want, got):
        return None
    ground_want = {t for t in want if not any(isinstance(x, BNode) for x in t)}
    ground_got = {t for t in got if not any(isinstance(x, BNode) for x in t)}
    missing = next(iter(ground_want - ground_got), None)
    extra = next(iter(ground_got - ground_want), None)
    hint = "".join(f"; e.g. {label} {' '.join(x.n3() for x in triple)}"
                   for label, triple in (("missing", missing), ("unexpected", extra)) if triple)
    return f"graphs differ: expected {len(want)} triples, got {len(got)}{hint}"


def _flatten(quads: Iterable[Quad]) -> set[Triple]:
    """Fold a dataset into one graph by tagging each predicate with its graph name.

    Isomorphism of the folded graphs is dataset isomorphism with one blank-node mapping
    shared by all graphs, which is what comparing a store after an update needs.
    """
    out: set[Triple] = set()
    for s, p, o, g in quads:
        out.add((s, p if g is None else URIRef(f"urn:x-graph:{g}#{p}"), o))
    return out


def compare_datasets(expected: Iterable[Quad], actual: Iterable[Quad], *,
                     mode: Mode = strict) -> str | None:
    """Dataset isomorphism; empty named graphs are invisible to both sides."""
    reason = compare_graphs(_flatten(expected), _flatten(actual), mode=mode)
    return None if reason is None else reason.replace("graphs", "datasets")
