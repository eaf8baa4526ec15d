"""The benchmark's generator and query mix, at a tiny size: no timing, no servers.

The runner compares two servers on data made by bench.generate, so the data must be exactly
reproducible (same seed, same bytes) and exactly the requested size, and every query of the mix
must parse and find something in it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

ROOT = Path(__file__).resolve().parents[2]
TRIPLES = 20_000


def generate(tmp_path: Path, name: str, seed: int = 7) -> bytes:
    output = tmp_path / f"{name}.nq"
    subprocess.run([sys.executable, "-m", "bench.generate", "--triples", str(TRIPLES),
                    "--seed", str(seed), "--output", str(output)], cwd=ROOT, check=True,
                   capture_output=True)
    return output.read_bytes()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bench")
    generate(directory, "data")
    return directory / "data.nq"


def test_same_seed_gives_identical_bytes(tmp_path: Path, data: Path) -> None:
    assert generate(tmp_path, "again") == data.read_bytes()


def test_other_seed_gives_other_data(tmp_path: Path, data: Path) -> None:
    assert generate(tmp_path, "other", seed=8) != data.read_bytes()


def test_store_holds_exactly_the_requested_quads(data: Path) -> None:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_QUADS)
    assert len(store) == TRIPLES
    assert data.read_bytes().count(b"\n") == TRIPLES


def test_every_query_of_the_mix_parses_and_answers(data: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))  # bench/ is a tool beside the packages
    from bench.generate import Manifest
    from bench.queries import load_templates

    store = pyoxigraph.Store()
    store.bulk_load(path=str(data), format=pyoxigraph.RdfFormat.N_QUADS)
    manifest = Manifest.read(data.with_suffix(".json"))
    templates = load_templates()
    assert len(templates) >= 8
    assert "lookup" in {t.name for t in templates}
    for template in templates:
        variants = template.variants(manifest, 5, seed=1)
        assert variants == template.variants(manifest, 5, seed=1)
        rows = [len(list(store.query(q, use_default_graph_as_union=True))) for q in variants]
        assert sum(rows) > 0, template.name
