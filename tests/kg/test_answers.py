"""Bounded answers: exact rows, the cut flag at the boundary, the TSV round trip's hard cases."""

from __future__ import annotations

import csv
import io
from typing import cast

import pyoxigraph as ox
import pytest

from kg.answers import _LimitReachedError, _LineCutter, write_bounded
from kg.results import QueryResult
from kg.store import EmbeddedStore

EX = "http://ex/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RESULT_FORMATS = [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                  ox.QueryResultsFormat.TSV, ox.QueryResultsFormat.CSV]
GRAPH_FORMATS = [ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML,
                 ox.RdfFormat.JSON_LD, ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS]
HARD_LITERALS: list[ox.Literal | ox.NamedNode] = [
    ox.Literal("line one\nline two\r\nthree"),
    ox.Literal("tab\there\tand\tthere"),
    ox.Literal('quotes " and \' and """'),
    ox.Literal("back\\slash \\n \\t \\\\"),
    ox.Literal("unicode é ß 中文 😀 \u200b \x00 \x07"),
    ox.Literal(""),
    ox.Literal("   spaces   "),
    ox.Literal("colour", language="en-GB"),
    ox.Literal("right", language="ar", direction=ox.BaseDirection.RTL),
    ox.Literal("0042", datatype=ox.NamedNode(XSD + "string")),
    ox.Literal("-0.50", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("1.5e3", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("not a number", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("x", datatype=ox.NamedNode(EX + "custom-type")),
    ox.NamedNode(EX + "é?q=a&b#frag"),
]


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    store = EmbeddedStore.in_memory()
    raw = store.raw
    value, knows = ox.NamedNode(EX + "value"), ox.NamedNode(EX + "knows")
    for i, term in enumerate(HARD_LITERALS):
        raw.add(ox.Quad(ox.NamedNode(f"{EX}r{i:02d}"), value, term))
    a, b = ox.BlankNode("alice"), ox.BlankNode("bob")
    for s, o in [(a, b), (b, a), (a, a)]:
        raw.add(ox.Quad(s, knows, o))
    raw.add(ox.Quad(a, value, ox.Triple(a, knows, ox.Triple(b, knows, ox.Literal("x\ty")))))
    raw.bulk_extend(ox.Quad(ox.NamedNode(f"{EX}n{i:05d}"), ox.NamedNode(EX + "n"),
                            ox.Literal(i)) for i in range(3000))
    return store


def bounded(result: QueryResult, fmt: ox.QueryResultsFormat | ox.RdfFormat,
            max_rows: int) -> tuple[bytes, bool]:
    output = io.BytesIO()
    cut = write_bounded(result, output, fmt, max_rows=max_rows)
    return output.getvalue(), cut


def whole(result: QueryResult, fmt: ox.QueryResultsFormat | ox.RdfFormat) -> bytes:
    output = io.BytesIO()
    result.write(output, fmt)
    return output.getvalue()


def rows(body: bytes, fmt: ox.QueryResultsFormat) -> tuple[list[str], list[list[object]]]:
    """Variables and rows of a results document; CSV (lossy) as strings."""
    if fmt == ox.QueryResultsFormat.CSV:
        head, *lines = list(csv.reader(io.StringIO(body.decode(), newline="")))
        return head, [list(line) for line in lines]
    solutions = ox.parse_query_results(body, fmt)
    assert isinstance(solutions, ox.QuerySolutions)
    return [v.value for v in solutions.variables], [list(s) for s in solutions]


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("query", [
    f"SELECT ?s ?o ?unbound WHERE {{ ?s <{EX}value> ?o }} ORDER BY ?s",
    f"SELECT ?s ?o WHERE {{ ?s <{EX}knows> ?o }} ORDER BY ?s ?o",
    f"SELECT ?s ?o ?x WHERE {{ ?s <{EX}knows> ?o OPTIONAL {{ ?o <{EX}value> ?x }} }}",
    "SELECT * WHERE { }",
    "SELECT * WHERE { FILTER(false) }",
    "SELECT ?nothing WHERE { FILTER(false) }",
    "SELECT * WHERE { VALUES () { () () () } }",
    "SELECT ?a ?b WHERE { VALUES (?a ?b) { (1 UNDEF) (UNDEF UNDEF) (UNDEF 2) } }",
], ids=["hard-terms", "blank-nodes", "optional", "no-variables-one-row", "no-rows",
        "one-variable-no-rows", "no-variables-three-rows", "unbound"])
def test_an_answer_under_the_limit_is_byte_for_byte_the_unlimited_one(
    store: EmbeddedStore, query: str, fmt: ox.QueryResultsFormat
) -> None:
    body, cut = bounded(store.query(query), fmt, 1000)
    assert not cut
    assert body == whole(store.query(query), fmt)


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("max_rows", [1, 7, 1499, 2999])
def test_a_cut_answer_is_the_first_rows_of_the_unlimited_one(
    store: EmbeddedStore, fmt: ox.QueryResultsFormat, max_rows: int
) -> None:
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}n> ?o }} ORDER BY DESC(?o)"
    body, cut = bounded(store.query(query), fmt, max_rows)
    assert cut
    variables, got = rows(body, fmt)
    all_variables, expected = rows(whole(store.query(query), fmt), fmt)
    assert (variables, got) == (all_variables, expected[:max_rows])


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
def test_hard_terms_survive_a_cut(store: EmbeddedStore, fmt: ox.QueryResultsFormat) -> None:
    query = f"SELECT ?s ?o ?unbound WHERE {{ ?s <{EX}value> ?o FILTER(isIRI(?s)) }} ORDER BY ?s"
    body, cut = bounded(store.query(query), fmt, len(HARD_LITERALS) - 1)
    assert cut
    assert rows(body, fmt)[1] == rows(whole(store.query(query), fmt), fmt)[1][:-1]
    if fmt != ox.QueryResultsFormat.CSV:
        stored = [next(store.raw.quads_for_pattern(ox.NamedNode(f"{EX}r{i:02d}"), None, None))
                  .object for i in range(len(HARD_LITERALS))]  # numbers come back canonical
        assert [row[1] for row in rows(body, fmt)[1]] == stored[:-1]


@pytest.mark.parametrize("total", [0, 1, 5])
def test_exactly_max_rows_is_not_a_cut_and_one_more_is(store: EmbeddedStore, total: int) -> None:
    values = " ".join(str(i) for i in range(total))
    query = f"SELECT ?n WHERE {{ VALUES ?n {{ {values} }} }}"
    for fmt in RESULT_FORMATS:
        assert bounded(store.query(query), fmt, total + 1)[1] is False
        if total:
            assert bounded(store.query(query), fmt, total)[1] is False
            body, cut = bounded(store.query(query), fmt, total - 1)
            assert cut and len(rows(body, fmt)[1]) == total - 1


def test_blank_nodes_stay_the_same_node_within_and_across_rows(store: EmbeddedStore) -> None:
    query = """SELECT ?a ?b ?c WHERE { VALUES ?k { 1 2 3 }
               BIND(BNODE("x") AS ?a) BIND(?a AS ?b) BIND(BNODE() AS ?c) }"""
    body, cut = bounded(store.query(query), ox.QueryResultsFormat.JSON, 2)
    assert cut
    got = rows(body, ox.QueryResultsFormat.JSON)[1]
    assert len(got) == 2
    assert all(isinstance(term, ox.BlankNode) for row in got for term in row)
    assert got[0][0] == got[0][1] and got[1][0] == got[1][1]  # same node within a row
    assert len({got[0][0], got[0][2], got[1][2]}) == 3  # distinct nodes stay distinct
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}knows> ?o }}"
    body, _ = bounded(store.query(query), ox.QueryResultsFormat.XML, 3)
    labels = [[cast(ox.BlankNode, term).value for term in row]
              for row in rows(body, ox.QueryResultsFormat.XML)[1]]
    assert sorted(labels) == [["alice", "alice"], ["alice", "bob"], ["bob", "alice"]]


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
def test_graphs_are_cut_after_max_rows_triples(store: EmbeddedStore, fmt: ox.RdfFormat) -> None:
    query = f"CONSTRUCT {{ ?s <{EX}n> ?o }} WHERE {{ ?s <{EX}n> ?o }} ORDER BY ?o"
    expected = list(ox.parse(whole(store.query(query), fmt), fmt))
    assert len(expected) == 3000
    body, cut = bounded(store.query(query), fmt, 10)
    assert cut
    assert set(ox.parse(body, fmt)) == set(expected[:10])
    body, cut = bounded(store.query(query), fmt, 3000)
    assert not cut
    assert body == whole(store.query(query), fmt)


def test_a_boolean_is_never_cut(store: EmbeddedStore) -> None:
    assert bounded(store.query("ASK {}"), ox.QueryResultsFormat.JSON, 1) == (
        b'{"head":{},"boolean":true}', False)


def test_the_line_cutter_stops_at_the_first_byte_after_its_lines() -> None:
    output = io.BytesIO()
    cutter = _LineCutter(output, 3)
    assert cutter.write(b"?a\n1") == 4
    assert cutter.write(b"\n2\n") == 3  # the third line ends exactly at the end of a write
    assert not cutter.cut
    with pytest.raises(_LimitReachedError):
        cutter.write(b"\n")  # an empty row (no variables) is a row
    assert cutter.cut and output.getvalue() == b"?a\n1\n2\n"
    assert cutter.write(b"more") == 4  # a buffer flushed after the stop is dropped
    assert output.getvalue() == b"?a\n1\n2\n"
    output = io.BytesIO()
    cutter = _LineCutter(output, 2)
    with pytest.raises(_LimitReachedError):
        cutter.write(b"?a\n1\n2\n3\n")
    assert output.getvalue() == b"?a\n1\n"


def test_a_negative_limit_is_refused(store: EmbeddedStore) -> None:
    with pytest.raises(ValueError, match="negative"):
        bounded(store.query("SELECT * {}"), ox.QueryResultsFormat.JSON, -1)
