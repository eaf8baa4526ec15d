"""``/shacl``: reports by Accept, stored graphs, and bad input that must fail fast.

Most tests run the blueprint in a small app over an in-memory store (the validator is the
expensive part and is built once per module); one test runs against the real server once the
app registers the blueprint.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib.namespace import RDF, SH

from kg.curated import load_curated_graphs
from kg.store import EmbeddedStore
from kg.validation import Validator
from service import shacl
from service.access import open_gatekeeper
from service.errors import register_error_handlers
from service.settings import load_settings
from tests.live import as_admin

BAD_COUNTRY = b"""@prefix htkg: <https://w3id.org/htkg/ontology#> .
<https://w3id.org/htkg/id/country/x> a htkg:Country ; htkg:iso3166Alpha2 "x1" ."""
BRIEFING = "https://w3id.org/htkg/graph/briefing"
BILLION_LAUGHS = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' + b"".join(
    b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
    for i in range(1, 10)
) + b"""]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
 <rdf:Description rdf:about="http://ex/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """The /shacl blueprint alone, on an in-memory store, for an anonymous caller."""
    store = EmbeddedStore.in_memory()
    load_curated_graphs(store)
    app = Flask(__name__)
    app.config["TESTING"] = True
    settings = load_settings(overrides={"store": str(tmp_path_factory.mktemp("shacl") / "s")})
    app.extensions["htkg"] = SimpleNamespace(store=store, validator=Validator.from_store(store),
                                             gatekeeper=open_gatekeeper(settings, store))
    register_error_handlers(app)
    app.register_blueprint(shacl.bp)
    yield app.test_client()


def _results(turtle: bytes) -> list[rdflib.term.Node]:
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in graph
    return list(graph.subjects(RDF.type, SH.ValidationResult))


def test_post_shacl_document_answers_the_report_in_turtle(client: FlaskClient) -> None:
    response = client.post("/shacl", data=BAD_COUNTRY, content_type="text/turtle")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert len(_results(response.data)) == 2


def test_post_shacl_document_answers_json_ld_by_accept(client: FlaskClient) -> None:
    response = client.post("/shacl", data=BAD_COUNTRY, content_type="text/turtle",
                           headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    graph = rdflib.Graph().parse(data=response.data, format="json-ld")
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == 2


def test_post_shacl_stored_graph_conforms(client: FlaskClient) -> None:
    response = client.post(f"/shacl?graph={BRIEFING}")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in graph


def test_post_shacl_unknown_graph_is_404(client: FlaskClient) -> None:
    assert client.post("/shacl?graph=http://ex/none").status_code == 404


def test_post_shacl_with_graph_and_body_is_400(client: FlaskClient) -> None:
    response = client.post(f"/shacl?graph={BRIEFING}", data=BAD_COUNTRY,
                           content_type="text/turtle")
    assert response.status_code == 400


def test_post_shacl_unreadable_media_type_is_415(client: FlaskClient) -> None:
    assert client.post("/shacl", data=b"x", content_type="image/png").status_code == 415


def test_post_shacl_truncated_turtle_is_400_with_line_and_column(client: FlaskClient) -> None:
    response = client.post("/shacl", data=b"<http://ex/a> <http://ex/p>\n  <http://ex/",
                           content_type="text/turtle")
    assert response.status_code == 400
    assert "line 2" in response.get_data(as_text=True)


def test_post_shacl_json_ld_remote_context_is_400_without_fetching(client: FlaskClient) -> None:
    body = json.dumps({"@context": "http://127.0.0.1:9/never.jsonld", "@id": "http://ex/a",
                       "name": "x"})
    started = time.monotonic()
    response = client.post("/shacl", data=body, content_type="application/ld+json")
    assert response.status_code == 400 and time.monotonic() - started < 2


def test_post_shacl_rdf_xml_billion_laughs_is_400_fast(client: FlaskClient) -> None:
    started = time.monotonic()
    response = client.post("/shacl", data=BILLION_LAUGHS, content_type="application/rdf+xml")
    assert response.status_code == 400 and time.monotonic() - started < 2
    assert "entity" in response.get_data(as_text=True)


def test_post_shacl_rdf_xml_with_small_entities_is_read(client: FlaskClient) -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY htkg "https://w3id.org/htkg/ontology#"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="https://w3id.org/htkg/id/country/x">
  <rdf:type rdf:resource="&htkg;Country"/></rdf:Description></rdf:RDF>"""
    response = client.post("/shacl", data=body, content_type="application/rdf+xml")
    assert response.status_code == 200 and len(_results(response.data)) == 2


def test_post_shacl_on_the_live_server(live_server: object) -> None:
    url = f"{live_server.base_url}/shacl"  # type: ignore[attr-defined]
    response = as_admin.post(url, content=BAD_COUNTRY, headers={"Content-Type": "text/turtle"},
                             timeout=30)
    if response.status_code in (404, 405):
        pytest.skip("the app does not register the /shacl blueprint yet")
    assert response.status_code == 200 and len(_results(response.content)) == 2
