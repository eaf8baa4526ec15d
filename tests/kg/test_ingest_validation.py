"""The write path validates what a write changes, and the nodes whose verdicts read it.

``Ingest`` tells the validator which nodes' outgoing triples changed, so that linking to a
node thousands of others point to does not revalidate them all; these tests check that a
write which breaks one of those other nodes is still refused, on both write paths.
"""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from kg.curated import load_curated_graphs
from kg.errors import ValidationFailedError
from kg.ingest import Document, GraphTarget, Ingest
from kg.store import EmbeddedStore
from kg.validation import Validator

ID = "https://w3id.org/htkg/id/"
H = "https://w3id.org/htkg/ontology#"
CTED = f"<{ID}actor/cted>"
BRIEFING = "<https://w3id.org/htkg/graph/briefing>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
EVIDENCE = f"""
<{ID}evidence/new-1> a <{H}Evidence> ;
  <http://www.w3.org/2000/01/rdf-schema#label> "New evidence" ;
  <http://purl.org/dc/terms/description> "What it shows" ;
  <http://www.w3.org/ns/prov#wasDerivedFrom>
    <{ID}document/cted-briefing-ht-terrorism/section/some-findings-ii> ;
  <{H}reliability> <{ID}concept/reliability/B> ;
  <{H}credibility> <{ID}concept/credibility/2> ;
  <{H}involves> {CTED} ."""


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_package()


@pytest.fixture
def ingest(validator: Validator) -> Ingest:
    store = EmbeddedStore.in_memory()
    load_curated_graphs(store)
    return Ingest(store, validator=validator)


def _dump(ingest: Ingest) -> set[ox.Quad]:
    return set(ingest._store.raw.quads_for_pattern(None, None, None, None))


def test_evidence_linking_to_an_actor_is_accepted(ingest: Ingest) -> None:
    outcome = ingest.update(f"INSERT DATA {{ GRAPH <http://ex/g> {{ {EVIDENCE} }} }}")
    assert outcome.report is not None and outcome.report.conforms


def test_an_update_that_untypes_a_node_others_point_to_is_refused(ingest: Ingest) -> None:
    """cted loses htkg:Actor: every node whose sh:class check reads it would fail."""
    before = _dump(ingest)
    with pytest.raises(ValidationFailedError) as refused:
        ingest.update(f"DELETE WHERE {{ GRAPH {BRIEFING} {{ {CTED} a ?type }} }}")
    assert {r.focus_node for r in refused.value.report.violations} - {CTED}
    assert _dump(ingest) == before


@pytest.mark.parametrize("action", ["replace", "drop"])
def test_a_graph_store_write_that_untypes_a_node_others_point_to_is_refused(
        ingest: Ingest, action: str) -> None:
    """An actor typed in one graph and pointed to from another: replacing or dropping its
    graph takes its type away, which the evidence pointing to it cannot lose."""
    actor = f"<{ID}actor/new-1>"
    typed = f"{actor} a <{H}Actor> ; <http://www.w3.org/2000/01/rdf-schema#label> \"X\" ."
    ingest.add_to_graph(GraphTarget("http://ex/h"), [_turtle(typed)])
    ingest.update(f"INSERT DATA {{ GRAPH <http://ex/g> {{ {EVIDENCE.replace(CTED, actor)} }} }}")
    before = _dump(ingest)
    with pytest.raises(ValidationFailedError) as refused:
        if action == "replace":
            untyped = f"{actor} <http://www.w3.org/2000/01/rdf-schema#label> \"X\" ."
            ingest.replace_graph(GraphTarget("http://ex/h"), [_turtle(untyped)])
        else:
            ingest.drop_graph(GraphTarget("http://ex/h"))
    assert {r.focus_node for r in refused.value.report.violations} == {f"<{ID}evidence/new-1>"}
    assert _dump(ingest) == before


def _turtle(text: str) -> Document:
    return Document(io.BytesIO(text.encode()), ox.RdfFormat.TURTLE)


def test_an_incoming_link_taken_away_revalidates_its_object(ingest: Ingest) -> None:
    """A section moved from one briefing to another: the first is left without sections,
    which its shape reads backwards (``^dcterms:isPartOf``), so the write warns about it."""
    part_of = "<http://purl.org/dc/terms/isPartOf>"
    first, second, section = (f"<{ID}document/b{n}>" for n in (1, 2, 3))
    briefings = " ".join(f"{b} a <{H}Briefing>, <{H}Document> ; {LABEL} \"B\" ."
                         for b in (first, second))
    ingest.update(f"""INSERT DATA {{ GRAPH <http://ex/g> {{ {briefings}
        {section} a <{H}DocumentSection> ; <{H}sectionHeading> "S" ;
          <{H}sectionOrder> "1"^^<http://www.w3.org/2001/XMLSchema#positiveInteger> ;
          {part_of} {first} . }} }}""")
    outcome = ingest.update(
        f"DELETE DATA {{ GRAPH <http://ex/g> {{ {section} {part_of} {first} }} }};"
        f"INSERT DATA {{ GRAPH <http://ex/g> {{ {section} {part_of} {second} }} }}")
    assert outcome.report is not None
    assert {r.focus_node for r in outcome.report.warnings} == {first}
