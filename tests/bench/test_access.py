"""The access-control benchmark at a tiny size: no timing, a real server.

bench.access compares one server's answers to an admin and to a partner of the organisation
that owns the bench graphs; the comparison means something only if both see the same
solutions, so the run itself must get that far and report both tokens' figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.access import ADMIN, PARTNER, acceptance

ROOT = Path(__file__).resolve().parents[2]


def cell(peer: str, clients: int, qps: float) -> dict[str, object]:
    return {"peer": peer, "clients": clients, "workload": "mix", "qps": qps,
            "rounds_qps": [qps, qps]}


def test_acceptance_is_the_partner_over_the_admin_at_four_clients() -> None:
    verdict = acceptance([cell(ADMIN, 4, 10.0), cell(PARTNER, 4, 8.5),
                          cell(ADMIN, 1, 5.0), cell(PARTNER, 1, 5.0)])
    assert verdict["mix_qps_ratio_4_clients"] == 0.85 and verdict["ok"] is False
    assert verdict["mix_round_ratios_4_clients"] == [0.85, 0.85]
    assert verdict["mix_qps_ratio_1_clients"] == 1.0


@pytest.mark.slow
def test_a_tiny_run_sees_the_same_answers_and_reports_both_tokens(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.access", "--triples", "10000", "--clients", "1",
         "--rounds", "2", "--variants", "1", "--warmup", "0.1", "--engine",
         "--engine-variants", "1", "--results", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    [report] = tmp_path.glob("access-10000-*.json")
    result = json.loads(report.read_text())
    assert {c["peer"] for c in result["cells"]} == {ADMIN, PARTNER}
    assert all(c["errors"] == 0 and c["requests"] == 2 * 12 for c in result["cells"])
    answers = result["setup"]["answers"]
    assert len(answers) == 12 and sum(a["rows"] for a in answers.values()) > 0
    graphs = result["setup"]["graphs"]
    assert set(graphs[PARTNER]) < set(graphs[ADMIN])
    assert len(result["engine_p50_ms"]) == 12
    assert "partner vs admin" in report.with_suffix(".md").read_text()
