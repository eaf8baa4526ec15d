"""The federation benchmark at a tiny size: the query forms, and one short run, no timing.

bench.federation compares a query sent to a partner directly with the same query sent
through htkg's SERVICE; the comparison means something only if both forms are valid SPARQL
that asks the partner for the same solutions, and if the run gets that far with real
servers and splits htkg's time at the loopback route.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.federation import PATTERN, WHOLE, federated, forms_of, matches
from bench.queries import QueryTemplate, load_templates

ROOT = Path(__file__).resolve().parents[2]
PARTNER = "http://127.0.0.1:9/query"  # nothing listens: the forms are parsed, never sent


@pytest.mark.parametrize("template", load_templates(), ids=lambda t: t.name)
def test_every_query_has_federated_forms_that_parse(template: QueryTemplate) -> None:
    text = template.text % (("<https://example.org/x>",) * len(template.parameters))
    store = ox.Store()
    forms = forms_of(text, [WHOLE, PATTERN])
    assert forms[0] == WHOLE
    for form in forms:
        query = federated(text, PARTNER, form)
        assert query.count("SERVICE") == 1 and f"<{PARTNER}>" in query
        store.query(query)  # parses; evaluation (the SERVICE call) starts only on iteration
    store.query(matches(text))


def test_the_pattern_form_keeps_the_aggregation_here() -> None:
    [template] = load_templates(["evidence_per_group"])
    text = template.text % "<https://example.org/r>"
    assert forms_of(text, [WHOLE, PATTERN]) == [WHOLE, PATTERN]
    pattern = federated(text, PARTNER, PATTERN)
    assert pattern.index("GROUP BY") > pattern.index("SERVICE")
    assert pattern.rstrip().endswith("LIMIT 20")
    whole = federated(text, PARTNER, WHOLE)
    assert "SELECT * WHERE" in whole and whole.index("GROUP BY") > whole.index("SERVICE")
    [lookup] = load_templates(["lookup"])
    assert forms_of(lookup.text % "<https://example.org/e>", [WHOLE, PATTERN]) == [WHOLE]


@pytest.mark.slow
def test_a_tiny_run_gets_the_same_answers_and_splits_the_time(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.federation", "--triples", "10000", "--rounds", "2",
         "--duration", "0.2", "--warmup", "0.1", "--variants", "2", "--outbound-repeats", "2",
         "--queries", "lookup", "evidence_per_group", "--results", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    [report] = tmp_path.glob("federation-10000-*.json")
    result = json.loads(report.read_text())
    arms = {(c["peer"], c["workload"]) for c in result["cells"]}
    assert arms == {("htkg", "floor"), ("direct", "lookup"), ("whole", "lookup"),
                    ("direct", "evidence_per_group"), ("whole", "evidence_per_group"),
                    ("pattern", "evidence_per_group")}
    assert all(c["errors"] == 0 and c["requests"] >= 2 * 3 for c in result["cells"])
    answers = result["setup"]["answers"]
    assert answers["lookup"]["rows"] == 2 and answers["evidence_per_group"]["shipped_rows"] > 0
    for part in result["breakdown"]:  # every federated request made one outbound call
        assert 0.8 <= part["calls_per_query"] <= 1.2, part
        assert part["federated_ms"] > part["direct_ms"]
    assert set(result["outbound"]) == {"lookup", "evidence_per_group"}
    text = report.with_suffix(".md").read_text()
    assert "Where the time goes" in text and "| lookup | whole |" in text
