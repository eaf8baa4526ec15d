"""Every write path validates: invalid writes get 422 and change nothing; valid writes get
exactly one provenance record."""

from __future__ import annotations

import httpx
import pytest
import rdflib

from tests.live import ServerProcess, as_admin
from tests.service.writes import AUTH, snapshot, writable

__all__ = ["writable"]

HTKG = "https://w3id.org/htkg/ontology#"
BAD = f'<https://w3id.org/htkg/id/country/xx> a <{HTKG}Country> ; <{HTKG}iso3166Alpha2> "xx" .'
GOOD = (f'<https://w3id.org/htkg/id/country/iq> a <{HTKG}Country> ; <{HTKG}iso3166Alpha2> "IQ" ;'
        ' <http://www.w3.org/2000/01/rdf-schema#label> "Iraq"@en .')


def records(server: ServerProcess, write: str) -> int:
    query = (f"SELECT (COUNT(*) AS ?n) {{ GRAPH <https://w3id.org/htkg/graph/provenance> "
             f"{{ <{write}> a <{HTKG}GraphWrite> }} }}")
    response = as_admin.get(f"{server.base_url}/sparql", params={"query": query})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def provenance_link(response: httpx.Response) -> str:
    link = response.headers["link"]
    assert 'rel="http://www.w3.org/ns/prov#has_provenance"' in link
    return link.split(">", 1)[0].lstrip("<")


@pytest.mark.parametrize("path", ["update", "graph-store"])
def test_invalid_write_is_422_with_the_report_and_changes_nothing(
    writable: ServerProcess, path: str
) -> None:
    before = snapshot(writable)
    if path == "update":
        response = as_admin.post(f"{writable.base_url}/sparql", headers=AUTH,
                              data={"update": f"INSERT DATA {{ {BAD} }}"})
    else:
        response = as_admin.put(f"{writable.base_url}/graph-store?graph=http://ex/bad",
                             content=BAD, headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 422
    report = rdflib.Graph().parse(data=response.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.focusNode, rdflib.URIRef("https://w3id.org/htkg/id/country/xx")) in report
    assert snapshot(writable) == before


def test_invalid_write_as_json_summary(writable: ServerProcess) -> None:
    update = f"INSERT DATA {{ {BAD} }}"
    response = as_admin.post(f"{writable.base_url}/sparql", data={"update": update},
                          headers={**AUTH, "Accept": "application/json"})
    body = response.json()
    assert response.status_code == 422 and body["status"] == 422
    paths = {r["path"] for r in body["results"]}
    assert f"<{HTKG}iso3166Alpha2>" in paths
    assert all({"focus_node", "path", "value", "constraint", "message", "severity"} <= set(r)
               for r in body["results"])


@pytest.mark.parametrize("path", ["update", "graph-store"])
def test_valid_write_commits_with_exactly_one_provenance_record(
    writable: ServerProcess, path: str
) -> None:
    if path == "update":
        update = f"INSERT DATA {{ GRAPH <http://ex/ok> {{ {GOOD} }} }}"
        response = as_admin.post(f"{writable.base_url}/sparql", headers=AUTH,
                              data={"update": update})
    else:
        response = as_admin.put(f"{writable.base_url}/graph-store?graph=http://ex/ok2",
                             content=GOOD, headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code in (200, 201, 204), response.text
    assert records(writable, provenance_link(response)) == 1


def test_a_wrong_datatype_is_422_and_changes_nothing(writable: ServerProcess) -> None:
    before = snapshot(writable)
    listed_on = f"<{HTKG}listedOn>"  # an xsd:date in the shapes; a plain string here
    update = (f"WITH <https://w3id.org/htkg/graph/briefing> DELETE {{ ?l {listed_on} ?d }} "
              f"INSERT {{ ?l {listed_on} \"12 April 2010\" }} WHERE {{ ?l {listed_on} ?d }}")
    response = as_admin.post(f"{writable.base_url}/sparql", data={"update": update},
                          headers={**AUTH, "Accept": "application/json"})
    assert response.status_code == 422
    assert any(r["constraint"].endswith("DatatypeConstraintComponent")
               for r in response.json()["results"])
    assert snapshot(writable) == before
