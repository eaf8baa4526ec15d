"""htkg held to the W3C suites over HTTP, with the server setting the suites expect."""

from __future__ import annotations

from collections.abc import Callable

from tests.conformance import Endpoint, run_suites
from tests.conformance.report import table
from tests.live import ServerProcess


def test_protocol_queries_and_service_description_pass(
    start_server: Callable[..., ServerProcess],
) -> None:
    """Issue #2's gate: every query-only protocol test and the three service-description tests."""
    server = start_server(HTKG_UNION_DEFAULT_GRAPH="false")
    report = run_suites(Endpoint("htkg", f"{server.base_url}/sparql", "", ""),
                        ["protocol", "service-description"])
    print("\n" + table([report]))
    assert report.counts("service-description").passed == 3
    protocol = report.counts("protocol")
    assert (protocol.passed, protocol.failed) == (16, 0), protocol
