"""The SPARQL 1.1 Graph Store HTTP Protocol at /graph-store."""

from __future__ import annotations

import json
import time

import httpx
import pytest
import rdflib
import rdflib.compare

from tests.live import ServerProcess, as_admin
from tests.service.test_shacl import BILLION_LAUGHS
from tests.service.writes import AUTH, snapshot, writable

__all__ = ["writable"]

TURTLE = b"@prefix ex: <http://ex/> .\nex:alice ex:knows ex:bob ; ex:age 42 .\n"
INTEGER_1 = '<http://ex/x> <http://ex/y> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'


def url(server: ServerProcess, graph: str) -> str:
    return f"{server.base_url}/graph-store?graph={graph}"


def put(server: ServerProcess, graph: str, body: bytes = TURTLE,
        content_type: str = "text/turtle") -> httpx.Response:
    return as_admin.put(url(server, graph), content=body,
                     headers={**AUTH, "Content-Type": content_type})


def test_put_creates_then_replaces(writable: ServerProcess) -> None:
    graph = "http://ex/gsp/put"
    assert put(writable, graph).status_code == 201
    assert put(writable, graph, b"<http://ex/x> <http://ex/y> 1 .").status_code == 204
    got = as_admin.get(url(writable, graph), headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    assert got.text.strip() == INTEGER_1


@pytest.mark.parametrize(("content_type", "fmt"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"), ("application/trig", "trig"),
    ("application/n-quads", "nquads")])
def test_put_and_get_in_every_format(writable: ServerProcess, content_type: str,
                                     fmt: str) -> None:
    source = rdflib.Graph().parse(data=TURTLE, format="turtle")
    if fmt in ("trig", "nquads"):  # dataset formats: the triples in the default graph
        dataset = rdflib.Dataset()
        dataset.parse(data=TURTLE, format="turtle")
        body = dataset.serialize(format=fmt, encoding="utf-8")
    else:
        body = source.serialize(format=fmt, encoding="utf-8")
    graph = f"http://ex/gsp/format/{fmt}"
    assert put(writable, graph, body, content_type).status_code == 201
    got = as_admin.get(url(writable, graph), headers={"Accept": content_type})
    assert got.headers["content-type"].split(";")[0] == content_type
    result = rdflib.Dataset()
    result.parse(data=got.content, format=fmt)
    triples = rdflib.Graph()
    for subject, predicate, obj, _ in result.quads():
        triples.add((subject, predicate, obj))
    assert rdflib.compare.isomorphic(triples, source)


def test_post_adds_to_a_graph(writable: ServerProcess) -> None:
    graph = "http://ex/gsp/post"
    assert as_admin.post(url(writable, graph), content=TURTLE,
                      headers={**AUTH, "Content-Type": "text/turtle"}).status_code == 201
    assert as_admin.post(url(writable, graph), content=b"<http://ex/c> <http://ex/d> 2 .",
                      headers={**AUTH, "Content-Type": "text/turtle"}).status_code == 204
    got = as_admin.get(url(writable, graph), headers={"Accept": "application/n-triples"})
    assert len(got.text.strip().splitlines()) == 3


def test_post_multipart_adds_every_part(writable: ServerProcess) -> None:
    graph = "http://ex/gsp/multipart"
    files = [("a", ("a.ttl", TURTLE, "text/turtle")),
             ("b", ("b.nt", b'<http://ex/e> <http://ex/f> "3" .\n', "application/n-triples"))]
    response = as_admin.post(url(writable, graph), files=files, headers=AUTH)
    assert response.status_code == 201
    got = as_admin.get(url(writable, graph), headers={"Accept": "application/n-triples"})
    assert len(got.text.strip().splitlines()) == 3


def test_post_to_the_store_creates_a_graph_with_a_location(writable: ServerProcess) -> None:
    response = as_admin.post(f"{writable.base_url}/graph-store", content=TURTLE,
                          headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith("https://w3id.org/htkg/graph/")
    assert as_admin.get(url(writable, location)).status_code == 200


def test_direct_identification(writable: ServerProcess) -> None:
    direct = f"{writable.base_url}/graph-store/people/1"
    assert as_admin.put(direct, content=TURTLE,
                     headers={**AUTH, "Content-Type": "text/turtle"}).status_code == 201
    assert as_admin.get(url(writable, direct)).status_code == 200
    assert as_admin.delete(direct, headers=AUTH).status_code == 204
    assert as_admin.get(direct).status_code == 404


def test_head_answers_headers_only(writable: ServerProcess) -> None:
    put(writable, "http://ex/gsp/head")
    response = as_admin.head(url(writable, "http://ex/gsp/head"),
                          headers={"Accept": "text/turtle; charset=utf-8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == b""
    assert as_admin.head(url(writable, "http://ex/gsp/none")).status_code == 404


def test_delete_then_404(writable: ServerProcess) -> None:
    put(writable, "http://ex/gsp/delete")
    assert as_admin.delete(url(writable, "http://ex/gsp/delete"), headers=AUTH).status_code == 204
    assert as_admin.get(url(writable, "http://ex/gsp/delete")).status_code == 404
    assert as_admin.delete(url(writable, "http://ex/gsp/delete"), headers=AUTH).status_code == 404


def test_default_graph(writable: ServerProcess) -> None:
    body = b"<http://ex/default> <http://ex/p> 1 ."
    response = as_admin.put(f"{writable.base_url}/graph-store?default", content=body,
                         headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 204
    got = as_admin.get(f"{writable.base_url}/graph-store?default",
                    headers={"Accept": "application/n-triples"})
    assert got.text.startswith("<http://ex/default>")


def test_a_large_put_is_streamed_and_complete(writable: ServerProcess) -> None:
    lines = b"".join(f'<http://ex/s{i}> <http://ex/p> "{i}" .\n'.encode() for i in range(20_000))
    response = as_admin.put(url(writable, "http://ex/gsp/large"), content=lines, timeout=120,
                         headers={**AUTH, "Content-Type": "application/n-triples"})
    assert response.status_code == 201
    count = as_admin.get(f"{writable.base_url}/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) { GRAPH <http://ex/gsp/large> { ?s ?p ?o } }"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "20000"


@pytest.mark.parametrize(("body", "content_type", "status", "message"), [
    (BILLION_LAUGHS, "application/rdf+xml", 400, "entity"),
    (json.dumps({"@context": "http://127.0.0.1:9/never.jsonld", "@id": "http://ex/a",
                 "name": "x"}).encode(), "application/ld+json", 400, "context"),
    (TURTLE, "", 415, "Content-Type"),
    (TURTLE, "image/png", 415, "image/png"),
    (TURTLE, "text/turtle; charset=latin-1", 415, "charset"),
    (TURTLE + b"ex:broken ex:p .\n", "text/turtle", 400, "line 3"),
    (b"<http://ex/a> <http://ex/b> <http://ex/c> <http://ex/g> .\n", "application/n-quads",
     400, "named graph"),
])
def test_bad_puts_change_nothing(writable: ServerProcess, body: bytes, content_type: str,
                                 status: int, message: str) -> None:
    put(writable, "http://ex/gsp/keep")
    before = snapshot(writable)
    headers = {**AUTH, "Content-Type": content_type} if content_type else AUTH
    response = as_admin.put(url(writable, "http://ex/gsp/keep"), content=body, headers=headers)
    assert response.status_code == status, response.text
    assert message.lower() in response.text.lower()
    assert snapshot(writable) == before


def test_writes_need_the_token(writable: ServerProcess) -> None:
    before = snapshot(writable)
    assert httpx.put(url(writable, "http://ex/gsp/x"), content=TURTLE,
                     headers={"Content-Type": "text/turtle"}).status_code == 401
    assert httpx.delete(url(writable, "http://ex/gsp/keep")).status_code == 401
    assert snapshot(writable) == before


@pytest.mark.parametrize("query", ["graph=a&graph=b", "graph=http://ex/a&default",
                                   "graph=not%20an%20iri"])
def test_bad_graph_parameters_are_400(writable: ServerProcess, query: str) -> None:
    assert as_admin.get(f"{writable.base_url}/graph-store?{query}").status_code == 400


def test_a_200_megabyte_upload_is_refused_quickly(writable: ServerProcess) -> None:
    size = 200 * 1024 * 1024
    chunk = b'<http://ex/s> <http://ex/p> "x" .\n' * 30_000

    def body() -> object:
        sent = 0
        while sent < size:
            piece = chunk[: size - sent]
            sent += len(piece)
            yield piece

    before = snapshot(writable)
    started = time.monotonic()
    try:
        response = as_admin.put(url(writable, "http://ex/gsp/huge"), content=body(), timeout=60,
                             headers={**AUTH, "Content-Type": "application/n-triples",
                                      "Content-Length": str(size)})
        assert response.status_code == 413
    except httpx.TransportError:
        pass  # the server may close the connection on a body it will not read
    assert time.monotonic() - started < 20
    assert snapshot(writable) == before
