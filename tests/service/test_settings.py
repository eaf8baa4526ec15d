"""Settings are strict: right types from every source, clear errors naming key and origin."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from service.settings import SettingsError, load_settings, setting_fields


def test_defaults() -> None:
    settings = load_settings()
    assert (settings.host, settings.port, settings.store) == ("127.0.0.1", 8000, "./var/store")
    assert settings.union_default_graph is True


@pytest.mark.parametrize(("raw", "value"), [("false", False), ("False", False), ("0", False),
                                            ("TRUE", True), ("1", True)])
def test_environment_booleans(raw: str, value: bool) -> None:
    settings = load_settings(environ={"HTKG_UNION_DEFAULT_GRAPH": raw})
    assert settings.union_default_graph is value


def test_bad_boolean_names_key_value_and_origin() -> None:
    with pytest.raises(SettingsError, match="union_default_graph.*'no'.*HTKG_UNION"):
        load_settings(environ={"HTKG_UNION_DEFAULT_GRAPH": "no"})


def test_unknown_environment_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="HTKG_PROT"):
        load_settings(environ={"HTKG_PROT": "1"})


def test_precedence_file_then_environment_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "htkg.toml"
    config.write_text('port = 9000\nhost = "0.0.0.0"\nthreads = 3\n')
    settings = load_settings(config, environ={"HTKG_PORT": "9100"}, overrides={"threads": 5})
    assert (settings.host, settings.port, settings.threads) == ("0.0.0.0", 9100, 5)


def test_config_file_from_environment(tmp_path: Path) -> None:
    config = tmp_path / "htkg.toml"
    config.write_text("union_default_graph = false\n")
    assert load_settings(environ={"HTKG_CONFIG": str(config)}).union_default_graph is False


def test_bad_file_value_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "htkg.toml"
    config.write_text('port = "eighty"\n')
    with pytest.raises(SettingsError, match="port.*eighty.*htkg.toml"):
        load_settings(config)


CONFIG_DOC = Path(__file__).parents[2] / "docs" / "configuration.md"
TABLE = re.compile(r"(<!-- settings-table[^>]*-->\n).*?(<!-- /settings-table -->)", re.DOTALL)


def settings_table() -> str:
    rows = ["| key | environment | type | default | what it does |", "|---|---|---|---|---|"]
    for spec in setting_fields():
        kind = spec.type if isinstance(spec.type, str) else spec.type.__name__
        rows.append(f"| `{spec.name}` | `HTKG_{spec.name.upper()}` | {kind} | "
                    f"`{spec.default!r}` | {spec.metadata['help']} |")
    return "\n".join(rows) + "\n"


def test_every_setting_is_documented() -> None:
    """The table in docs/configuration.md is generated from Settings (UPDATE_DOCS=1 rewrites)."""
    text = CONFIG_DOC.read_text()
    expected = TABLE.sub(lambda m: m.group(1) + settings_table() + m.group(2), text)
    if os.environ.get("UPDATE_DOCS"):
        CONFIG_DOC.write_text(expected)
    assert text == expected, "run: UPDATE_DOCS=1 pytest tests/service/test_settings.py"
