"""Bounded work through HTTP: the time limit frees the CPU, the row limit says it cut.

The timeout case is issue #6's acceptance test: a three-way cross product over 300k triples
with a 2 s limit is a 503 within 4 s, the server's processes are idle again within 4 s
(measured from /proc), and a simple query sent meanwhile is answered.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from flask import Flask

from tests.live import ADMIN, ADMIN_TOKEN, ServerProcess, htkg_server

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TICKS = os.sysconf("SC_CLK_TCK")


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds used so far by a process and its descendants (the query workers)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICKS
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return 0.0
    return total + sum(_tree_cpu_s(int(child)) for child in children)


@pytest.fixture(scope="module")
def big_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("limits")
    data = root / "data.nq"
    with data.open("w") as out:
        for i in range(300_000):
            out.write(f'<urn:s:{i % 20000}> <urn:p:{i % 13}> "v{i}" <urn:g:{i % 4}> .\n')
    subprocess.run([sys.executable, "-m", "service", "restore", str(data), "--store",
                    str(root / "store")], check=True, capture_output=True)
    server = htkg_server(root / "store", root / "server.log", HTKG_ADMIN_TOKEN=ADMIN_TOKEN,
                         HTKG_QUERY_WORKERS="2").start()
    yield server
    server.stop()


def test_timeout_stops_the_work_and_others_are_served(big_server: ServerProcess) -> None:
    url = f"{big_server.base_url}/sparql"
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = httpx.post(url, data={"query": CROSS_PRODUCT, "timeout": "2"},
                              headers=ADMIN, timeout=30)
        outcome["status"], outcome["text"] = response.status_code, response.text
        outcome["elapsed"] = time.monotonic() - started
        outcome["ended"] = time.monotonic()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    simple = httpx.post(url, data={"query": "ASK { <urn:s:1> ?p ?o }"}, headers=ADMIN,
                        timeout=10)
    assert simple.status_code == 200 and simple.json()["boolean"] is True
    thread.join(timeout=30)
    assert outcome["status"] == 503, outcome
    assert "2 s" in str(outcome["text"])
    assert float(outcome["elapsed"]) < 4  # type: ignore[arg-type]
    assert big_server.process is not None
    pid = big_server.process.pid
    while time.monotonic() - float(outcome["ended"]) < 3:  # type: ignore[arg-type]
        before = _tree_cpu_s(pid)
        time.sleep(0.5)
        if _tree_cpu_s(pid) - before < 0.1:  # under 20% of one core: idle
            break
    else:
        pytest.fail("the server kept using CPU after the time limit")


def test_a_client_cannot_raise_the_limit(big_server: ServerProcess) -> None:
    answer = httpx.post(f"{big_server.base_url}/sparql", headers=ADMIN,
                        data={"query": "ASK {}", "timeout": "0"})
    assert answer.status_code == 400
    assert "timeout" in answer.text


def test_row_limit_cuts_and_says_so(make_app: Callable[..., Flask]) -> None:
    client = make_app(max_result_rows=3).test_client()
    cut = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 10"},
                     headers={"Accept": "application/sparql-results+json", **ADMIN})
    assert len(cut.json["results"]["bindings"]) == 3
    assert cut.headers["HTKG-Result-Truncated"] == "true"
    whole = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 3"},
                       headers={"Accept": "application/sparql-results+json", **ADMIN})
    assert len(whole.json["results"]["bindings"]) == 3
    assert "HTKG-Result-Truncated" not in whole.headers


def _partner_token(server: ServerProcess) -> dict[str, str]:
    created = httpx.post(f"{server.base_url}/admin/tokens", headers=ADMIN,
                         json={"role": "partner", "org": "org-a"})
    return {"Authorization": f"Bearer {created.json()['token']}"}


def test_concurrent_queries_per_token(start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(HTKG_MAX_CONCURRENT_QUERIES="1", HTKG_QUERY_WORKERS="2")
    partner = _partner_token(server)
    url = f"{server.base_url}/sparql"
    slow = threading.Thread(target=httpx.post, args=(url,), kwargs={
        "data": {"query": CROSS_PRODUCT, "timeout": "3"}, "headers": partner, "timeout": 30})
    slow.start()
    time.sleep(1)
    second = httpx.post(url, data={"query": "ASK {}"}, headers=partner)
    other = httpx.post(url, data={"query": "ASK {}"}, headers=ADMIN)
    slow.join()
    assert second.status_code == 429 and "at once" in second.text
    assert other.status_code == 200  # the limit is per token
    assert httpx.post(url, data={"query": "ASK {}"}, headers=partner).status_code == 200


def test_rate_limit_per_token(start_server: Callable[..., ServerProcess]) -> None:
    server = start_server(HTKG_RATE_LIMIT_PER_MINUTE="5")
    partner = _partner_token(server)
    url = f"{server.base_url}/sparql"
    statuses = [httpx.post(url, data={"query": "ASK {}"}, headers=partner)
                for _ in range(7)]
    assert [s.status_code for s in statuses[:5]] == [200] * 5
    assert statuses[5].status_code == 429
    assert int(statuses[5].headers["Retry-After"]) >= 1
    assert httpx.post(url, data={"query": "ASK {}"}, headers=ADMIN).status_code == 200
