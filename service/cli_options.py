"""Options every htkg command shares: where the store is and which configuration to read."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg.errors import KgError
from service.settings import SettingsError, load_settings

C = TypeVar("C", bound=Callable[..., Any])

def store_options(command: C) -> C:
    """Add ``--store`` and ``--config`` and turn them (and the environment) into Settings."""

    @click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
                  help="TOML configuration file (default: $HTKG_CONFIG).")
    @click.option("--store", default=None, help="Store directory (default: ./var/store).")
    @functools.wraps(command)
    def wrapper(config_file: str | None, store: str | None, **kwargs: Any) -> Any:
        overrides = {"store": store, **{k: v for k, v in kwargs.items() if k in _SETTING_NAMES}}
        try:
            settings = load_settings(config_file, environ=os.environ, overrides=overrides)
        except SettingsError as exc:
            raise click.UsageError(str(exc)) from exc
        try:
            return command(settings, **kwargs)
        except KgError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


_SETTING_NAMES = {"host", "port", "threads", "union_default_graph"}
