"""The app factory: isolated apps, and every kg error mapped to a status."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from kg import errors
from service.errors import STATUS_OF, status_of
from tests.live import ADMIN


def test_two_apps_in_one_process_do_not_share_stores(make_app: Callable[..., Flask],
                                                      tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = make_app()
    second = make_app(store=str(tmp_path / "other"))
    first.extensions["htkg"].store.update("INSERT DATA { <http://ex/only> <http://ex/in> 1 }")
    first.extensions["htkg"].workers.refresh()
    ask = {"query": "ASK { <http://ex/only> ?p ?o }"}
    for app, expected in ((first, True), (second, False)):
        answer = app.test_client().get("/sparql", query_string=ask, headers=ADMIN)
        assert answer.json["boolean"] is expected


def test_every_kg_error_has_a_status() -> None:
    classes = [c for c in vars(errors).values()
               if isinstance(c, type) and issubclass(c, errors.KgError)]
    for cls in classes:
        if cls in (errors.KgError, errors.PositionedSyntaxError):
            continue
        assert cls in STATUS_OF or any(base in STATUS_OF for base in cls.__mro__), cls
        assert 400 <= status_of(cls.__new__(cls)) < 600
