"""Run every suite against a real ``oxigraph serve`` and hold it to the recorded counts.

This proves the runner end to end over HTTP (and takes a few seconds: all suites, one
endpoint); the same ``run_suites`` call, pointed at htkg, is how htkg is gated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance import Endpoint, Report, Status, run_suites
from tests.conformance.gates import OXIGRAPH_0_5_13
from tests.conformance.report import regressions, table
from tests.conformance.runner import ENTAILMENT, REMOTE_SERVICE
from tests.live import oxigraph_server


@pytest.fixture(scope="module")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """``oxigraph serve`` with its defaults (a plain default graph), on a free port."""
    root = Path(tmp_path_factory.mktemp("oxigraph"))
    server = oxigraph_server(root / "store", root / "oxigraph.log").start()
    base = server.base_url
    yield Endpoint("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")
    server.stop()


@pytest.fixture(scope="module")
def oxigraph_report(oxigraph_endpoint: Endpoint) -> Report:
    report = run_suites(oxigraph_endpoint)
    print("\n" + table([report]))
    return report


@pytest.mark.parametrize("suite", list(OXIGRAPH_0_5_13))
def test_oxigraph_meets_recorded_counts(oxigraph_report: Report, suite: str) -> None:
    counts, gate = oxigraph_report.counts(suite), OXIGRAPH_0_5_13[suite]
    assert counts.total == gate.total, "the suite's manifests changed"
    assert counts.passed >= gate.passed, f"{suite}: {counts} below {gate}"
    assert counts.value_passed >= gate.value_passed, f"{suite}: {counts} below {gate}"


def test_counts_are_not_trivial(oxigraph_report: Report) -> None:
    total = oxigraph_report.counts()
    assert total.passed > 900 and total.total > 1000


def test_value_comparison_never_passes_fewer(oxigraph_report: Report) -> None:
    assert all(not (o.strict is Status.PASS and o.value is not Status.PASS)
               for o in oxigraph_report.outcomes)


def test_only_entailment_and_network_tests_are_skipped(oxigraph_report: Report) -> None:
    reasons = {o.reason for o in oxigraph_report.with_status(Status.SKIP)}
    assert reasons == {ENTAILMENT, REMOTE_SERVICE}


def test_a_report_has_no_regressions_against_itself(oxigraph_report: Report) -> None:
    assert regressions(oxigraph_report, oxigraph_report) == []


def test_gsp_loader_is_replaceable(oxigraph_endpoint: Endpoint) -> None:
    """A fixture may seed data its own way; a loader that loads nothing makes tests fail."""
    empty = run_suites(oxigraph_endpoint, ["query-1.0"], loader=lambda session, data: None)
    assert empty.counts("query-1.0").passed < OXIGRAPH_0_5_13["query-1.0"].passed // 2


def test_read_only_endpoint_runs_what_needs_no_writes(oxigraph_endpoint: Endpoint) -> None:
    """Issue #2's gate: query-only protocol tests and service description, no update URL."""
    read_only = Endpoint("ro", oxigraph_endpoint.query_url, "", "")
    report = run_suites(read_only, ["protocol", "service-description"])
    assert report.counts("service-description").passed == 3
    protocol = report.counts("protocol")
    assert (protocol.passed, protocol.failed, protocol.skipped) == (16, 0, 18)
