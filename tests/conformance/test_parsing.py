"""Unit tests of the runner's own readers: result formats, query facts, endpoint specs."""

from __future__ import annotations

import pytest
from rdflib import BNode, URIRef

from tests.conformance.model import Endpoint
from tests.conformance.rdfio import literal
from tests.conformance.results import Boolean, Solutions, parse_results, tsv_term
from tests.conformance.sparqltext import scan, with_base

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_json_results_keep_lexical_forms() -> None:
    data = (b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal",'
            b'"value":"01","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}')
    answer = parse_results(data, "json")
    assert isinstance(answer, Solutions)
    assert str(answer.rows[0]["x"]) == "01"


def test_xml_results_and_boolean() -> None:
    data = (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            b'<variable name="x"/></head><results><result><binding name="x">'
            b'<literal xml:lang="EN">a</literal></binding></result></results></sparql>')
    answer = parse_results(data, "xml")
    assert isinstance(answer, Solutions)
    assert answer.rows == [{"x": literal("a", language="en")}]
    ask = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><boolean>true</boolean></sparql>'
    assert parse_results(ask, "xml") == Boolean(True)


@pytest.mark.parametrize(("cell", "term"), [
    ("<http://ex/a>", URIRef("http://ex/a")),
    ("_:b0", BNode("b0")),
    ('"a\\tb"@en', literal("a\tb", language="en")),
    ('"5"^^<http://ex/t>', literal("5", datatype="http://ex/t")),
    ("4", literal("4", datatype=XSD + "integer")),
    ("5.5", literal("5.5", datatype=XSD + "decimal")),
    ("1.0e6", literal("1.0e6", datatype=XSD + "double")),
    ("true", literal("true", datatype=XSD + "boolean")),
])
def test_tsv_terms(cell: str, term: object) -> None:
    assert tsv_term(cell) == term


def test_tsv_and_csv_unbound_cells() -> None:
    tsv = parse_results(b"?x\t?y\n<http://ex/a>\t\n", "tsv")
    assert isinstance(tsv, Solutions) and tsv.rows == [{"x": URIRef("http://ex/a")}]
    csv = parse_results(b"x,y\r\n_:b,\r\n", "csv")
    assert isinstance(csv, Solutions) and csv.rows == [{"x": BNode("b")}]


def test_scan_ignores_strings_comments_and_subqueries() -> None:
    facts = scan('SELECT * { ?s ?p "ORDER BY ?z" # ORDER BY ?w\n { SELECT ?s {} ORDER BY ?s } }')
    assert facts.order_vars is None
    facts = scan("SELECT ?a ?b {} ORDER BY ASC(?a) DESC(str(?b)) LIMIT 1")
    assert facts.order_vars == ["a", "b"] and not facts.order_vars_complete
    assert scan("LOAD <http://x>").needs_network
    assert scan("SELECT * FROM NAMED <g.ttl> {}").from_iris == ["g.ttl"]


def test_with_base_prefixes_the_test_file_iri() -> None:
    assert with_base("SELECT * {}", "file:///t/q.rq") == "BASE <file:///t/q.rq>\nSELECT * {}"


def test_endpoint_spec_options_and_errors() -> None:
    spec = "h=http://h/sparql,http://h/sparql,http://h/gs,token=abc,unsupported=LOAD+SERVICE"
    endpoint = Endpoint.parse(spec)
    assert endpoint.headers == (("Authorization", "Bearer abc"),)
    assert endpoint.unsupported == {"LOAD", "SERVICE"}
    with pytest.raises(ValueError):
        Endpoint.parse("h=http://h/sparql")
    with pytest.raises(ValueError):
        Endpoint.parse("h=a,b,c,colour=blue")


def test_result_set_vocabulary_keeps_rs_index_order() -> None:
    from rdflib import RDF, Namespace

    from tests.conformance.results import from_result_graph

    rs = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
    root, first, second = BNode("r"), BNode("s1"), BNode("s2")
    triples = {(root, RDF.type, rs.ResultSet), (root, rs.resultVariable, literal("x"))}
    for solution, position, value in ((first, "2", "b"), (second, "1", "a")):
        binding = BNode("b" + position)
        triples |= {(root, rs.solution, solution),
                    (solution, rs["index"], literal(position, datatype=XSD + "integer")),
                    (solution, rs.binding, binding), (binding, rs.variable, literal("x")),
                    (binding, rs.value, literal(value))}
    answer = from_result_graph(triples)
    assert isinstance(answer, Solutions) and answer.ordered
    assert [row["x"] for row in answer.rows] == [literal("a"), literal("b")]
