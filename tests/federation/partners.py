"""Two partner organisations on a real htkg server, and the Comunica install, for the clients.

Each server gets two partner tokens from ``POST /admin/tokens``; partner A writes
``graph/org/org-a/x`` and partner B ``graph/org/org-b/y`` with Graph Store PUT, so each graph
is AMBER+STRICT and owned by its writer: a client holding A's token must see A's case and
never B's. ``strict_htkg`` refuses requests without a token (the setting partners run);
``open_htkg`` lets anonymous callers read CLEAR graphs, for clients that cannot send one.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.live import ADMIN, ADMIN_TOKEN, ServerProcess, htkg_server

BASE = "https://w3id.org/htkg/"
GRAPH_A = BASE + "graph/org/org-a/x"
GRAPH_B = BASE + "graph/org/org-b/y"
CASE_A = "https://example.org/org-a/case/1"
CASE_B = "https://example.org/org-b/case/1"
LABEL_A = "Case 1 of org-a"
LABEL_B = "Case 1 of org-b"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: a fact of the curated briefing graph (CLEAR): every caller reads it
RESOLUTION = BASE + "id/resolution/2388"
RESOLUTION_LABEL = "S/RES/2388 (2017)"
CLEAR_GRAPHS = {BASE + "graph/" + name for name in ("ontology", "shapes", "briefing",
                                                     "inferred")}
COMUNICA = Path(__file__).parent / "comunica"


@dataclass(frozen=True)
class Partners:
    """A running htkg with the graphs of org-a and org-b, and their tokens."""

    server: ServerProcess
    token_a: str
    token_b: str

    @property
    def endpoint(self) -> str:
        return f"{self.server.base_url}/sparql"

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def start_partners(root: Path, **env: str) -> Partners:
    """Start htkg in ``root`` with ``env``, make the tokens and write both graphs."""
    server = htkg_server(root / "store", root / "server.log", HTKG_ADMIN_TOKEN=ADMIN_TOKEN,
                         **env).start()
    tokens = []
    for org in ("org-a", "org-b"):
        created = httpx.post(f"{server.base_url}/admin/tokens", headers=ADMIN,
                             json={"role": "partner", "org": org})
        assert created.status_code == 201, created.text
        tokens.append(created.json()["token"])
    partners = Partners(server, *tokens)
    for graph, case, label, token in ((GRAPH_A, CASE_A, LABEL_A, partners.token_a),
                                      (GRAPH_B, CASE_B, LABEL_B, partners.token_b)):
        put = httpx.put(f"{server.base_url}/graph-store", params={"graph": graph},
                        content=f'<{case}> <{RDFS_LABEL}> "{label}" .',
                        headers={"Content-Type": "text/turtle", **partners.auth(token)})
        assert put.status_code == 201, put.text
    return partners


@pytest.fixture(scope="module")
def strict_htkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Partners]:
    """htkg as partners run it: every request needs a token."""
    partners = start_partners(tmp_path_factory.mktemp("strict"))
    yield partners
    partners.server.stop()


@pytest.fixture(scope="module")
def open_htkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Partners]:
    """htkg that lets anonymous callers read the CLEAR graphs (HTKG_ANONYMOUS_READ=true)."""
    partners = start_partners(tmp_path_factory.mktemp("open"), HTKG_ANONYMOUS_READ="true")
    yield partners
    partners.server.stop()


def comunica_installed() -> Path:
    """The folder of the Comunica install, made with ``npm ci`` from the lock file if needed.

    CI has node and npm; a machine without them fails here with the reason, rather than
    skipping the only test of a JavaScript client.
    """
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"the Comunica tests need {' and '.join(missing)} (Node.js 20 or later) "
                    "on PATH; install them, e.g. apt-get install nodejs npm")
    if not (COMUNICA / "node_modules" / ".bin" / "comunica-sparql").exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=COMUNICA,
                              capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            pytest.fail(f"npm ci in {COMUNICA} failed:\n{done.stdout}\n{done.stderr}")
    return COMUNICA
