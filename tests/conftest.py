"""Fixtures shared by every test: a real htkg server, an in-process app, a clean environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.settings import Settings, load_settings
from tests.live import ADMIN_TOKEN, ServerProcess, htkg_server


@pytest.fixture(autouse=True)
def _no_htkg_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's exported HTKG_* variables must not change any result."""
    for name in list(os.environ):
        if name.startswith("HTKG_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real ``htkg serve`` for the session, on a free loopback port, domain graph loaded."""
    root = tmp_path_factory.mktemp("live")
    server = htkg_server(root / "store", root / "server.log", HTKG_ANONYMOUS_READ="true",
                         HTKG_ADMIN_TOKEN=ADMIN_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """Start extra htkg servers with their own settings (``HTKG_*`` values); stopped after."""
    started: list[ServerProcess] = []

    def start(store: Path | None = None, **env: str) -> ServerProcess:
        env = {"HTKG_ADMIN_TOKEN": ADMIN_TOKEN, **env}
        server = htkg_server(store or tmp_path / "store", tmp_path / "server.log", **env)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        defaults = {"store": str(tmp_path / "store"), "anonymous_read": True,
                    "admin_token": ADMIN_TOKEN}
        return load_settings(overrides={**defaults, **overrides})

    return make


@pytest.fixture
def make_app(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., Flask]]:
    """One factory instead of fixture variants: ``make_app(union_default_graph=False)``."""
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = create_app(make_settings(**{"query_workers": 1, **overrides}))
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["htkg"].workers.shutdown()


@pytest.fixture
def client(make_app: Callable[..., Flask]) -> FlaskClient:
    return make_app().test_client()
