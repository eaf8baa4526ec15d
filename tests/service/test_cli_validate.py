"""``htkg validate``: readable lines, exit status by severity, parse errors with position."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from service.cli import main
from service.cli_validate import validate

BAD = """@prefix htkg: <https://w3id.org/htkg/ontology#> .
<https://w3id.org/htkg/id/country/x> a htkg:Country ; htkg:iso3166Alpha2 "x1" .
"""
WARN_ONLY = """@prefix htkg: <https://w3id.org/htkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/htkg/id/actor/g> a htkg:TerroristGroup, htkg:Organization, htkg:Actor ;
    rdfs:label "A group" .
"""


def _cli() -> click.Group:
    group = click.Group(commands={"validate": validate})
    return group if "validate" not in main.commands else main


def test_validate_prints_one_line_per_result_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    result = CliRunner().invoke(_cli(), ["validate", str(bad)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{bad}: Violation: <https://") for line in lines)
    assert "1 file, 2 violations, 0 warnings" in result.stderr


def test_validate_prints_warnings_and_exits_0(tmp_path: Path) -> None:
    warn = tmp_path / "warn.ttl"
    warn.write_text(WARN_ONLY)
    result = CliRunner().invoke(_cli(), ["validate", str(warn)])
    assert result.exit_code == 0 and result.stdout.count("Warning: ") == 1


def test_validate_names_file_line_and_column_of_a_parse_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://ex/a> <http://ex/p> <http://ex/b> .\n"
                      "<http://ex/a> <http://ex/p> .\n")
    result = CliRunner().invoke(_cli(), ["validate", str(broken)])
    assert result.exit_code == 1
    assert f"in {broken} at line 2, column" in result.output
    assert "Traceback" not in result.output


def test_validate_help_has_an_example() -> None:
    result = CliRunner().invoke(_cli(), ["validate", "--help"])
    assert "Example:" in result.output and "htkg validate evidence.ttl" in result.output
