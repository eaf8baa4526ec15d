"""Views (kg.views): copies of a checkpoint holding exactly some of its graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.views import DEFAULT_GRAPH, Views

EX = "http://ex/"


@pytest.fixture
def checkpoint(tmp_path: Path) -> str:
    store = ox.Store(str(tmp_path / "store"))
    for graph in (ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b"), ox.DefaultGraph()):
        name = graph.value if isinstance(graph, ox.NamedNode) else "default"
        store.add(ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal(name),
                          graph))
    store.add_graph(ox.NamedNode(f"{EX}empty"))
    store.backup(str(tmp_path / "checkpoint"))
    del store
    return str(tmp_path / "checkpoint")


def _built(views: Views, checkpoint: str, graphs: frozenset[str]) -> ox.Store:
    assert views.find(checkpoint, graphs) is None
    views.wait()
    path = views.find(checkpoint, graphs)
    assert path is not None
    return ox.Store.read_only(path)


def test_a_view_holds_exactly_its_graphs_empty_and_default_ones_included(
        checkpoint: str) -> None:
    view = _built(Views(limit=4), checkpoint,
                  frozenset({f"{EX}a", f"{EX}empty", DEFAULT_GRAPH}))
    assert {q.object.value for q in view} == {f"{EX}a", "default"}
    assert sorted(g.value for g in view.named_graphs()) == [f"{EX}a", f"{EX}empty"]


def test_no_more_views_than_the_limit(checkpoint: str) -> None:
    views = Views(limit=1)
    _built(views, checkpoint, frozenset({f"{EX}a"}))
    assert views.find(checkpoint, frozenset({f"{EX}b"})) is None
    views.wait()
    assert views.find(checkpoint, frozenset({f"{EX}b"})) is None


def test_a_new_checkpoint_makes_earlier_views_unused(checkpoint: str, tmp_path: Path) -> None:
    views = Views(limit=4)
    assert views.find(checkpoint, frozenset({f"{EX}a"})) is None
    views.wait()
    first = views.find(checkpoint, frozenset({f"{EX}a"}))
    assert first is not None and first in views.in_use()
    newer = str(tmp_path / "newer")
    ox.Store.read_only(checkpoint).backup(newer)
    assert views.find(newer, frozenset({f"{EX}a"})) is None  # never the older one
    assert first not in views.in_use()
    views.wait()


def test_a_failed_build_is_logged_once_and_not_tried_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    views = Views(limit=4)
    missing = str(tmp_path / "no-such-checkpoint")
    for _ in range(3):
        assert views.find(missing, frozenset({f"{EX}a"})) is None
        views.wait()
    assert [r.message for r in caplog.records] == ["could not build the view of 1 graphs"]
    assert views.in_use() == {missing}
