"""Every shipped Turtle file parses with both parsers the project uses, and every query parses."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from tests.domain.graphs import FOLDERS, query_files, turtle_files

TURTLE = [path for name in FOLDERS for path in turtle_files(name)]


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_turtle_file_parses_with_rdflib_and_oxigraph(path: Path) -> None:
    assert len(rdflib.Graph().parse(path, format="turtle")) > 0
    assert list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("path", list(query_files()), ids=lambda p: p.name)
def test_query_parses(path: Path) -> None:
    ox.Store().query(path.read_text(encoding="utf-8"))
