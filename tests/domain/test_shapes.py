"""The curated graph conforms, and every shape rejects its invalid examples with the right
constraint component, severity and message (not merely 'does not conform')."""

from __future__ import annotations

import pyshacl
import pytest
import rdflib
from rdflib.namespace import SH

from tests.domain.graphs import rdflib_graph
from tests.domain.shape_cases import Case
from tests.domain.shape_cases_table import ALL_CASES

SHAPES = "https://w3id.org/htkg/shapes#"


@pytest.fixture(scope="module")
def data_and_ontology() -> rdflib.Graph:
    return rdflib_graph("briefing", "ontology")


@pytest.mark.parametrize("with_ontology", [False, True], ids=["plain", "ontology-mixed-in"])
def test_curated_graph_conforms_without_any_result(
    curated_graph: rdflib.Graph, shapes_graph: rdflib.Graph, ontology_graph: rdflib.Graph,
    with_ontology: bool,
) -> None:
    """No violation and no warning either, with inference none, with or without the ontology."""
    conforms, _, text = pyshacl.validate(
        curated_graph, shacl_graph=shapes_graph,
        ont_graph=ontology_graph if with_ontology else None, inference="none")
    assert conforms, text


def test_the_ontology_and_its_schemes_conform(
    ontology_graph: rdflib.Graph, shapes_graph: rdflib.Graph
) -> None:
    conforms, _, text = pyshacl.validate(ontology_graph, shacl_graph=shapes_graph,
                                         inference="none")
    assert conforms, text


TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf)


def targeted_shapes(shapes: rdflib.Graph) -> set[str]:
    return {str(s).removeprefix(SHAPES) for t in TARGETS for s in shapes.subjects(t, None)}


def shapes_to_run(case: Case) -> list[rdflib.URIRef] | None:
    """Only the case's shape, for speed; all shapes for sh:node cases, because pyshacl's
    use_shapes also drops the value shapes that sh:node refers to."""
    if case.component == "NodeConstraintComponent":
        return None
    return [rdflib.URIRef(SHAPES + case.shape)]


def test_every_shape_has_an_invalid_example(shapes_graph: rdflib.Graph) -> None:
    assert targeted_shapes(shapes_graph) == {case.shape for case in ALL_CASES}


def test_every_ontology_class_has_a_shape(
    ontology_graph: rdflib.Graph, shapes_graph: rdflib.Graph
) -> None:
    classes = {c for c in ontology_graph.subjects(rdflib.RDF.type, rdflib.OWL.Class)
               if isinstance(c, rdflib.URIRef)}
    assert classes <= set(shapes_graph.objects(None, SH.targetClass))


def owner_shape(shapes: rdflib.Graph, source: rdflib.term.Node) -> str:
    """The named node shape a result comes from, also when a property shape reported it."""
    owner = source if isinstance(source, rdflib.URIRef) else shapes.value(None, SH.property, source)
    return str(owner).removeprefix(SHAPES)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.name)
def test_shape_rejects_invalid_example(
    case: Case, data_and_ontology: rdflib.Graph, shapes_graph: rdflib.Graph
) -> None:
    data = rdflib.Graph()
    data += data_and_ontology
    data.update(case.update)
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none",
        use_shapes=shapes_to_run(case))
    assert not conforms
    found = {
        (owner_shape(shapes_graph, report.value(r, SH.sourceShape)),
         str(report.value(r, SH.sourceConstraintComponent)).removeprefix(str(SH)),
         str(report.value(r, SH.focusNode)),
         str(report.value(r, SH.resultSeverity)).removeprefix(str(SH)),
         str(report.value(r, SH.resultMessage)))
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    }
    assert (case.shape, case.component, case.focus, case.severity, case.message) in found, found
