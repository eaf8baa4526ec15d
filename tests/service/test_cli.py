"""The htkg command line: query, dump and restore on a real store directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from service.cli import main


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_query_prints_a_table(tmp_path: Path) -> None:
    out = run("query", "--store", str(tmp_path / "s"),
              "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    header, value = out.splitlines()[:2]
    assert header.strip() == "?n"
    assert int(value) > 0


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_query_from_a_file_in_each_format(tmp_path: Path, fmt: str) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
    out = run("query", "--store", str(tmp_path / "s"), "-f", str(query), "--format", fmt)
    if fmt == "json":
        graphs = [b["g"]["value"] for b in json.loads(out)["results"]["bindings"]]
        assert "https://w3id.org/htkg/graph/ontology" in graphs
    else:
        assert "https://w3id.org/htkg/graph/ontology" in out


def test_query_syntax_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "--store", str(tmp_path / "s"), "SELECT {"])
    assert result.exit_code == 1
    assert "SPARQL syntax error at line 1" in result.output
    assert "Traceback" not in result.output


def test_dump_restore_dump_is_identical_after_sorting(tmp_path: Path) -> None:
    first, second = tmp_path / "first.nq", tmp_path / "second.nq"
    run("query", "--store", str(tmp_path / "a"), "ASK {}")  # loads the shipped graphs
    run("dump", "--store", str(tmp_path / "a"), str(first))
    run("restore", "--store", str(tmp_path / "b"), str(first))
    run("dump", "--store", str(tmp_path / "b"), str(second))
    lines = first.read_text().splitlines()
    assert lines and sorted(lines) == sorted(second.read_text().splitlines())


def test_dump_as_trig_restores(tmp_path: Path) -> None:
    trig = tmp_path / "all.trig"
    run("dump", "--store", str(tmp_path / "a"), "--format", "trig", str(trig))
    run("restore", "--store", str(tmp_path / "b"), str(trig))
    count = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    a = run("query", "--store", str(tmp_path / "a"), "--format", "csv", count)
    assert a == run("query", "--store", str(tmp_path / "b"), "--format", "csv", count)


def test_restore_of_a_broken_dump_names_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nq"
    broken.write_text('<http://a> <http://b> "x .\n')
    result = CliRunner().invoke(main, ["restore", "--store", str(tmp_path / "s"), str(broken)])
    assert result.exit_code == 1
    assert "line 1" in result.output


def test_every_command_help_has_an_example() -> None:
    for name, command in main.commands.items():
        assert isinstance(command, click.Command)
        text = CliRunner().invoke(main, [name, "--help"]).output
        assert "Example:" in text, name


def test_installed_entry_point_runs_from_another_directory(tmp_path: Path) -> None:
    htkg = Path(sys.executable).parent / "htkg"
    result = subprocess.run(
        [str(htkg), "query", "--store", str(tmp_path / "s"), "--format", "csv",
         "SELECT (COUNT(*) AS ?n) { GRAPH <https://w3id.org/htkg/graph/ontology> { ?s ?p ?o } }"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )
    assert int(result.stdout.splitlines()[1]) > 0
