"""``htkg token`` and ``htkg graph policy``, against a real server that uses what they wrote."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
from click.testing import CliRunner

from service.cli import main
from tests.live import ServerProcess

GRAPH = "https://w3id.org/htkg/graph/org/org-a/cases"


def htkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service", *args], capture_output=True,
                          text=True, check=False)


def test_token_lifecycle_with_a_running_server(
    start_server: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    created = htkg("token", "create", "--role", "partner", "--org", "org-a", "--store",
                   str(store))
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("htkg_")
    server = start_server(store)
    ask = {"query": "ASK {}"}
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.base_url}/sparql", params=ask, headers=bearer).status_code == 200
    listed = [json.loads(line) for line in htkg("token", "list", "--store",
                                                str(store)).stdout.splitlines()]
    assert [t["org"] for t in listed] == ["org-a"]
    stored = (tmp_path / "store.tokens.json").read_text()
    assert token not in stored and token.split("_")[2] not in stored
    assert "hash" not in listed[0]
    revoked = htkg("token", "revoke", listed[0]["id"], "--store", str(store))
    assert revoked.returncode == 0, revoked.stderr
    answer = httpx.get(f"{server.base_url}/sparql", params=ask, headers=bearer)
    assert answer.status_code == 401 and "revoked" in answer.text


def test_token_create_refuses_a_bad_organisation(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["token", "create", "--role", "partner", "--org",
                                       "Org A", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "--org" in result.output


def test_graph_policy_is_used_by_the_server(
    start_server: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    token = htkg("token", "create", "--role", "partner", "--org", "org-b", "--store",
                 str(store)).stdout.strip().splitlines()[-1]
    result = htkg("graph", "policy", GRAPH, "--owner", "org-a", "--tlp", "AMBER", "--grant",
                  "org-b", "--store", str(store))
    assert result.returncode == 0, result.stderr
    server = start_server(store)
    put = httpx.put(f"{server.base_url}/graph-store", params={"graph": GRAPH},
                    content="<urn:a> <urn:b> 'shared' .", headers={
                        "Content-Type": "text/turtle", "Authorization": "Bearer test-admin-token"})
    assert put.status_code == 201, put.text
    read = httpx.get(f"{server.base_url}/graph-store", params={"graph": GRAPH},
                     headers={"Authorization": f"Bearer {token}"})
    assert read.status_code == 200 and "shared" in read.text
    busy = htkg("graph", "policy", GRAPH, "--owner", "org-a", "--tlp", "RED", "--store",
                str(store))
    assert busy.returncode != 0
    assert "lock" in busy.stderr.lower() or "in use" in busy.stderr.lower()
