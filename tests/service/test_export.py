"""``/export``: the caller's named graphs as N-Quads or TriG, streamed, parsing back exactly."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask

from tests.live import ServerProcess
from tests.service.writes import AUTH, TOKEN, writable

__all__ = ["writable"]  # the fixture, imported for its side effect

FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
TRICKY = "https://example.org/export-test"


def stored_quads(app: Flask, *, admin: bool = False) -> set[ox.Quad]:
    """The quads of the named graphs the caller may read, from the store itself."""
    state = app.extensions["htkg"]
    readable = set(state.store.named_graphs()) if admin else state.gatekeeper.readable(None)
    return {q for q in state.store.raw.quads_for_pattern(None, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in readable}


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("admin", [False, True])
def test_get_export_is_exactly_the_named_graphs_the_caller_reads(
    make_app: Callable[..., Flask], name: str, admin: bool
) -> None:
    app = make_app(admin_token=TOKEN)
    response = app.test_client().get(f"/export?format={name}", headers=AUTH if admin else {})
    assert response.status_code == 200
    exported = list(ox.parse(response.data, FORMATS[name]))
    assert len(exported) == len(set(exported))  # no quad twice
    expected = stored_quads(app, admin=admin)
    assert any(isinstance(q.object, ox.BlankNode) for q in expected)  # the shapes have some
    assert set(exported) == expected
    graphs = {q.graph_name.value for q in exported}
    assert ("https://w3id.org/htkg/graph/system" in graphs) is admin  # not a CLEAR graph


def test_get_export_is_not_cut_by_the_row_limit(make_app: Callable[..., Flask]) -> None:
    app = make_app(max_result_rows=100)
    response = app.test_client().get("/export")
    assert "HTKG-Result-Truncated" not in response.headers
    assert set(ox.parse(response.data, ox.RdfFormat.N_QUADS)) == stored_quads(app)


def test_get_export_parses_with_rdflib_into_the_same_quads(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    expected = rdflib_quads(ox.serialize(stored_quads(app), format=ox.RdfFormat.N_QUADS),
                            "nquads")
    for name, fmt in (("nquads", "nquads"), ("trig", "trig")):
        exported = app.test_client().get(f"/export?format={name}").data
        assert rdflib_quads(exported, fmt) == expected, name


def rdflib_quads(data: bytes, fmt: str) -> Counter[tuple[object, ...]]:
    """The quads rdflib reads, blank nodes blurred (pyoxigraph compares them exactly above)."""
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=fmt)
    return Counter(
        tuple("_:" if isinstance(term, rdflib.BNode) else getattr(term, "identifier", term)
              for term in quad)
        for quad in dataset.quads((None, None, None, None)))


def test_get_export_streams_in_chunks_and_frees_its_worker_when_abandoned(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app(query_workers=1).test_client()
    response = client.get("/export", buffered=False)
    chunks = iter(response.response)
    assert next(chunks).endswith(b" .\n")
    assert next(chunks)  # more than one chunk: never the whole export at once
    response.close()  # the client went away
    answered: list[int] = []
    thread = threading.Thread(target=lambda: answered.append(
        client.get("/search?q=CTED").status_code), daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert answered == [200]  # the only worker is free again


def test_get_export_over_http_is_streamed_n_quads(live_server: ServerProcess) -> None:
    with httpx.stream("GET", f"{live_server.base_url}/export") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/n-quads"
        assert response.headers["content-disposition"] == (
            'attachment; filename="htkg-export.nq"')
        assert "content-length" not in response.headers
        assert "Accept" in response.headers["vary"]
        body = response.read()
    dataset = rdflib.Dataset()
    dataset.parse(data=body, format="nquads")
    count = httpx.get(f"{live_server.base_url}/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    expected = int(count.json()["results"]["bindings"][0]["n"]["value"])
    assert len(body.splitlines()) == expected
    briefing = dataset.graph(rdflib.URIRef("https://w3id.org/htkg/graph/briefing"))
    al_shabaab = rdflib.URIRef("https://w3id.org/htkg/id/actor/al-shabaab")
    assert (al_shabaab, rdflib.RDFS.label, rdflib.Literal("Al-Shabaab")) in briefing


@pytest.mark.parametrize(("accept", "media_type", "extension"), [
    ("application/trig", "application/trig", "trig"),
    ("text/turtle;q=0.9, application/trig;q=0.5", "application/trig", "trig"),
    ("application/n-quads", "application/n-quads", "nq"),
    ("*/*", "application/n-quads", "nq"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/n-quads", "nq"),
])
def test_get_export_by_accept(
    live_server: ServerProcess, accept: str, media_type: str, extension: str
) -> None:
    response = httpx.get(f"{live_server.base_url}/export", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"].endswith(f'.{extension}"')
    dataset = rdflib.Dataset()
    dataset.parse(data=response.content, format="trig" if extension == "trig" else "nquads")
    graphs = {getattr(g, "identifier", g) for *_, g in dataset.quads((None, None, None, None))}
    assert rdflib.URIRef("https://w3id.org/htkg/graph/briefing") in graphs
    assert all(isinstance(g, rdflib.URIRef) for g in graphs)  # named graphs only


def test_get_export_format_parameter_beats_accept(live_server: ServerProcess) -> None:
    response = httpx.get(f"{live_server.base_url}/export?format=trig",
                         headers={"Accept": "application/n-quads"})
    assert response.headers["content-type"] == "application/trig"


@pytest.mark.parametrize(("query", "accept"), [
    ("", "text/turtle"),
    ("", "application/sparql-results+json"),
    ("?format=turtle", "*/*"),
    ("?format=NQUADS", "*/*"),
])
def test_get_export_unsupported_format_is_406(
    live_server: ServerProcess, query: str, accept: str
) -> None:
    response = httpx.get(f"{live_server.base_url}/export{query}", headers={"Accept": accept})
    assert response.status_code == 406
    assert "n-quads" in response.text or "nquads" in response.text


def test_head_export_answers_headers_only(live_server: ServerProcess) -> None:
    response = httpx.head(f"{live_server.base_url}/export?format=trig")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"] == "application/trig"
    assert response.headers["content-disposition"] == 'attachment; filename="htkg-export.trig"'


def test_get_export_keeps_every_term_exactly(writable: ServerProcess) -> None:
    update = f"""PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    INSERT DATA {{ GRAPH <{TRICKY}> {{
      <https://example.org/a> <https://example.org/p> "tab\\there\\nnewline \\"quoted\\" \\\\",
          "x"@en-GB, "2.50"^^xsd:decimal, "1e3"^^xsd:double, true, 42, "<3"^^<https://example.org/dt>,
          "tréma ✓ 𝄞", _:node .
      _:node <https://example.org/p> <https://example.org/b#frag> .
    }} }}"""
    written = httpx.post(f"{writable.base_url}/sparql", data={"update": update}, headers=AUTH)
    assert written.status_code in (200, 204), written.text
    graph = httpx.get(f"{writable.base_url}/graph-store", params={"graph": TRICKY},
                      headers={"Accept": "application/n-triples", **AUTH})
    expected = {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(TRICKY))
                for t in ox.parse(graph.content, ox.RdfFormat.N_TRIPLES)}
    assert len(expected) == 10
    for name, fmt in FORMATS.items():
        export = httpx.get(f"{writable.base_url}/export?format={name}", headers=AUTH)
        exported = {q for q in ox.parse(export.content, fmt)
                    if q.graph_name == ox.NamedNode(TRICKY)}
        assert exported == expected, name


def test_documented_file_names_are_what_the_server_sends(live_server: ServerProcess) -> None:
    text = (Path(__file__).parents[2] / "docs" / "http-api.md").read_text()
    for query, name in (("", "htkg-export.nq"), ("?format=trig", "htkg-export.trig")):
        quoted = f"'http://127.0.0.1:8000/export{query}'" if query else \
            "http://127.0.0.1:8000/export"
        assert f"$ curl -s -OJ {quoted} && ls -1 htkg-export.*" in text
        assert f"\n{name}\n" in text
        head = httpx.head(f"{live_server.base_url}/export{query}")
        assert head.headers["content-disposition"] == f'attachment; filename="{name}"'
