"""The attack catalogue of issue #6: a partner of organisation B against organisation A's
AMBER+STRICT graph, through every path, on a real server over HTTP.

Every case asserts the denial, that no triple of A's graph (its marker strings, or even the
graph's name) appears in the response, and, for the catalogue as a whole, that the store is
byte-for-byte what it was. Positive controls (A reads its own graph, an analyst reads it)
make sure the denials are not an empty store answering.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest

from tests.live import ADMIN, ServerProcess, free_port, htkg_server
from tests.service.writes import snapshot

BASE = "https://w3id.org/htkg/"
GRAPH_A = f"{BASE}graph/org/org-a/cases"
GRAPH_B = f"{BASE}graph/org/org-b/notes"
SECRET = f"{BASE}id/case/secret-a"
MARKERS = ("SECRET-A", "secret-a", "org-a/cases")
DATA_A = f'<{SECRET}> <http://www.w3.org/2000/01/rdf-schema#label> "SECRET-A case" .\n' \
         f'<{SECRET}> <{BASE}ontology#note> "SECRET-A detail" .\n'


@dataclass
class World:
    server: ServerProcess
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def _token(server: ServerProcess, role: str, org: str, **extra: str) -> dict[str, str]:
    response = httpx.post(f"{server.base_url}/admin/tokens", headers=ADMIN,
                          json={"role": role, "org": org, **extra})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("attacks")
    server = htkg_server(root / "store", root / "server.log",
                         HTKG_ADMIN_TOKEN="test-admin-token").start()
    tokens = {name: _token(server, role, org)["token"] for name, role, org in (
        ("a", "partner", "org-a"), ("b", "partner", "org-b"), ("analyst", "analyst", "cted"),
        ("reader", "reader", "org-b"))}
    revoked = _token(server, "partner", "org-b")
    httpx.delete(f"{server.base_url}/admin/tokens/{revoked['id']}", headers=ADMIN)
    tokens["revoked"] = revoked["token"]
    tokens["expired"] = _token(server, "partner", "org-b", expires="2020-01-01")["token"]
    world = World(server, tokens)
    put = httpx.put(f"{server.base_url}/graph-store", params={"graph": GRAPH_A},
                    content=DATA_A, headers={"Content-Type": "text/turtle", **world.auth("a")})
    assert put.status_code == 201, put.text
    put = httpx.put(f"{server.base_url}/graph-store", params={"graph": GRAPH_B},
                    content='<urn:b:1> <urn:b:p> "B note" .',
                    headers={"Content-Type": "text/turtle", **world.auth("b")})
    assert put.status_code == 201, put.text
    yield world
    server.stop()


def _clean(response: httpx.Response, *, asked: str = "") -> None:
    """No marker of A's data in the response (beyond the IRI the caller itself asked for,
    which a "there is no graph <...>" message repeats, as it does for a missing graph)."""
    text = response.text.replace(asked, "") if asked else response.text
    for marker in MARKERS:
        assert marker not in text, (marker, text[:500])
    for name, value in response.headers.items():
        assert not any(m in value for m in MARKERS), (name, value)


def _query(world: World, who: str, query: str, **params: str) -> httpx.Response:
    return httpx.post(f"{world.server.base_url}/sparql", params=params, data={"query": query},
                      headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9",
                               **world.auth(who)})


def _update(world: World, who: str, update: str) -> httpx.Response:
    return httpx.post(f"{world.server.base_url}/sparql", data={"update": update},
                      headers=world.auth(who))


# --- positive controls: the data is there, and its owner and an analyst see it ----------

def test_owner_reads_its_graph(world: World) -> None:
    answer = _query(world, "a", f"SELECT ?o {{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }}")
    assert "SECRET-A case" in answer.text


def test_analyst_reads_amber_strict(world: World) -> None:
    assert "SECRET-A case" in _query(world, "analyst", "SELECT * { ?s ?p ?o }").text


# --- reads through SPARQL ---------------------------------------------------------------

READS = {
    "union default graph": "SELECT * { ?s ?p ?o }",
    "GRAPH ?g": "SELECT * { GRAPH ?g { ?s ?p ?o } }",
    "GRAPH <A>": f"SELECT * {{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }}",
    "FROM <A>": f"SELECT * FROM <{GRAPH_A}> {{ ?s ?p ?o }}",
    "FROM NAMED <A>": f"SELECT * FROM NAMED <{GRAPH_A}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "FROM prefixed name": f"PREFIX g: <{BASE}graph/org/org-a/> "
                          "SELECT * FROM g:cases { ?s ?p ?o }",
    "FROM relative IRI": f"BASE <{BASE}graph/org/org-a/> SELECT * FROM <cases> {{ ?s ?p ?o }}",
    "FROM beside own": f"SELECT * FROM <{GRAPH_A}> FROM <{GRAPH_B}> {{ ?s ?p ?o }}",
    "DESCRIBE": f"DESCRIBE <{SECRET}>",
    "point lookup (answered in-process)":
        f"SELECT ?o {{ <{SECRET}> <http://www.w3.org/2000/01/rdf-schema#label> ?o }}",
    "CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "property path": f"SELECT * {{ <{SECRET}> (<urn:x>|!<urn:x>)* ?o }}",
    "subquery": "SELECT * { { SELECT ?o { GRAPH ?g { ?s ?p ?o } } } }",
    "VALUES ?g": f"SELECT * {{ VALUES ?g {{ <{GRAPH_A}> }} GRAPH ?g {{ ?s ?p ?o }} }}",
    "FILTER on label": 'SELECT ?s { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SECRET")) }',
    "provenance graph": f"SELECT * {{ GRAPH <{BASE}graph/provenance> {{ ?s ?p ?o }} }}",
    "system graph": f"SELECT * {{ GRAPH <{BASE}graph/system> {{ ?s ?p ?o }} }}",
    "inferred graph": f"SELECT * {{ GRAPH <{BASE}graph/inferred> {{ ?s ?p ?o }} }}",
    "list of graphs": "SELECT DISTINCT ?g { GRAPH ?g { } }",
}


@pytest.mark.parametrize("query", READS.values(), ids=READS.keys())
def test_partner_b_reads_nothing_of_a(world: World, query: str) -> None:
    answer = _query(world, "b", query)
    assert answer.status_code == 200, answer.text
    _clean(answer)


def test_ask_is_false(world: World) -> None:
    answer = _query(world, "b", f"ASK {{ <{SECRET}> ?p ?o }}")
    assert answer.json()["boolean"] is False


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_protocol_dataset_is_intersected(world: World, param: str) -> None:
    query = "SELECT * { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    answer = _query(world, "b", query, **{param: GRAPH_A})
    assert answer.status_code == 200
    _clean(answer)


def test_reader_sees_no_amber(world: World) -> None:
    _clean(_query(world, "reader", "SELECT * { GRAPH ?g { ?s ?p ?o } }"))


def test_service_description_lists_only_readable_graphs(world: World) -> None:
    answer = httpx.get(f"{world.server.base_url}/sparql", headers=world.auth("b"))
    assert GRAPH_B in answer.text
    _clean(answer)


# --- fetching ---------------------------------------------------------------------------

FETCHES = {
    "SERVICE loopback other port": f"SELECT * {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> "
                                   "{ ?s ?p ?o } }",
    "SERVICE metadata address": "SELECT * { SERVICE <http://169.254.169.254/latest/meta-data/> "
                                "{ ?s ?p ?o } }",
    "SERVICE SILENT metadata": "SELECT * { SERVICE SILENT <http://169.254.169.254/> { ?s ?p ?o } }",
    "SERVICE variable": "SELECT * { BIND(<http://169.254.169.254/> AS ?e) "
                        "SERVICE ?e { ?s ?p ?o } }",
    "SERVICE to itself": "SELECT * { SERVICE <{self}/sparql> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("query", FETCHES.values(), ids=FETCHES.keys())
def test_no_fetching(world: World, query: str) -> None:
    answer = _query(world, "b", query.replace("{self}", world.server.base_url))
    assert answer.status_code == 403, answer.text
    assert "allow" in answer.text
    _clean(answer)


# --- writes -----------------------------------------------------------------------------

WRITES = {
    "INSERT DATA": f"INSERT DATA {{ GRAPH <{GRAPH_A}> {{ <urn:x> <urn:y> 1 }} }}",
    "DELETE DATA": f'DELETE DATA {{ GRAPH <{GRAPH_A}> {{ <{SECRET}> <urn:y> "SECRET-A" }} }}',
    "DELETE WHERE": f"DELETE WHERE {{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }}",
    "WITH <A>": f"WITH <{GRAPH_A}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "DROP GRAPH": f"DROP GRAPH <{GRAPH_A}>",
    "CLEAR GRAPH": f"CLEAR GRAPH <{GRAPH_A}>",
    "DROP ALL": "DROP ALL",
    "CLEAR NAMED": "CLEAR NAMED",
    "MOVE out": f"MOVE <{GRAPH_A}> TO <{GRAPH_B}>",
    "LOAD file": f"LOAD <file:///etc/passwd> INTO GRAPH <{GRAPH_B}>",
    "template graph variable": "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "WHERE with SERVICE": f"INSERT {{ GRAPH <{GRAPH_B}> {{ ?s ?p ?o }} }} WHERE "
                          "{ SERVICE <http://169.254.169.254/> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("update", WRITES.values(), ids=WRITES.keys())
def test_partner_b_cannot_write_a(world: World, update: str) -> None:
    answer = _update(world, "b", update)
    assert answer.status_code in (403, 404), answer.text
    _clean(answer)


COPIES = {
    "INSERT WHERE GRAPH <A>": f"INSERT {{ GRAPH <{GRAPH_B}> {{ ?s ?p ?o }} }} WHERE "
                              f"{{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }}",
    "INSERT USING <A>": f"INSERT {{ GRAPH <{GRAPH_B}> {{ ?s ?p ?o }} }} USING <{GRAPH_A}> "
                        "WHERE { ?s ?p ?o }",
    "INSERT WHERE GRAPH ?g": f"INSERT {{ GRAPH <{GRAPH_B}> {{ ?s ?p ?o }} }} WHERE "
                             '{ GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SECRET")) } }',
    "COPY A TO B": f"COPY <{GRAPH_A}> TO <{GRAPH_B}>",
}


@pytest.mark.parametrize("update", COPIES.values(), ids=COPIES.keys())
def test_updates_cannot_copy_a_into_b(world: World, update: str) -> None:
    answer = _update(world, "b", update)
    assert answer.status_code in (204, 403, 404), answer.text
    _clean(answer, asked=GRAPH_A)
    _clean(httpx.get(f"{world.server.base_url}/graph-store", params={"graph": GRAPH_B},
                     headers=world.auth("b")))


# --- Graph Store, /shacl, pages, search, export ----------------------------------------

def test_graph_store_read_looks_missing(world: World) -> None:
    url = f"{world.server.base_url}/graph-store"
    denied = httpx.get(url, params={"graph": GRAPH_A}, headers=world.auth("b"))
    missing_graph = GRAPH_A.replace("cases", "nothing")
    missing = httpx.get(url, params={"graph": missing_graph}, headers=world.auth("b"))
    assert denied.status_code == missing.status_code == 404
    assert denied.text.replace(GRAPH_A, "G") == missing.text.replace(missing_graph, "G")
    head = httpx.head(url, params={"graph": GRAPH_A}, headers=world.auth("b"))
    assert head.status_code == 404


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_writes_are_403(world: World, method: str) -> None:
    answer = httpx.request(method, f"{world.server.base_url}/graph-store",
                           params={"graph": GRAPH_A}, content="<urn:x> <urn:y> 1 .",
                           headers={"Content-Type": "text/turtle", **world.auth("b")})
    assert answer.status_code == 403
    assert GRAPH_A not in answer.text


def test_shacl_of_a_looks_missing(world: World) -> None:
    answer = httpx.post(f"{world.server.base_url}/shacl", params={"graph": GRAPH_A},
                        headers=world.auth("b"))
    assert answer.status_code == 404
    _clean(answer, asked=GRAPH_A)


def test_entity_page_looks_missing(world: World) -> None:
    path = SECRET.removeprefix(BASE)
    denied = httpx.get(f"{world.server.base_url}/{path}", headers=world.auth("b"))
    assert denied.status_code == 404
    _clean(denied, asked=SECRET)
    assert httpx.get(f"{world.server.base_url}/{path}", headers=world.auth("a")).status_code == 200


def test_search_finds_nothing_of_a(world: World) -> None:
    answer = httpx.get(f"{world.server.base_url}/search", params={"q": "SECRET"},
                       headers=world.auth("b"))
    assert answer.status_code == 200
    _clean(answer)
    mine = httpx.get(f"{world.server.base_url}/search", params={"q": "SECRET"},
                     headers=world.auth("a"))
    assert "SECRET-A case" in mine.text


def test_export_holds_nothing_of_a(world: World) -> None:
    answer = httpx.get(f"{world.server.base_url}/export", headers=world.auth("b"))
    assert answer.status_code == 200
    assert "B note" in answer.text
    _clean(answer)


def test_admin_api_is_403(world: World) -> None:
    for method, path in (("GET", "/admin/tokens"), ("GET", "/admin/audit"),
                         ("PUT", f"/admin/policies?graph={quote(GRAPH_A)}")):
        answer = httpx.request(method, world.server.base_url + path, headers=world.auth("b"),
                               json={"owner": "org-b", "tlp": "CLEAR"})
        assert answer.status_code == 403, (path, answer.text)


# --- identities -------------------------------------------------------------------------

BAD_HEADERS = {
    "revoked": None, "expired": None,
    "no scheme": "htkg_abc_def",
    "empty bearer": "Bearer",
    "basic": "Basic dXNlcjpwYXNz",
    "over-long": "Bearer " + "x" * 5000,
    "another installation": "Bearer htkg_0123456789ab_notfromhere",
    "garbage": "Bearer \u00e9\u00e9 \u00e9",
}


@pytest.mark.parametrize("case", BAD_HEADERS, ids=BAD_HEADERS.keys())
def test_bad_credentials_are_401(world: World, case: str) -> None:
    header = BAD_HEADERS[case] or f"Bearer {world.tokens[case]}"
    answer = httpx.post(f"{world.server.base_url}/sparql", data={"query": "SELECT * {?s ?p ?o}"},
                        headers={"Authorization": header.encode("utf-8")})  # type: ignore[dict-item]
    assert answer.status_code == 401, answer.text
    assert "WWW-Authenticate" in answer.headers
    _clean(answer)


def test_no_token_is_401(world: World) -> None:
    answer = httpx.get(f"{world.server.base_url}/sparql", params={"query": "ASK {}"})
    assert answer.status_code == 401


def test_nothing_changed_and_denials_are_audited(world: World) -> None:
    before = snapshot(world.server)
    for update in WRITES.values():
        _update(world, "b", update)
    assert snapshot(world.server) == before
    audit = httpx.get(f"{world.server.base_url}/admin/audit", params={"event": "denied"},
                      headers=ADMIN)
    assert audit.status_code == 200
    assert audit.text.count("\n") >= len(WRITES)
    for token in world.tokens.values():
        assert token not in audit.text


def test_a_thousand_bad_tokens_engage_the_limit(world: World) -> None:
    url = f"{world.server.base_url}/sparql"
    known_id = _token(world.server, "reader", "org-z")["id"]
    statuses = []
    started = time.monotonic()
    with httpx.Client(timeout=10) as client:
        for i in range(1000):
            guess = f"htkg_{known_id}_guess{i}" if i % 2 else f"htkg_{i:012x}_guess"
            statuses.append(client.get(url, params={"query": "ASK {}"},
                                       headers={"Authorization": f"Bearer {guess}"}).status_code)
    assert set(statuses) == {401, 429}
    assert statuses.count(401) <= 25  # the rest were refused without hashing anything
    assert time.monotonic() - started < 60
    mine = httpx.get(url, params={"query": "ASK {}"}, headers=world.auth("b"))
    assert mine.status_code == 200  # a client that had proved its token is still served
