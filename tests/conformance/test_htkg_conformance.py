"""htkg and ``oxigraph serve`` through the same W3C runner, in the same run, over HTTP.

htkg runs with its documented suite configuration (docs/conformance.md): a plain default
graph, inference off, LOAD and SERVICE off (the defaults), and an admin token so that
updates and Graph Store writes are allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conformance import Endpoint, Report, Status, run_suites
from tests.conformance.gates import COMPLETE, DOCUMENTED_REGRESSIONS, HTKG
from tests.conformance.report import regressions, table
from tests.conformance.runner import run_many
from tests.live import ServerProcess, htkg_server, oxigraph_server

TOKEN = "conformance-admin-token"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Report]]:
    root = Path(tmp_path_factory.mktemp("side-by-side"))
    htkg = htkg_server(root / "htkg", root / "htkg.log", HTKG_UNION_DEFAULT_GRAPH="false",
                       HTKG_INFERENCE="false", HTKG_ADMIN_TOKEN=TOKEN).start()
    oxigraph = oxigraph_server(root / "oxigraph", root / "oxigraph.log").start()
    try:
        ours = Endpoint("htkg", f"{htkg.base_url}/sparql", f"{htkg.base_url}/sparql",
                        f"{htkg.base_url}/graph-store",
                        headers=(("Authorization", f"Bearer {TOKEN}"),))
        peer = Endpoint("oxigraph", f"{oxigraph.base_url}/query",
                        f"{oxigraph.base_url}/update", f"{oxigraph.base_url}/store")
        htkg_report, oxigraph_report = run_many([ours, peer])
        print("\n" + table([htkg_report, oxigraph_report]))
        yield {"htkg": htkg_report, "oxigraph": oxigraph_report}
    finally:
        htkg.stop()
        oxigraph.stop()


@pytest.mark.parametrize("suite", COMPLETE)
def test_protocols_pass_in_full(reports: dict[str, Report], suite: str) -> None:
    failed = [o for o in reports["htkg"].outcomes if o.suite == suite and o.strict is Status.FAIL]
    assert not failed, [(o.name, o.reason) for o in failed]


@pytest.mark.parametrize("suite", list(HTKG))
def test_htkg_meets_its_gates_and_oxigraph(reports: dict[str, Report], suite: str) -> None:
    ours, peer = reports["htkg"].counts(suite), reports["oxigraph"].counts(suite)
    assert ours.passed >= HTKG[suite].passed, f"{suite}: {ours} below the gate {HTKG[suite]}"
    assert ours.value_passed >= HTKG[suite].value_passed
    assert ours.passed >= peer.passed, f"{suite}: htkg {ours} < oxigraph {peer}"


def test_no_undocumented_regression_against_oxigraph(reports: dict[str, Report]) -> None:
    lost = [o for o in regressions(reports["oxigraph"], reports["htkg"])
            if o.test not in DOCUMENTED_REGRESSIONS]
    assert not lost, [(o.suite, o.name, o.reason) for o in lost]


def test_read_only_service_passes_the_query_protocol(
    start_server: Callable[..., ServerProcess],
) -> None:
    """As a public read-only service (anonymous reads, no writes) the query half of the
    protocol still passes."""
    server = start_server(HTKG_UNION_DEFAULT_GRAPH="false", HTKG_ANONYMOUS_READ="true",
                          HTKG_ADMIN_TOKEN="")
    report = run_suites(Endpoint("htkg", f"{server.base_url}/sparql", "", ""),
                        ["protocol", "service-description"])
    assert report.counts("service-description").passed == 3
    protocol = report.counts("protocol")
    assert (protocol.passed, protocol.failed) == (16, 0), protocol
