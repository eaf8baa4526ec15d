"""The nodes an update touches: always a superset of the nodes whose triples changed."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import UpdateFailedError
from kg.store import EmbeddedStore
from kg.touched import apply_tracking

EX = "http://ex/"
NODES = [f"<{EX}n{i}>" for i in range(5)]
GRAPHS = ["", f"GRAPH <{EX}g1>", f"GRAPH <{EX}g2>"]
SEED = " ".join(f"{s} <{EX}p> {o} ." for s, o in zip(NODES, NODES[1:], strict=False))


def quads(store: EmbeddedStore) -> set[ox.Quad]:
    return set(store._store.quads_for_pattern(None, None, None, None))


def changed_nodes(before: set[ox.Quad], after: set[ox.Quad]) -> set[object]:
    nodes: set[object] = set()
    for quad in before ^ after:
        nodes |= {t for t in (quad.subject, quad.object)
                  if isinstance(t, ox.NamedNode | ox.BlankNode)}
    return nodes


def seeded() -> EmbeddedStore:
    store = EmbeddedStore.in_memory()
    store.update(f"INSERT DATA {{ {SEED} GRAPH <{EX}g1> {{ {SEED} }} }}")
    return store


def wrap(graph: str, triples: str) -> str:
    return f"{graph} {{ {triples} }}" if graph else triples


operations = st.one_of(
    st.builds(lambda g, s, o: f"INSERT DATA {{ {wrap(g, f'{s} <{EX}p> {o} .')} }}",
              st.sampled_from(GRAPHS), st.sampled_from(NODES), st.sampled_from(NODES)),
    st.builds(lambda g, s, o: f"DELETE DATA {{ {wrap(g, f'{s} <{EX}p> {o} .')} }}",
              st.sampled_from(GRAPHS), st.sampled_from(NODES), st.sampled_from(NODES)),
    st.builds(lambda g, s, o: f"INSERT DATA {{ {wrap(g, f'{s} ex:p {o}, 7')} }}",  # no dot
              st.sampled_from(GRAPHS), st.sampled_from(NODES), st.sampled_from(NODES)),
    st.builds(lambda g, o: f"INSERT DATA {{ {wrap(g, f'[ <{EX}p> {o} ] .')} }}",
              st.sampled_from(GRAPHS), st.sampled_from(NODES)),
    st.builds(lambda g, s: f"DELETE WHERE {{ {wrap(g, f'{s} ?p ?o .')} }}",
              st.sampled_from(GRAPHS), st.sampled_from(NODES)),
    st.builds(lambda g: f"DELETE {{ ?s <{EX}p> ?o }} INSERT {{ "
              f"{wrap(g, f'?o <{EX}q> [ <{EX}v> 1 ]')} }} WHERE {{ ?s <{EX}p> ?o }}",
              st.sampled_from(GRAPHS)),
    st.builds(lambda n: f"WITH <{EX}g1> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o "
              f"FILTER(?s = {n}) }}", st.sampled_from(NODES)),
    st.sampled_from([f"CLEAR GRAPH <{EX}g1>", "CLEAR DEFAULT", "DROP SILENT NAMED",
                     f"COPY <{EX}g1> TO <{EX}g2>", f"MOVE SILENT <{EX}g2> TO DEFAULT",
                     f"ADD <{EX}g1> TO DEFAULT", "CLEAR ALL"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(operations, min_size=1, max_size=3))
def test_touched_covers_every_changed_node(ops: list[str]) -> None:
    store = seeded()
    before = quads(store)
    try:
        touched = apply_tracking(store, f"PREFIX ex: <{EX}>\n" + " ;\n".join(ops), base_iri=None)
    except UpdateFailedError:  # e.g. CLEAR GRAPH of a graph an earlier operation dropped
        return
    assert touched is not None
    assert changed_nodes(before, quads(store)) <= touched


@pytest.mark.parametrize("update", [
    f"PREFIX ex: <{EX}> INSERT DATA {{ ex:a ex:p ex:b }} ; PREFIX f: <http://f/> "
    "INSERT DATA { f:a ex:p f:b }",
    f"BASE <{EX}> INSERT DATA {{ <a> <p> <b> }}",
])
def test_prologues_carry_over_operations(update: str) -> None:
    store = EmbeddedStore.in_memory()
    touched = apply_tracking(store, update, base_iri=None)
    assert touched is not None and ox.NamedNode(f"{EX}a") in touched
