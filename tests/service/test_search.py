"""``/search``: entities by label, over HTTP against a real server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

from tests.live import ServerProcess
from tests.service.writes import AUTH, writable

__all__ = ["writable"]  # the fixture, imported for its side effect

AL_SHABAAB = "https://w3id.org/htkg/id/actor/al-shabaab"
TERRORIST_GROUP = "https://w3id.org/htkg/ontology#TerroristGroup"
HTTP_API = Path(__file__).parents[2] / "docs" / "http-api.md"


def search(server: ServerProcess, headers: dict[str, str] | None = None,
           **params: Any) -> httpx.Response:
    return httpx.get(f"{server.base_url}/search", params=params, headers=headers)


def results(server: ServerProcess, q: str, headers: dict[str, str] | None = None,
            **params: Any) -> list[dict[str, Any]]:
    response = search(server, headers, q=q, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["query"] == q.strip()
    found: list[dict[str, Any]] = body["results"]
    return found


def test_get_search_finds_al_shabaab_first(live_server: ServerProcess) -> None:
    found = results(live_server, "Al-Shabaab")
    assert found[0] == {
        "iri": AL_SHABAAB,
        "label": "Al-Shabaab",
        "types": found[0]["types"],
        "page": "/id/actor/al-shabaab",
    }
    assert TERRORIST_GROUP in found[0]["types"]
    assert len(found) > 1  # the flow, the evidence... mention it in their labels
    assert all(set(result) == {"iri", "label", "types", "page"} for result in found)
    page = httpx.get(live_server.base_url + found[0]["page"])
    assert page.status_code == 200 and AL_SHABAAB in page.text


def test_get_search_is_case_insensitive_and_reads_alternative_labels(
    live_server: ServerProcess,
) -> None:
    assert results(live_server, "al-SHABAAB")[0]["iri"] == AL_SHABAAB
    by_alias = results(live_server, "harakat shabab")  # only a skos:altLabel says this
    assert [r["iri"] for r in by_alias] == [AL_SHABAAB]
    assert by_alias[0]["label"] == "Al-Shabaab"  # the display label, not the alias


def test_get_search_limit(live_server: ServerProcess) -> None:
    assert len(results(live_server, "a", limit=3)) == 3
    assert len(results(live_server, "a")) == 20
    assert len(results(live_server, "a", limit=100)) > 20


@pytest.mark.parametrize("limit", ["0", "101", "-1", "1.5", "ten", "", "١"])
def test_get_search_bad_limit_is_400(live_server: ServerProcess, limit: str) -> None:
    response = search(live_server, q="CTED", limit=limit)
    assert response.status_code == 400
    assert "parameter 'limit' is a whole number from 1 to 100" in response.text


@pytest.mark.parametrize(("query", "message"), [
    ("", "parameter 'q' is required"),
    ("?q=", "parameter 'q' is empty"),
    ("?q=%20%20", "parameter 'q' is empty"),
    ("?q=" + "x" * 201, "parameter 'q' is 201 characters long; the limit is 200"),
    ("?q=a&q=b", "parameter 'q' must be given at most once"),
])
def test_get_search_bad_q_is_400(live_server: ServerProcess, query: str, message: str) -> None:
    response = httpx.get(f"{live_server.base_url}/search{query}")
    assert response.status_code == 400
    assert message in response.text


def test_get_search_accepts_200_characters(live_server: ServerProcess) -> None:
    assert results(live_server, "x" * 200) == []


@pytest.mark.parametrize("q", [
    '"', "\\", "}", '\\"', "\"'\\}{#",
    '") || true || CONTAINS("',  # would match every label if it were spliced in
    '" ) } } SELECT * WHERE { ?s ?p ?o } #',
    "'''", '"""', "\\u0022", "\u0000", "SERVICE <http://127.0.0.1:1/> { }", "LOAD <x>",
])
def test_get_search_text_is_never_sparql(live_server: ServerProcess, q: str) -> None:
    assert results(live_server, q) == []


def test_get_search_finds_apostrophes(live_server: ServerProcess) -> None:
    found = results(live_server, "victims' earnings")
    assert found[0]["iri"] == "https://w3id.org/htkg/id/concept/tactic/diversion-of-earnings"


def test_get_search_finds_quotes_and_backslashes_and_english_first(
    writable: ServerProcess,
) -> None:
    update = r"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    INSERT DATA { GRAPH <https://example.org/search-test> {
      <https://example.org/quoted> rdfs:label "Said \"zq\" \\ back} {brace" .
      <https://example.org/de> rdfs:label "Zebrazq"@de .
      <https://example.org/en> skos:prefLabel "Zebrazq"@en ; rdfs:label "Zebrazq Streifen"@de .
      <https://example.org/later> rdfs:label "Zebrazq later"@en .
    } }"""
    written = httpx.post(f"{writable.base_url}/sparql", data={"update": update}, headers=AUTH)
    assert written.status_code in (200, 204), written.text
    quoted = results(writable, '"zq" \\ back} {', AUTH)
    assert [(r["iri"], r["label"], r["page"]) for r in quoted] == [
        ("https://example.org/quoted", 'Said "zq" \\ back} {brace', None)]
    ranked = results(writable, "zebrazq", AUTH)
    assert [r["iri"] for r in ranked] == [
        "https://example.org/en",  # exact, English
        "https://example.org/de",  # exact, German
        "https://example.org/later",  # a prefix only
    ]
    assert ranked[0]["label"] == "Zebrazq"  # the English label, not the German one


def test_get_search_with_a_plain_default_graph(make_app: Callable[..., Flask]) -> None:
    client = make_app(union_default_graph=False).test_client()
    response = client.get("/search?q=Al-Shabaab&limit=1")
    assert response.status_code == 200
    assert [r["iri"] for r in response.get_json()["results"]] == [AL_SHABAAB]


def test_documented_example_is_what_the_server_answers(live_server: ServerProcess) -> None:
    text = HTTP_API.read_text()
    assert "$ curl -s 'http://127.0.0.1:8000/search?q=harakat'" in text
    documented = next(line for line in text.splitlines() if line.startswith('{"query":"harakat"'))
    served = search(live_server, q="harakat")
    assert served.text == documented
    assert json.loads(documented)["results"][0]["iri"] == AL_SHABAAB
