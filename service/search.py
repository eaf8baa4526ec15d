"""``/search``: find entities by their labels, for people who do not write SPARQL.

``GET /search?q=shabaab`` answers JSON listing the entities one of whose label-like literals
(``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, ``schema:name``, ``dcterms:title``)
contains the text, case-insensitively, each with its display label, its types and the URL of
its ``/id/`` page. The search is two SPARQL queries run through ``run_for_caller``, so it
finds only what the caller may read, under the same time and row limits as ``/sparql``. The
text enters the query only as an escaped literal (``pyoxigraph.Literal``), never as syntax.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.exceptions import BadRequest

from service.linked_data import (
    LABEL_PROPERTIES,
    RDF_TYPE,
    best_label,
    in_any_graph,
    local_page,
    select_for_caller,
)
from service.params import parse_params

bp = Blueprint("search", __name__)

SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
MAX_QUERY_CHARS = 200
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_DETAIL_ROWS = 20_000  # labels and types of at most MAX_LIMIT entities


@dataclass(frozen=True)
class Match:
    """One entity found, as the JSON answer lists it."""

    iri: str
    label: str
    types: list[str]
    page: str | None

    def as_json(self) -> dict[str, object]:
        return {"iri": self.iri, "label": self.label, "types": self.types, "page": self.page}


@bp.route("/search", methods=["GET"])
def search() -> Response:
    """Entities whose labels contain ``q``: exact matches first, then prefixes, then the rest,
    English (or untagged) labels before other languages, then alphabetically."""
    params = parse_params(request.query_string, where="URL")
    text = _text(params.at_most_once("q"))
    limit = _limit(params.at_most_once("limit"))
    matches = find_entities(text, limit=limit)
    body = {"query": text, "results": [match.as_json() for match in matches]}
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                    mimetype="application/json")


def find_entities(text: str, *, limit: int) -> list[Match]:
    """Find the entities, best first, then read their display labels and types."""
    ranked = select_for_caller(_matching_query(text, limit=limit))
    found: list[tuple[str, str]] = []  # (IRI, the literal that matched), in rank order
    for row in ranked:
        entity, matched = row["entity"], row["matched"]
        if isinstance(entity, ox.NamedNode) and isinstance(matched, ox.Literal):
            found.append((entity.value, matched.value))
    if not found:
        return []
    labels: dict[str, list[tuple[str, ox.Literal]]] = {}
    types: dict[str, set[str]] = {}
    for row in select_for_caller(_details_query([iri for iri, _ in found])):
        entity, prop, value = row["entity"], row["property"], row["value"]
        assert isinstance(entity, ox.NamedNode) and isinstance(prop, ox.NamedNode)
        if prop.value == RDF_TYPE and isinstance(value, ox.NamedNode):
            types.setdefault(entity.value, set()).add(value.value)
        elif isinstance(value, ox.Literal):
            labels.setdefault(entity.value, []).append((prop.value, value))
    return [Match(iri, best_label(labels.get(iri, [])) or matched,
                  sorted(types.get(iri, set())), local_page(iri))
            for iri, matched in found]


def _matching_query(text: str, *, limit: int) -> str:
    """Rank 0 exact, 2 prefix, 4 substring; +1 when the label is in another language."""
    needle = f"LCASE({ox.Literal(text)})"
    properties = " ".join(str(ox.NamedNode(p)) for p in (*LABEL_PROPERTIES, SKOS_ALT_LABEL))
    pattern = in_any_graph("?entity ?property ?literal", graph_variable="g")
    return f"""SELECT ?entity (MIN(?rank) AS ?best) (MIN(?folded) AS ?key)
       (SAMPLE(?literal) AS ?matched)
WHERE {{
  VALUES ?property {{ {properties} }}
  {pattern}
  FILTER(isIRI(?entity) && isLiteral(?literal))
  BIND(LCASE(STR(?literal)) AS ?folded)
  FILTER(CONTAINS(?folded, {needle}))
  BIND(IF(?folded = {needle}, 0, IF(STRSTARTS(?folded, {needle}), 2, 4))
       + IF(LANG(?literal) = "" || LANGMATCHES(LANG(?literal), "en"), 0, 1) AS ?rank)
}}
GROUP BY ?entity
ORDER BY ?best ?key STR(?entity)
LIMIT {limit}"""


def _details_query(iris: list[str]) -> str:
    """Display labels and types of the entities found (IRIs that came from the store)."""
    entities = " ".join(str(ox.NamedNode(iri)) for iri in iris)
    properties = " ".join(str(ox.NamedNode(p)) for p in LABEL_PROPERTIES)
    labels = in_any_graph("?entity ?property ?value FILTER(isLiteral(?value))",
                          graph_variable="lg")
    typed = in_any_graph(f"?entity {ox.NamedNode(RDF_TYPE)} ?value", graph_variable="tg")
    return f"""SELECT DISTINCT ?entity ?property ?value WHERE {{
  VALUES ?entity {{ {entities} }}
  {{ VALUES ?property {{ {properties} }} {labels} }}
  UNION {{ {typed} BIND({ox.NamedNode(RDF_TYPE)} AS ?property) }}
}} LIMIT {MAX_DETAIL_ROWS}"""


def _text(raw: str | None) -> str:
    if raw is None:
        raise BadRequest("parameter 'q' is required: the text to look for, e.g. /search?q=CTED")
    text = raw.strip()
    if not text:
        raise BadRequest("parameter 'q' is empty; give the text to look for")
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest(f"parameter 'q' is {len(text)} characters long; "
                         f"the limit is {MAX_QUERY_CHARS}")
    return text


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(f"parameter 'limit' is a whole number from 1 to {MAX_LIMIT}, "
                         f"not {raw!r}")
    return int(raw)
