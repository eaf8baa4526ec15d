"""/health and /metrics, and the access log."""

from __future__ import annotations

import httpx

from tests.live import ServerProcess


def test_get_health_reports_status_version_and_triples(live_server: ServerProcess) -> None:
    body = httpx.get(f"{live_server.base_url}/health").json()
    assert body["status"] == "ok"
    assert body["version"]
    assert body["triples"] > 0


def test_get_metrics_counts_requests_by_endpoint_and_status(live_server: ServerProcess) -> None:
    httpx.get(f"{live_server.base_url}/sparql", params={"query": "ASK {"})
    httpx.get(f"{live_server.base_url}/sparql", params={"query": "ASK {}"})
    text = httpx.get(f"{live_server.base_url}/metrics").text
    assert 'htkg_http_requests_total{endpoint="sparql",method="GET",status="400"}' in text
    assert 'htkg_http_requests_total{endpoint="sparql",method="GET",status="200"}' in text
    assert 'htkg_http_request_duration_seconds_bucket{endpoint="sparql"' in text
    triples = next(line for line in text.splitlines() if line.startswith("htkg_store_triples "))
    assert float(triples.split()[1]) > 0


def test_each_request_writes_an_access_log_line(live_server: ServerProcess) -> None:
    httpx.get(f"{live_server.base_url}/health?probe=access-log")
    assert '"GET /health" 200' in live_server.log()
