"""Every analyst query of queries/ gives exactly the expected rows on the curated graph.

The expected rows live in data/query_rows.json (reviewed by hand against the briefing); the
same table is used by test_live_server.py through /sparql.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.domain.graphs import Row, query_files, rows_from_store

EXPECTED: dict[str, list[Row]] = json.loads(
    (Path(__file__).parent / "data" / "query_rows.json").read_text(encoding="utf-8")
)
HEADER = re.compile(r"\A# title: .+\n# question: .+\?\n# parameters: .+\n")


def test_the_library_has_at_least_15_queries_each_with_expected_rows() -> None:
    names = {path.name for path in query_files()}
    assert len(names) >= 15
    assert names == set(EXPECTED)


@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.name)
def test_query_starts_with_title_question_and_parameters(path: Path) -> None:
    assert HEADER.match(path.read_text(encoding="utf-8")), f"{path.name}: header comments"


@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.name)
def test_query_gives_exact_rows(domain_store: ox.Store, path: Path) -> None:
    assert rows_from_store(domain_store, path.read_text(encoding="utf-8")) == EXPECTED[path.name]
