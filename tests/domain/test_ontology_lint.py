"""Lint of the ontology: declared, labelled, defined terms; domains and ranges or a reason;
no dangling instance IRIs; value sets in the shapes equal to the concept schemes."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS
from rdflib.collection import Collection
from rdflib.namespace import SH

from tests.domain.graphs import FOLDERS, query_files, rdflib_graph

HTKG = rdflib.Namespace("https://w3id.org/htkg/ontology#")
ID = "https://w3id.org/htkg/id/"
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                RDFS.Datatype)
PROPERTIES = (OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def everything() -> rdflib.Graph:
    return rdflib_graph(*FOLDERS)


def htkg_terms_used(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    """Every htkg: IRI in any position of the graphs, and in the analyst queries."""
    used = {term for triple in graph for term in triple
            if isinstance(term, rdflib.URIRef) and term.startswith(HTKG)}
    for path in query_files():
        used |= {HTKG[name] for name in re.findall(r"\bhtkg:([A-Za-z]\w*)", path.read_text())}
    return used - {rdflib.URIRef(str(HTKG))}


def test_every_htkg_term_used_is_declared_labelled_and_defined(
    everything: rdflib.Graph, ontology_graph: rdflib.Graph
) -> None:
    problems = []
    for term in sorted(htkg_terms_used(everything)):
        if not any((term, RDF.type, kind) in ontology_graph for kind in DECLARATIONS):
            problems.append(f"{term} is not declared")
        if ontology_graph.value(term, RDFS.label) is None:
            problems.append(f"{term} has no rdfs:label")
        if ontology_graph.value(term, SKOS.definition) is None:
            problems.append(f"{term} has no skos:definition")
    assert not problems, "\n".join(problems)


def test_every_property_has_domain_and_range_or_a_reason(ontology_graph: rdflib.Graph) -> None:
    problems = []
    for kind in PROPERTIES:
        for prop in ontology_graph.subjects(RDF.type, kind):
            if not ({RDFS.domain, HTKG.noDomainReason} & set(ontology_graph.predicates(prop))):
                problems.append(f"{prop} has no rdfs:domain and no htkg:noDomainReason")
            if not ({RDFS.range, HTKG.noRangeReason} & set(ontology_graph.predicates(prop))):
                problems.append(f"{prop} has no rdfs:range and no htkg:noRangeReason")
    assert not problems, "\n".join(problems)


def test_every_class_is_aligned_or_specialises_an_htkg_class(ontology_graph: rdflib.Graph) -> None:
    """Alignment axioms: each class reaches an external vocabulary, directly or via a parent."""
    for cls in ontology_graph.subjects(RDF.type, OWL.Class):
        links = [*ontology_graph.objects(cls, RDFS.subClassOf),
                 *ontology_graph.objects(cls, SKOS.closeMatch)]
        assert links, f"{cls} is neither a subclass nor mapped"


def test_no_dangling_instance_iris(everything: rdflib.Graph) -> None:
    """Every id IRI used as an object is described: it is a subject with an rdf:type."""
    typed = set(everything.subjects(RDF.type, None))
    dangling = sorted({str(o) for o in everything.objects()
                       if isinstance(o, rdflib.URIRef) and o.startswith(ID) and o not in typed})
    assert not dangling, dangling


def test_shape_value_sets_equal_the_concept_schemes(
    shapes_graph: rdflib.Graph, ontology_graph: rdflib.Graph
) -> None:
    """An sh:in list on a scheme-valued property lists exactly the concepts of its range class."""
    checked = 0
    for shape, values in shapes_graph.subject_objects(SH["in"]):
        path = shapes_graph.value(shape, SH.path)
        concept_class = ontology_graph.value(path, RDFS.range)
        is_concept_class = (concept_class, RDFS.subClassOf, SKOS.Concept) in ontology_graph
        if concept_class is None or not is_concept_class:
            continue
        members = set(ontology_graph.subjects(RDF.type, concept_class))
        assert set(Collection(shapes_graph, values)) == members, f"sh:in of {path}"
        checked += 1
    assert checked >= 8
