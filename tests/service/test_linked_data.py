"""Entity pages at ``/id/...``: RDF by content negotiation, HTML for browsers, 404 otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import rdflib
from flask import Flask

from service.linked_data import entity_iri
from tests.live import ServerProcess
from tests.service.writes import AUTH, writable

__all__ = ["writable"]  # the fixture, imported for its side effect

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RES = "https://w3id.org/htkg/id/resolution/"
R2388 = rdflib.URIRef(RES + "2388")
PARAGRAPH = rdflib.URIRef(RES + "2388/op/financial-flows-data")
HTKG = rdflib.Namespace("https://w3id.org/htkg/ontology#")
LABEL = rdflib.Literal("S/RES/2388 (2017)")
XSS_ENTITY = "https://w3id.org/htkg/id/test/xss"
SECRET = "https://w3id.org/htkg/id/case/secret"
OWN_GRAPH = "https://w3id.org/htkg/graph/org/org-a/cases"
ROOT = Path(__file__).parents[2]


def parse(response: httpx.Response, fmt: str) -> rdflib.Dataset:
    assert response.status_code == 200, response.text
    dataset = rdflib.Dataset()
    dataset.parse(data=response.content, format=fmt)
    return dataset


def test_get_id_answers_turtle_by_default(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.base_url}/id/resolution/2388")
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (R2388, rdflib.RDFS.label, LABEL) in graph
    assert (R2388, rdflib.RDF.type, HTKG.Resolution) in graph
    assert (PARAGRAPH, HTKG.paragraphOf, R2388) in graph  # incoming links too
    assert all(R2388 in (s, o) for s, _, o in graph)  # nothing else


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"),
    ("application/trig", "trig"),
    ("application/n-quads", "nquads"),
])
def test_get_id_answers_every_graph_format(
    live_server: ServerProcess, accept: str, fmt: str
) -> None:
    response = httpx.get(f"{live_server.base_url}/id/resolution/2388",
                         headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == accept
    assert (R2388, rdflib.RDFS.label, LABEL) in parse(response, fmt)


def test_get_id_format_parameter_beats_accept(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.base_url}/id/resolution/2388?format=ntriples",
                         headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert (R2388, rdflib.RDFS.label, LABEL) in parse(response, "nt")


def test_get_id_answers_html_to_a_browser(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.base_url}/id/resolution/2388",
                         headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    html = response.text
    assert "<h1>S/RES/2388 (2017)</h1>" in html
    assert 'href="/id/actor/security-council"' in html  # IRIs under the base: local pages
    assert "United Nations Security Council" in html  # shown by their label
    assert 'href="https://digitallibrary.un.org/record/1322744"' in html  # others: as they are
    assert "htkg:Resolution" in html
    assert 'href="/id/resolution/2388/op/financial-flows-data"' in html  # linked from
    assert '2017-11-21<span class="note">^^xsd:date</span>' in html
    link = response.headers["link"]
    assert '</id/resolution/2388?format=turtle>; rel="alternate"; type="text/turtle"' in link
    assert 'type="application/ld+json"' in link


def test_get_id_alternate_links_resolve(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.base_url}/id/resolution/2388",
                         headers={"Accept": BROWSER})
    for part in response.headers["link"].split(", "):
        href, media_type = part.split(">")[0][1:], part.split('type="')[1].rstrip('"')
        alternate = httpx.get(live_server.base_url + href)
        assert alternate.status_code == 200, href
        assert alternate.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize("accept", ["text/turtle", BROWSER, "application/json"])
def test_get_id_unknown_entity_is_404(live_server: ServerProcess, accept: str) -> None:
    response = httpx.get(f"{live_server.base_url}/id/resolution/9999",
                         headers={"Accept": accept})
    assert response.status_code == 404
    expected = "no entity with the IRI <https://w3id.org/htkg/id/resolution/9999>"
    if accept == "application/json":
        assert response.json() == {"status": 404, "error": expected}
    else:
        assert response.text == f"404 Not Found: {expected}\n"


@pytest.mark.parametrize("path", ["x%3E%20%7D%20%3B%20DROP%20ALL%20%23", "%22%5C%7D", "a%25zz",
                                  "%00", "resolution/2388%3E"])
def test_get_id_with_iri_breaking_characters_is_404(live_server: ServerProcess, path: str) -> None:
    for accept in ("text/turtle", BROWSER):
        response = httpx.get(f"{live_server.base_url}/id/{path}", headers={"Accept": accept})
        assert response.status_code == 404, response.text
        assert response.text.startswith("404 Not Found: no entity with the IRI <")


def test_head_id_answers_headers_only(live_server: ServerProcess) -> None:
    found = httpx.head(f"{live_server.base_url}/id/resolution/2388")
    assert found.status_code == 200 and found.content == b""
    assert found.headers["content-type"] == "text/turtle; charset=utf-8"
    assert httpx.head(f"{live_server.base_url}/id/resolution/2388",
                      headers={"Accept": BROWSER}).headers["content-type"].startswith("text/html")
    assert httpx.head(f"{live_server.base_url}/id/resolution/9999").status_code == 404


@pytest.mark.parametrize("query", ["", "?format=pdf"])
def test_get_id_unsupported_format_is_406(live_server: ServerProcess, query: str) -> None:
    response = httpx.get(f"{live_server.base_url}/id/resolution/2388{query}",
                         headers={"Accept": "application/pdf" if not query else "text/turtle"})
    assert response.status_code == 406
    assert "turtle" in response.text


def test_entity_page_escapes_what_the_data_says(writable: ServerProcess) -> None:
    update = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    INSERT DATA {{ GRAPH <https://example.org/xss> {{
      <{XSS_ENTITY}> rdfs:label "<script>alert(1)</script>" ;
        rdfs:comment "\\"><img src=x onerror=alert(2)>"@en ;
        rdfs:seeAlso <javascript:alert(3)> .
    }} }}"""
    written = httpx.post(f"{writable.base_url}/sparql", data={"update": update}, headers=AUTH)
    assert written.status_code in (200, 204), written.text
    response = httpx.get(f"{writable.base_url}/id/test/xss",
                         headers={"Accept": BROWSER, **AUTH})
    html = response.text
    assert response.status_code == 200
    assert "<script>" not in html and "<img" not in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript:' not in html and "javascript:alert(3)" in html
    assert '<span class="note">@en</span>' in html


def test_get_id_denied_entity_looks_exactly_like_a_missing_one(writable: ServerProcess) -> None:
    url = writable.base_url
    tokens = {}
    for org in ("org-a", "org-b"):
        created = httpx.post(f"{url}/admin/tokens", headers=AUTH,
                             json={"role": "partner", "org": org})
        assert created.status_code == 201, created.text
        tokens[org] = {"Authorization": f"Bearer {created.json()['token']}"}
    put = httpx.put(f"{url}/graph-store", params={"graph": OWN_GRAPH},
                    content=f'<{SECRET}> <{rdflib.RDFS.label}> "Secret case" .',
                    headers={"Content-Type": "text/turtle", **tokens["org-a"]})
    assert put.status_code == 201, put.text  # AMBER+STRICT, owned by org-a
    for accept in ("text/turtle", BROWSER, "application/json"):
        for method in ("GET", "HEAD"):
            def ask(path: str, org: str) -> httpx.Response:
                return httpx.request(method, f"{url}/id/{path}",  # noqa: B023
                                     headers={"Accept": accept, **tokens[org]})  # noqa: B023
            assert ask("case/secret", "org-a").status_code == 200
            denied, missing = ask("case/secret", "org-b"), ask("case/absent", "org-b")
            assert denied.status_code == missing.status_code == 404
            assert denied.text == missing.text.replace("case/absent", "case/secret")
            assert ({k: v for k, v in denied.headers.items() if k != "date"}
                    == {k: v for k, v in missing.headers.items() if k != "date"})


def test_get_id_works_with_a_plain_default_graph(make_app: Callable[..., Flask]) -> None:
    client = make_app(union_default_graph=False).test_client()
    turtle = client.get("/id/resolution/2388", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
    assert (R2388, rdflib.RDFS.label, LABEL) in graph
    assert (PARAGRAPH, HTKG.paragraphOf, R2388) in graph
    html = client.get("/id/resolution/2388", headers={"Accept": BROWSER})
    assert html.status_code == 200 and b"<h1>S/RES/2388 (2017)</h1>" in html.data


def test_entity_iri_is_the_canonical_iri_or_none() -> None:
    base = "https://w3id.org/htkg/"
    assert entity_iri("actor/al-shabaab", base_iri=base) == base + "id/actor/al-shabaab"
    assert entity_iri('a"b', base_iri=base) is None
    assert entity_iri("bad%", base_iri=base) is None


def test_documented_example_is_what_the_server_answers(live_server: ServerProcess) -> None:
    served = httpx.get(f"{live_server.base_url}/id/resolution/2388",
                       headers={"Accept": "application/n-triples"}).text.splitlines()
    for document in ("README.md", "docs/http-api.md"):
        text = (ROOT / document).read_text()
        assert ("$ curl -s http://127.0.0.1:8000/id/resolution/2388 "
                "-H 'Accept: application/n-triples' | grep rdf-schema#label") in text
        documented = [line for line in text.splitlines()
                      if line.startswith(f"<{R2388}> <{rdflib.RDFS.label}>")]
        assert documented and all(line in served for line in documented), document
