"""Data survives restarts, and a restart neither duplicates nor loses the shipped graphs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.live import ServerProcess, as_admin

COUNT = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"


def count(server: ServerProcess) -> int:
    response = as_admin.get(f"{server.base_url}/sparql", params={"query": COUNT})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_restart_keeps_data_and_adds_no_duplicates(
    start_server: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    store = tmp_path / "persistent"
    first = start_server(store)
    before = count(first)
    first.stop()
    second = start_server(store)
    assert count(second) == before > 0
