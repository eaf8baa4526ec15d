"""Outgoing federation and harvest with real processes on loopback (issue #7 acceptance).

htkg A runs the analyst's query; htkg B is a partner holding case evidence behind a token it
gave A; a real ``oxigraph serve`` C is another partner; a misbehaving endpoint answers slowly,
with garbage, or with a redirect. A registers B, C and the misbehaving one through its admin
API, which also puts their endpoints on its SERVICE allow-list.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.live import ADMIN, ServerProcess, free_port, oxigraph_server

BASE = "https://w3id.org/htkg/"
PARAGRAPH = f"{BASE}id/resolution/2388/op/financial-flows-data"
EVIDENCE = "https://fiu-b.example/case/e1"
CONCERNS = "https://fiu-b.example/ns#concerns"
FLAGGED = "https://fiu-c.example/ns#flaggedBy"
GRAPH_B = f"{BASE}graph/org/org-b/cases"
BAD_GRAPH_B = f"{BASE}graph/org/org-b/bad"
ROOT = Path(__file__).parents[2]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class Partners:
    a: ServerProcess
    b: ServerProcess
    c: ServerProcess
    bad: ServerProcess

    @property
    def b_sparql(self) -> str:
        return f"{self.b.base_url}/sparql"

    @property
    def c_query(self) -> str:
        return f"{self.c.base_url}/query"


def _register(a: ServerProcess, partner_id: str, **record: object) -> None:
    answer = httpx.put(f"{a.base_url}/admin/partners/{partner_id}", json=record, headers=ADMIN)
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def partners(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Partners]:
    from tests.live import htkg_server

    root = tmp_path_factory.mktemp("federation")
    started: list[ServerProcess] = []

    def start(server: ServerProcess) -> ServerProcess:
        started.append(server.start())
        return server

    b = start(htkg_server(root / "b", root / "b.log", HTKG_ADMIN_TOKEN="test-admin-token"))
    token = httpx.post(f"{b.base_url}/admin/tokens", headers=ADMIN,
                       json={"role": "partner", "org": "org-a"}).json()["token"]
    put = httpx.put(f"{b.base_url}/graph-store", params={"graph": GRAPH_B},
                    content=f"<{EVIDENCE}> <{CONCERNS}> <{PARAGRAPH}> .",
                    headers={"Content-Type": "application/n-triples", **ADMIN})
    assert put.status_code == 201, put.text
    policy = httpx.put(f"{b.base_url}/admin/policies", params={"graph": GRAPH_B}, headers=ADMIN,
                       json={"owner": "org-b", "tlp": "AMBER", "grants": ["org-a"]})
    assert policy.status_code == 200, policy.text
    # C is a plain Oxigraph: it stores what htkg's shapes would refuse (an unnumbered resolution)
    c = start(oxigraph_server(root / "c", root / "c.log"))
    loaded = httpx.post(f"{c.base_url}/store",
                        content=f'<{EVIDENCE}> <{FLAGGED}> "FIU-C" .\n'
                                f'<{BASE}id/resolution/9999> <{RDF_TYPE}> '
                                f'<{BASE}ontology#Resolution> <{BAD_GRAPH_B}> .\n',
                        headers={"Content-Type": "application/n-quads"})
    assert loaded.status_code in (200, 204), loaded.text
    bad_port = free_port()
    bad = ServerProcess([sys.executable, "-m", "tests.federation.misbehaving", str(bad_port)],
                        bad_port, root / "bad.log", cwd=ROOT)
    start(bad)
    a = start(htkg_server(root / "a", root / "a.log", HTKG_ADMIN_TOKEN="test-admin-token"))
    _register(a, "b", org="org-b", endpoints=[f"{b.base_url}/sparql"],
              headers={"Authorization": f"Bearer {token}"}, timeout_s=3,
              shared=[{"name": "cases", "remote": GRAPH_B, "tlp": "GREEN"}])
    _register(a, "c", org="org-c", endpoints=[f"{c.base_url}/query"], timeout_s=3,
              shared=[{"name": "bad", "remote": BAD_GRAPH_B}])
    _register(a, "slowpoke", org="org-s", timeout_s=2,
              endpoints=[f"{bad.base_url}/slow", f"{bad.base_url}/garbage",
                         f"{bad.base_url}/redirect"])
    yield Partners(a, b, c, bad)
    for server in started:
        server.stop()


def _ask(partners: Partners, query: str) -> httpx.Response:
    return httpx.post(f"{partners.a.base_url}/sparql", data={"query": query}, timeout=30,
                      headers={"Accept": "application/sparql-results+json", **ADMIN})


def _joined(partners: Partners, *, silent_b: bool = False) -> str:
    silent = "SILENT " if silent_b else ""
    return f"""PREFIX htkg: <{BASE}ontology#>
SELECT ?paragraph ?number ?evidence ?flag WHERE {{
  ?paragraph htkg:paragraphOf <{BASE}id/resolution/2388> .
  OPTIONAL {{ ?paragraph htkg:paragraphNumber ?number }}
  SERVICE {silent}<{partners.b_sparql}> {{ ?evidence <{CONCERNS}> ?paragraph }}
  SERVICE <{partners.c_query}> {{ ?evidence <{FLAGGED}> ?flag }}
}}"""


def _rows(answer: httpx.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in row.items()}
            for row in answer.json()["results"]["bindings"]]


def test_a_query_joins_a_b_and_c(partners: Partners) -> None:
    rows = _rows(_ask(partners, _joined(partners)))
    assert [(r["paragraph"], r["evidence"], r["flag"]) for r in rows] == [
        (PARAGRAPH, EVIDENCE, "FIU-C")]
    metrics = httpx.get(f"{partners.a.base_url}/metrics").text
    assert 'htkg_federation_calls_total{outcome="ok",partner="b"}' in metrics


def test_an_unregistered_endpoint_is_refused(partners: Partners) -> None:
    query = f"SELECT * {{ SERVICE <{partners.b.base_url}/graph-store> {{ ?s ?p ?o }} }}"
    answer = _ask(partners, query)
    assert answer.status_code == 403
    assert "allow-list" in answer.text


@pytest.mark.parametrize(("path", "cause"), [("slow", "time limit of 2 s"),
                                             ("garbage", "unparsable"),
                                             ("redirect", "redirect")])
def test_a_misbehaving_partner_is_named_within_its_limit(
    partners: Partners, path: str, cause: str
) -> None:
    endpoint = f"{partners.bad.base_url}/{path}"
    started = time.monotonic()
    failed = _ask(partners, f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
    assert time.monotonic() - started < 2 + 1.5
    assert failed.status_code == 502, failed.text
    assert "slowpoke" in failed.text and cause in failed.text
    assert "/federation/" not in failed.text  # the internal route never leaks
    silent = _ask(partners, f"SELECT * {{ BIND(1 AS ?a) SERVICE SILENT <{endpoint}> "
                            "{ ?s ?p ?o } }")
    assert time.monotonic() - started < 2 * (2 + 1.5)
    assert [r["a"] for r in _rows(silent)] == ["1"]


def test_with_b_stopped(partners: Partners, tmp_path: Path) -> None:
    partners.b.stop()
    try:
        started = time.monotonic()
        rows = _rows(_ask(partners, _joined(partners, silent_b=True)))
        assert time.monotonic() - started < 3 + 1.5
        assert rows and {r["flag"] for r in rows} == {"FIU-C"}  # A's and C's part
        failed = _ask(partners, _joined(partners))
        assert failed.status_code == 502
        assert "partner b" in failed.text and "unreachable" in failed.text
    finally:
        partners.b.start()


def test_harvest_writes_then_writes_nothing(partners: Partners) -> None:
    url = f"{partners.a.base_url}/admin/partners/b/harvest"
    first = httpx.post(url, headers=ADMIN, timeout=60).json()["graphs"]
    assert [g["outcome"] for g in first] in (["written"], ["unchanged"])
    local = f"{BASE}graph/partner/org-b/cases"
    writes = _count_writes(partners)
    second = httpx.post(url, headers=ADMIN, timeout=60).json()["graphs"]
    assert [g["outcome"] for g in second] == ["unchanged"]
    assert second[0]["content_hash"] == first[0]["content_hash"]
    assert _count_writes(partners) == writes
    graph = httpx.get(f"{partners.a.base_url}/graph-store", params={"graph": local},
                      headers={"Accept": "application/n-triples", **ADMIN})
    assert EVIDENCE in graph.text
    policy = httpx.get(f"{partners.a.base_url}/admin/policies", params={"graph": local},
                       headers=ADMIN).json()
    assert (policy["owner"], policy["tlp"]) == ("org-b", "GREEN")


def test_an_invalid_partner_graph_is_quarantined(partners: Partners) -> None:
    outcome = httpx.post(f"{partners.a.base_url}/admin/partners/c/harvest", headers=ADMIN,
                         timeout=60).json()["graphs"]
    assert [g["outcome"] for g in outcome] == ["quarantined"]
    local = f"{BASE}graph/partner/org-c/bad"
    assert httpx.get(f"{partners.a.base_url}/graph-store", params={"graph": local},
                     headers=ADMIN).status_code == 404
    quarantined = httpx.get(f"{partners.a.base_url}/admin/quarantine", headers=ADMIN).json()
    entry = quarantined["quarantined"][0]
    assert entry["partner"] == "c" and entry["results"]
    assert Path(entry["report"]).read_text().count("ValidationResult") >= 1


def _count_writes(partners: Partners) -> int:
    answer = _ask(partners, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{BASE}graph/provenance> "
                            f"{{ ?w a <{BASE}ontology#GraphWrite> }} }}")
    return int(_rows(answer)[0]["n"])


def test_partner_cli_round_trip(tmp_path: Path, start_server: Callable[..., ServerProcess]
                                ) -> None:
    store = str(tmp_path / "store")

    def htkg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "service", *args, "--store", store],
                              capture_output=True, text=True, check=False)

    added = htkg("partner", "add", "fiu", "--org", "fiu", "--endpoint",
                 "https://fiu.example/sparql", "--header", "Authorization: Bearer s3cret",
                 "--share", "cases=https://fiu.example/graph/cases@RED")
    assert added.returncode == 0, added.stderr
    listed = htkg("partner", "list").stdout
    assert "fiu.example/sparql" in listed and "s3cret" not in listed
    server = start_server(Path(store))
    refused = httpx.post(f"{server.base_url}/sparql", headers=ADMIN, data={
        "query": "SELECT * { SERVICE <https://elsewhere.example/sparql> { ?s ?p ?o } }"})
    assert refused.status_code == 403
    server.stop()
    assert htkg("partner", "remove", "fiu").returncode == 0
    assert htkg("partner", "list").stdout.strip() == ""
