"""The side-by-side runner at a tiny size: no timing, both real servers.

A ratio between htkg and ``oxigraph serve`` means something only if both hold the same quads
and give the same answers. htkg adds its own graphs (ontology, shapes, curated facts,
inferences) on start, which the runner copies into the oxigraph peer; that copy must be whole
even when htkg's row limit is smaller than those graphs (it once was cut at 100,000 quads, and
the 1M runs compared oxigraph on 431k fewer quads).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_both_peers_hold_the_same_quads_despite_a_small_row_limit(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", "--triples", "10000", "--clients", "1",
         "--rounds", "1", "--variants", "1", "--duration", "0.2", "--warmup", "0.1",
         "--mix-passes", "1", "--warmup-passes", "0", "--min-requests", "1",
         "--results", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "HTKG_MAX_RESULT_ROWS": "1000"})
    assert completed.returncode == 0, completed.stderr[-3000:]
    [report] = tmp_path.glob("run-10000-htkg-*.json")
    setup = json.loads(report.read_text())["setup"]
    assert setup["htkg_own_quads"] > 1000  # more than one answer may carry
    assert setup["quads"]["htkg"] == setup["quads"]["oxigraph"] == 10000 + setup["htkg_own_quads"]
    assert setup["answer_differences"] == []
