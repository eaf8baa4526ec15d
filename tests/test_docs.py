"""The examples in the README and docs/ are real: run them against a live server."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from click.testing import CliRunner

from service.cli import main
from tests.live import ServerProcess

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text()


def test_readme_quick_start_has_exactly_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.*?)```", quick_start, re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make serve", "make test"]


def test_readme_resolution_rows_are_what_the_server_answers(live_server: ServerProcess) -> None:
    query = (ROOT / "queries" / "resolutions.rq").read_text()
    response = httpx.post(f"{live_server.base_url}/sparql", data={"query": query},
                          headers={"Accept": "text/csv"})
    documented = [line for line in README.splitlines()
                  if line.startswith("https://w3id.org/htkg/id/resolution/")]
    assert documented
    served = response.text.replace("\r\n", "\n").splitlines()
    for line in documented:
        assert line in served


def test_readme_flow_query_output_is_what_htkg_query_prints(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "--store", str(tmp_path / "s"), "-f",
                                       str(ROOT / "queries" / "flows-into-terrorist-groups.rq")])
    documented = next(line for line in README.splitlines()
                      if line.startswith("<https://w3id.org/htkg/id/actor/al-shabaab>"))
    assert documented.split() == result.stdout.splitlines()[1].split()


def test_health_example_has_the_documented_keys(live_server: ServerProcess) -> None:
    body = httpx.get(f"{live_server.base_url}/health").json()
    documented = (ROOT / "docs" / "http-api.md").read_text()
    assert '{"status":"ok","triples":' in documented
    assert set(body) == {"status", "triples", "version"}
