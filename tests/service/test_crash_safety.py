"""kill -9 in the middle of a large Graph Store PUT: after a restart the graph holds all of the
write or none of it, and the provenance graph agrees."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.live import ADMIN_TOKEN, ServerProcess, as_admin

TOKEN = ADMIN_TOKEN
GRAPH = "http://ex/crash"
TRIPLES = 60_000


def count(server: ServerProcess, query: str) -> int:
    response = as_admin.get(f"{server.base_url}/sparql", params={"query": query}, timeout=30)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("delay_s", [0.3, 1.0, 2.0])
def test_kill_during_put_leaves_all_or_nothing(
    start_server: Callable[..., ServerProcess], tmp_path: Path, delay_s: float
) -> None:
    store = tmp_path / "store"
    server = start_server(store, HTKG_ADMIN_TOKEN=TOKEN)
    body = b"".join(f'<http://ex/s{i}> <http://ex/p> "{i}" .\n'.encode() for i in range(TRIPLES))

    def put() -> None:
        try:
            as_admin.put(f"{server.base_url}/graph-store?graph={GRAPH}", content=body, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}",
                               "Content-Type": "application/n-triples"})
        except httpx.HTTPError:
            pass  # the server died under us, as intended

    writer = threading.Thread(target=put)
    writer.start()
    time.sleep(delay_s)
    assert server.process is not None
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    writer.join()

    restarted = start_server(store, HTKG_ADMIN_TOKEN=TOKEN)
    triples = count(restarted, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    records = count(restarted, "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/htkg/graph/"
                               "provenance> WHERE { ?w <https://w3id.org/htkg/ontology#"
                               f"targetGraph> <{GRAPH}> }}")
    assert (triples, records) in ((0, 0), (TRIPLES, 1))
