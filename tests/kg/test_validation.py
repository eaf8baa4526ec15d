"""The validator: literals as written, report shapes and formats, the dependency rule."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from kg.errors import RdfSyntaxError
from kg.validation import Validator
from kg.validation_context import parse_document
from tests.domain.graphs import oxigraph_store, rdflib_graph

AMOUNT = """
@prefix htkg: <https://w3id.org/htkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/htkg/id/amount/a1> a htkg:MonetaryAmount ;
    htkg:amountValue "10.0"^^xsd:decimal ; htkg:currency "USD" ; htkg:approximate {flag} .
"""


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_package()


def _store_with(turtle: str) -> tuple[ox.Store, list[ox.Quad]]:
    store = oxigraph_store()
    quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("http://ex/g"))
             for q in ox.parse(turtle.encode(), ox.RdfFormat.TURTLE)]
    for quad in quads:
        store.add(quad)
    return store, quads


@pytest.mark.parametrize("flag", ['"1"^^xsd:boolean', '"true"^^xsd:boolean', "true"])
def test_boolean_spellings_get_the_same_verdict(validator: Validator, flag: str) -> None:
    store, quads = _store_with(AMOUNT.format(flag=flag))
    assert validator.validate_change(store, added=quads).results == ()
    assert validator.validate_graph(parse_document(
        AMOUNT.format(flag=flag).encode(), ox.RdfFormat.TURTLE)).results == ()


def test_an_ill_typed_literal_is_a_violation_where_a_datatype_applies(
    validator: Validator,
) -> None:
    turtle = AMOUNT.format(flag="true").replace('"10.0"^^xsd:decimal', '"abc"^^xsd:decimal')
    store, quads = _store_with(turtle)
    for report in (validator.validate_change(store, added=quads),
                   validator.validate_graph(parse_document(turtle.encode(),
                                                           ox.RdfFormat.TURTLE))):
        found = {(r.constraint.removeprefix(str(SH)), r.value) for r in report.violations}
        assert ("DatatypeConstraintComponent",
                '"abc"^^<http://www.w3.org/2001/XMLSchema#decimal>') in found


def test_integer_subtypes_survive_the_store(validator: Validator) -> None:
    """Oxigraph stores "2388"^^xsd:positiveInteger as xsd:integer; the validator gives the
    subtype back where the shapes require it, so the stored curated graph still conforms."""
    assert validator.validate_store(oxigraph_store()).results == ()
    store, quads = _store_with("""
        @prefix htkg: <https://w3id.org/htkg/ontology#> .
        <https://w3id.org/htkg/id/person-group/g> a htkg:PersonGroup, htkg:Actor ;
            <http://www.w3.org/2000/01/rdf-schema#label> "a group" ; htkg:groupSize -3 .""")
    report = validator.validate_change(store, added=quads)
    assert [r.path for r in report.violations] == ["<https://w3id.org/htkg/ontology#groupSize>"]


def test_the_curated_graph_validates_the_same_from_files_and_from_the_store(
    validator: Validator,
) -> None:
    from_files = validator.validate_graph(rdflib_graph("briefing"))
    assert from_files.results == () and validator.validate_store(oxigraph_store()).conforms


def test_report_summary_and_formats(validator: Validator) -> None:
    report = validator.validate_graph(parse_document(b"""
        @prefix htkg: <https://w3id.org/htkg/ontology#> .
        <https://w3id.org/htkg/id/country/x> a htkg:Country ; htkg:iso3166Alpha2 "x1" .""",
        ox.RdfFormat.TURTLE))
    assert not report.conforms and len(report.violations) == 2 and report.warnings == ()
    row = next(r for r in report.summary() if r["constraint"].endswith("Pattern"
                                                                      "ConstraintComponent"))
    assert row == {
        "focus_node": "<https://w3id.org/htkg/id/country/x>",
        "path": "<https://w3id.org/htkg/ontology#iso3166Alpha2>",
        "value": '"x1"',
        "constraint": "http://www.w3.org/ns/shacl#PatternConstraintComponent",
        "shape": "https://w3id.org/htkg/shapes#CountryShape",
        "message": "A country needs exactly one ISO 3166-1 alpha-2 code, two capital letters, "
                   "e.g. 'IQ'.",
        "severity": "Violation",
    }
    graph = rdflib.Graph().parse(data=report.serialize("turtle"), format="turtle")
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == 2
    assert (None, SH.conforms, rdflib.Literal(False)) in graph
    jsonld = json.loads(report.serialize("json-ld"))
    assert any(SH.ValidationReport in [rdflib.URIRef(t) for t in n.get("@type", [])]
               for n in jsonld)
    assert json.loads(report.summary_json())["conforms"] is False


def test_warnings_do_not_block(validator: Validator) -> None:
    report = validator.validate_graph(parse_document(b"""
        @prefix htkg: <https://w3id.org/htkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/htkg/id/actor/g> a htkg:TerroristGroup, htkg:Organization, htkg:Actor ;
            rdfs:label "A group" .""", ox.RdfFormat.TURTLE))
    assert report.conforms and [r.severity for r in report.results] == ["Warning"]


def test_the_dependency_rule_is_read_from_the_shapes(validator: Validator) -> None:
    rule = validator.rule
    assert rule.unsupported == ()
    assert "http://purl.org/dc/terms/isPartOf" in rule.incoming  # BriefingShape's inverse path
    assert "https://w3id.org/htkg/ontology#involves" in rule.type_read  # sh:class htkg:Actor
    assert rule.hops == {  # SubParagraphShape's SPARQL: $this subParagraphOf ?p . ?p paragraphOf
        "https://w3id.org/htkg/ontology#subParagraphOf":
            frozenset({"https://w3id.org/htkg/ontology#paragraphOf"})}


def test_parse_errors_carry_line_and_column() -> None:
    with pytest.raises(RdfSyntaxError) as caught:
        parse_document(b"<http://ex/a> <http://ex/p> .\n", ox.RdfFormat.TURTLE, name="x.ttl")
    assert caught.value.line == 1 and caught.value.source == "x.ttl"


def test_from_store_reads_the_stored_shapes() -> None:
    from kg.curated import load_curated_graphs
    from kg.store import EmbeddedStore

    store = EmbeddedStore.in_memory()
    load_curated_graphs(store)
    validator = Validator.from_store(store)
    assert validator.rule == Validator.from_package().rule
