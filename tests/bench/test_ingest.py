"""The write benchmark's data and batch, at a tiny size: no timing.

bench.ingest writes batches that link new data to generated nodes, so the generated data must
conform to the shapes (or the batch is refused for its neighbours' faults) and the batch must
be exactly 1,000 new, valid triples.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import Manifest, generate
from bench.ingest import TARGET_GRAPH, batch
from kg.curated import load_curated_graphs
from kg.ingest import Document, GraphTarget, Ingest
from kg.store import EmbeddedStore
from kg.validation import Validator

TRIPLES = 3_000


@pytest.fixture(scope="module")
def conforming(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    path = tmp_path_factory.mktemp("ingest") / "valid.nq"
    with path.open("w", encoding="utf-8") as out:
        manifest = generate(TRIPLES, out, seed=3, conforming=True)
    return path, manifest


def test_conforming_data_has_the_exact_size_and_differs(conforming: tuple[Path, Manifest]
                                                       ) -> None:
    path, manifest = conforming
    assert manifest.conforming and path.read_bytes().count(b"\n") == TRIPLES
    plain = io.StringIO()
    generate(TRIPLES, plain, seed=3)
    assert plain.getvalue().encode() != path.read_bytes()


def test_batch_is_a_thousand_new_triples(conforming: tuple[Path, Manifest]) -> None:
    _, manifest = conforming
    text = batch(manifest, "t")
    assert len(set(ox.parse(text.encode(), ox.RdfFormat.N_TRIPLES))) == 1000
    assert text == batch(manifest, "t") != batch(manifest, "u")


@pytest.mark.slow
def test_data_conforms_and_a_batch_is_accepted(conforming: tuple[Path, Manifest],
                                               tmp_path: Path) -> None:
    path, manifest = conforming
    store = EmbeddedStore.open(tmp_path / "store")
    store.raw.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    load_curated_graphs(store)
    validator = Validator.from_store(store)
    assert validator.validate_store(store.raw).results == ()
    ingest = Ingest(store, validator=validator)
    document = Document(io.BytesIO(batch(manifest, "t").encode()), ox.RdfFormat.N_TRIPLES)
    outcome = ingest.add_to_graph(GraphTarget(TARGET_GRAPH), [document])
    assert outcome.record.triples_added == 1000
    assert outcome.report is not None and outcome.report.conforms
