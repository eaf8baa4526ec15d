"""``htkg load``: validated loads with provenance, clear refusals, and crash safety."""

from __future__ import annotations

import gc
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main

HTKG = "https://w3id.org/htkg/ontology#"
GRAPH = "http://ex/loaded"


def count(store: Path, pattern: str) -> int:
    gc.collect()  # an earlier in-process command's store must be closed (RocksDB's lock)
    result = CliRunner().invoke(main, ["query", "--store", str(store), "--format", "csv",
                                       f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"])
    assert result.exit_code == 0, result.output
    return int(result.stdout.splitlines()[1])


def test_load_commits_with_one_provenance_record(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    data.write_text("".join(f'<http://ex/s{i}> <http://ex/p> "{i}" .\n' for i in range(1000)))
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "s"), str(data),
                                       "--graph", GRAPH])
    assert result.exit_code == 0, result.output
    assert "loaded 1000 triples" in result.stderr
    store = tmp_path / "s"
    assert count(store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") == 1000
    assert count(store, f"?w <{HTKG}targetGraph> <{GRAPH}> ; <{HTKG}writeSource> "
                        '"data.nt"') == 1


def test_invalid_data_is_refused_with_the_violations(tmp_path: Path) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(f'<https://w3id.org/htkg/id/country/xx> a <{HTKG}Country> ; '
                    f'<{HTKG}iso3166Alpha2> "xx" .\n')
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "s"), str(data),
                                       "--graph", GRAPH])
    assert result.exit_code == 1
    assert "Violation: <https://w3id.org/htkg/id/country/xx>" in result.output
    del result  # its traceback holds the command's frames, and so the open store
    assert count(tmp_path / "s", f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") == 0


def test_a_broken_file_names_file_line_and_column(tmp_path: Path) -> None:
    data = tmp_path / "broken.ttl"
    data.write_text("<http://ex/a> <http://ex/p> 1 .\n<http://ex/a> <http://ex/p> .\n")
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "s"), str(data),
                                       "--graph", GRAPH])
    assert result.exit_code == 1
    assert "broken.ttl at line 2" in result.output


@pytest.mark.parametrize("delay_s", [0.5, 2.0, 4.0])
def test_kill_during_load_leaves_all_or_nothing(tmp_path: Path, delay_s: float) -> None:
    data = tmp_path / "big.nt"
    lines = 100_000
    data.write_text("".join(f'<http://ex/s{i}> <http://ex/p> "{i}" .\n' for i in range(lines)))
    store = tmp_path / "s"
    CliRunner().invoke(main, ["query", "--store", str(store), "ASK {}"])  # a ready store
    process = subprocess.Popen([sys.executable, "-m", "service", "load", "--store", str(store),
                                str(data), "--graph", GRAPH], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay_s)
    process.send_signal(signal.SIGKILL)
    process.wait()
    triples = count(store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}")
    records = count(store, f"?w <{HTKG}targetGraph> <{GRAPH}>")
    assert (triples, records) in ((0, 0), (lines, 1))
