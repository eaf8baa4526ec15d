"""kg.entailment: the rules on the shipped ontology, refresh against rebuild, rebuild against a
naive fixpoint written in SPARQL (a second, independent implementation of the same rules)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.curated import graph_iri, load_curated_graphs, shipped_sources
from kg.entailment import Entailment, InferenceChange, inferred_graph_iri, touched_nodes
from kg.results import SolutionsResult
from kg.store import EmbeddedStore

H = "https://w3id.org/htkg/ontology#"
EX = "http://ex/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
INFERRED = inferred_graph_iri()
DATA = EX + "data"


@pytest.fixture(scope="module")
def entailment() -> Entailment:
    folder = shipped_sources()["ontology"]
    return Entailment.from_axioms(
        q for f in folder.iterdir() if f.name.endswith(".ttl")
        for q in ox.parse(f.read_bytes(), ox.RdfFormat.TURTLE, base_iri="https://w3id.org/htkg/"))


def term(name: str) -> ox.NamedNode | ox.Literal:
    if name.startswith('"'):
        return ox.Literal(name.strip('"'))
    return ox.NamedNode(name if ":" in name else EX + name)


def write(store: EmbeddedStore, verb: str, triples: Iterable[tuple[str, str, str]],
          graph: str | None = DATA) -> set[ox.NamedNode]:
    """Insert or delete triples (short names are under EX) and return the nodes touched."""
    parsed = [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples]  # type: ignore[arg-type]
    body = " ".join(f"{t} ." for t in parsed)
    store.update(f"{verb} DATA {{ {body if graph is None else f'GRAPH <{graph}> {{ {body} }}'} }}")
    return touched_nodes(parsed)


def inferred(store: EmbeddedStore) -> set[tuple[str, str, str]]:
    result = store.query(f"SELECT ?s ?p ?o {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, SolutionsResult)
    return {(r["s"].value, r["p"].value, r["o"].value) for r in result.solutions}


def ask(store: EmbeddedStore, pattern: str, **dataset: object) -> list[str]:
    result = store.query(f"SELECT ?x {{ {pattern} }} ORDER BY ?x", **dataset)  # type: ignore[arg-type]
    assert isinstance(result, SolutionsResult)
    return [r["x"].value.removeprefix(EX) for r in result.solutions]


def test_rules_of_the_shipped_ontology(entailment: Entailment) -> None:
    rules = entailment.rules()
    assert rules["transitive"] == 2  # htkg:partOf, htkg:hasPart
    assert rules["symmetric"] == 1  # htkg:linkedWith
    assert rules["subclass"] > 100 and rules["subproperty"] > 30 and rules["inverse"] > 8


def test_a_superclass_query_finds_subclass_instances(entailment: Entailment) -> None:
    store = EmbeddedStore.in_memory()
    touched = write(store, "INSERT", [("isil", TYPE, H + "TerroristGroup"),
                                      ("un", TYPE, H + "UNBody")])
    entailment.refresh(store, touched)
    actors = f"?x a <{H}Actor>"
    assert ask(store, actors, union_default_graph=True) == ["isil", "un"]
    assert ask(store, f"?x a <{PROV}Agent>", union_default_graph=True) == ["isil", "un"]
    # leaving graph/inferred out of the dataset turns entailment off
    assert ask(store, actors, default_graphs=[DATA]) == []


def test_deleting_the_cause_removes_the_inferred_triple(entailment: Entailment) -> None:
    store = EmbeddedStore.in_memory()
    cause = [("f1", H + "restsOn", "e1")]
    entailment.refresh(store, write(store, "INSERT", cause))
    assert (EX + "f1", PROV + "wasDerivedFrom", EX + "e1") in inferred(store)
    change = entailment.refresh(store, write(store, "DELETE", cause))
    assert change == InferenceChange(added=0, removed=1, nodes=2)
    assert inferred(store) == set()


def test_a_triple_with_a_second_derivation_stays(entailment: Entailment) -> None:
    store = EmbeddedStore.in_memory()
    paragraph = (EX + "p", TYPE, H + "Paragraph")
    entailment.refresh(store, write(store, "INSERT", [("p", TYPE, H + "SubParagraph"),
                                                      ("p", TYPE, H + "OperativeParagraph")]))
    entailment.refresh(store, write(store, "DELETE", [("p", TYPE, H + "SubParagraph")]))
    assert paragraph in inferred(store)
    # the same cause asserted in two graphs: deleting one copy changes nothing
    entailment.refresh(store, write(store, "INSERT", [("p", TYPE, H + "OperativeParagraph")],
                                    graph=None))
    entailment.refresh(store, write(store, "DELETE", [("p", TYPE, H + "OperativeParagraph")]))
    assert paragraph in inferred(store)
    # asserted somewhere: not inferred; no longer asserted: inferred again
    entailment.refresh(store, write(store, "INSERT", [paragraph]))
    assert paragraph not in inferred(store)
    entailment.refresh(store, write(store, "DELETE", [paragraph]))
    assert paragraph in inferred(store)


def test_a_transitive_chain_breaks_and_heals(entailment: Entailment) -> None:
    store = EmbeddedStore.in_memory()
    chain = [("sub", H + "subParagraphOf", "op"), ("op", H + "paragraphOf", "res"),
             ("res", H + "partOf", "collection")]
    entailment.refresh(store, write(store, "INSERT", chain))
    whole = inferred(store)
    assert ask(store, f"<{EX}sub> <{H}partOf> ?x", union_default_graph=True) == [
        "collection", "op", "res"]
    assert ask(store, f"<{EX}collection> <{H}hasPart> ?x", union_default_graph=True) == [
        "op", "res", "sub"]
    entailment.refresh(store, write(store, "DELETE", chain[1:2]))
    assert ask(store, f"<{EX}sub> <{DCT}isPartOf> ?x", union_default_graph=True) == ["op"]
    assert ask(store, f"?x <{H}partOf> <{EX}collection>", union_default_graph=True) == ["res"]
    entailment.refresh(store, write(store, "INSERT", chain[1:2]))
    assert inferred(store) == whole


def test_inverse_and_symmetric_properties(entailment: Entailment) -> None:
    store = EmbeddedStore.in_memory()
    entailment.refresh(store, write(store, "INSERT", [("a", H + "linkedWith", "b"),
                                                      ("r2", H + "cites", "r1")]))
    assert {(EX + "b", H + "linkedWith", EX + "a"), (EX + "r1", H + "citedBy", EX + "r2"),
            (EX + "r1", DCT + "isReferencedBy", EX + "r2"),
            (EX + "r2", DCT + "references", EX + "r1")} <= inferred(store)


def test_what_is_not_inferred(entailment: Entailment) -> None:
    store = EmbeddedStore.in_memory()
    touched = write(store, "INSERT", [("x", TYPE, H + "TerroristGroup")],
                    graph=graph_iri("shapes"))
    touched |= write(store, "INSERT", [("e", H + "involves", "g"),  # range Actor: not applied
                                       ("c2", "http://www.w3.org/2004/02/skos/core#broader", "c1"),
                                       ("c1", "http://www.w3.org/2004/02/skos/core#broader", "c0")])
    assert entailment.refresh(store, touched).added == 0
    assert inferred(store) == set()


def test_rebuild_of_the_curated_graphs_matches_a_naive_fixpoint() -> None:
    store = EmbeddedStore.in_memory()
    load_curated_graphs(store)
    entailment = Entailment.from_store(store)
    assert entailment.rebuild(store).added > 100
    assert inferred(store) == naive_inferred(store)
    assert entailment.rebuild(store) == InferenceChange(0, 0, entailment.rebuild(store).nodes)


# -- random writes: refresh after each one equals a rebuild from scratch ----------------------

NODES = ["n0", "n1", "n2", "n3", "n4"]
PROPERTIES = [H + p for p in ("partOf", "hasPart", "paragraphOf", "hasParagraph",
                              "subParagraphOf", "linkedWith", "cites", "citedBy", "listedEntity",
                              "hasSanctionsListing", "restsOn")] + [
    DCT + "isPartOf", DCT + "hasPart", PROV + "wasDerivedFrom"]
CLASSES = [H + c for c in ("SubParagraph", "OperativeParagraph", "Paragraph", "TerroristGroup",
                           "Organization", "Actor", "Person", "TypologyReport")] + [PROV + "Agent"]
GRAPHS = [DATA, EX + "other", None, graph_iri("system")]

triples = st.one_of(
    st.tuples(st.sampled_from(NODES), st.sampled_from(PROPERTIES), st.sampled_from(NODES)),
    st.tuples(st.sampled_from(NODES), st.just(TYPE), st.sampled_from(CLASSES)),
    st.tuples(st.sampled_from(NODES), st.just(H + "sourceQuote"), st.just('"q"')),
)
writes = st.lists(st.tuples(st.lists(triples, min_size=1, max_size=3, unique=True),
                            st.sampled_from(GRAPHS)), min_size=1, max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=writes)
def test_refresh_after_random_writes_equals_rebuild(
        entailment: Entailment, writes: list[tuple[list[tuple[str, str, str]], str | None]]
) -> None:
    store = EmbeddedStore.in_memory()
    present: set[tuple[tuple[str, str, str], str | None]] = set()
    for batch, graph in writes:  # each triple is toggled: deleted if present, else inserted
        gone = [t for t in batch if (t, graph) in present]
        new = [t for t in batch if (t, graph) not in present]
        touched = write(store, "DELETE", gone, graph) if gone else set()
        touched |= write(store, "INSERT", new, graph) if new else set()
        present ^= {(t, graph) for t in batch}
        entailment.refresh(store, touched)
        after_refresh = inferred(store)
        check = entailment.rebuild(store)
        assert (check.added, check.removed) == (0, 0), (batch, graph, check)
        assert inferred(store) == after_refresh
    assert inferred(store) == naive_inferred(store, entailment_in_store=False)


# -- the oracle: the same rules as plain SPARQL updates, run to a fixpoint --------------------

RULES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { ?x a ?d } WHERE { ?x a ?c . GRAPH <urn:o> { { ?c rdfs:subClassOf ?d }
  UNION { ?c owl:equivalentClass ?d } UNION { ?d owl:equivalentClass ?c } } FILTER isIRI(?d) } ;
INSERT { ?x ?q ?y } WHERE { ?x ?p ?y . GRAPH <urn:o> { { ?p rdfs:subPropertyOf ?q }
  UNION { ?p owl:equivalentProperty ?q } UNION { ?q owl:equivalentProperty ?p } }
  FILTER(isIRI(?q) && ?p != rdf:type && ?q != rdf:type) } ;
INSERT { ?y ?q ?x } WHERE { ?x ?p ?y . GRAPH <urn:o> { { ?p owl:inverseOf ?q }
  UNION { ?q owl:inverseOf ?p } } FILTER(isIRI(?y) && isIRI(?q)) } ;
INSERT { ?y ?p ?x } WHERE { ?x ?p ?y . GRAPH <urn:o> { ?p a owl:SymmetricProperty }
  FILTER isIRI(?y) } ;
INSERT { ?x ?p ?z } WHERE { ?x ?p ?y . ?y ?p ?z . GRAPH <urn:o> { ?p a owl:TransitiveProperty } }
"""


def naive_inferred(store: EmbeddedStore, *, entailment_in_store: bool = True
                   ) -> set[tuple[str, str, str]]:
    """What the rules entail from the store's premise graphs, less what they assert."""
    excluded = ", ".join(f"<{graph_iri(n)}>" for n in ("shapes", "system", "provenance",
                                                       "inferred"))
    premises = ox.Store()
    result = store.query(f"SELECT ?s ?p ?o {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} "
                         f"FILTER(?g NOT IN ({excluded})) }} }}")
    assert isinstance(result, SolutionsResult)
    premises.extend(ox.Quad(r["s"], r["p"], r["o"]) for r in result.solutions)
    if entailment_in_store:
        ontology = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri('ontology')}>"
                               " { ?s ?p ?o } }")
    else:
        ontology = ox.parse(b"".join(f.read_bytes() for f in shipped_sources()["ontology"]
                                     .iterdir() if f.name.endswith(".ttl")),
                            ox.RdfFormat.TURTLE, base_iri="https://w3id.org/htkg/")
    asserted = {(q.subject.value, q.predicate.value, q.object.value) for q in premises}
    closure = ox.Store()
    closure.extend(premises)
    closure.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:o"))
                   for t in getattr(ontology, "triples", ontology))
    size = -1
    while size != len(closure):
        size = len(closure)
        closure.update(RULES)
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in closure.quads_for_pattern(None, None, None, ox.DefaultGraph())} - asserted
