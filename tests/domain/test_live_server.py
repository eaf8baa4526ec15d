"""The same facts and query rows as test_facts.py / test_queries.py, through the real /sparql.

Needs the ``live_server`` fixture of tests/conftest.py (a running htkg with the domain graph).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.domain.facts import ALL_FACTS, Fact
from tests.domain.graphs import query_files, rows_from_json
from tests.domain.test_queries import EXPECTED

JSON = "application/sparql-results+json"


def post_query(server: Any, query: str) -> dict[str, Any]:
    response = httpx.post(f"{server.base_url}/sparql", data={"query": query},
                          headers={"Accept": JSON}, timeout=30)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.mark.parametrize("fact", ALL_FACTS, ids=lambda f: f.name)
def test_post_sparql_fact_holds_with_its_provenance(live_server: Any, fact: Fact) -> None:
    assert post_query(live_server, fact.query)["boolean"] is True


@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.name)
def test_post_sparql_library_query_gives_exact_rows(live_server: Any, path: Path) -> None:
    document = post_query(live_server, path.read_text(encoding="utf-8"))
    assert rows_from_json(document) == EXPECTED[path.name]
