"""``/id/...``: every instance IRI resolves on the running server (DESIGN sections 2 and 3).

The entity of ``GET /id/{rest}`` is ``{base_iri}id/{rest}``, the canonical IRI, whatever host
the server runs on: the same data answers behind ``https://w3id.org/htkg/`` and on a laptop.
A browser gets an HTML page; an RDF client the entity's triples, in and out, by content
negotiation (Turtle for ``*/*``), as the Linked Data principles ask.

Every read goes through ``service.sparql.run_for_caller``, exactly like a SPARQL query, so an
entity page shows what the caller may read and nothing else: an entity the caller sees no
triple about is a 404 identical to one that does not exist (STYLE H8). The helpers that read
small answers for the caller (``select_for_caller``, ``ask_for_caller``) and pick a display
label (``best_label``) live here and serve ``/search`` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable, NotFound
from werkzeug.http import parse_accept_header

from kg.results import ResultKind
from service.negotiation import GRAPH_FORMATS, Choice
from service.params import parse_params
from service.sparql import QueryRequest, run_for_caller
from service.state import htkg

bp = Blueprint("linked_data", __name__, template_folder="templates")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = RDF + "type"
# Display labels, in order of preference; search matches these and skos:altLabel.
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
)
# ?format= names for links a browser can follow (it cannot set Accept); "html" forces the page.
FORMAT_NAMES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}
PREFIXES = {
    "rdf": RDF,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "ftm": "https://schema.followthemoney.tech/#",
    "sh": "http://www.w3.org/ns/shacl#",
}
MAX_PAGE_ROWS = 2000  # an entity page is for reading; the RDF form has every triple
JSON_RESULTS = Choice("application/sparql-results+json", ox.QueryResultsFormat.JSON)
GRAPH_NTRIPLES = Choice("application/n-triples", ox.RdfFormat.N_TRIPLES)  # never used


@dataclass(frozen=True)
class Term:
    """One RDF term as the page shows it: text, an optional link, and a note (@en, ^^xsd:date)."""

    text: str
    href: str | None = None
    note: str = ""
    iri: str | None = None


@dataclass(frozen=True)
class PropertyValues:
    property: Term
    values: list[Term]


@dataclass(frozen=True)
class Alternate:
    name: str
    media_type: str
    href: str


@dataclass(frozen=True)
class EntityPage:
    """What the HTML template shows about one entity."""

    iri: str
    label: str | None
    types: list[Term]
    properties: list[PropertyValues]
    incoming: list[tuple[Term, Term]]
    alternates: list[Alternate]
    truncated: bool


@bp.after_request
def _vary_on_accept(response: Response) -> Response:
    """The representation depends on Accept, errors included: tell caches (RFC 9110 12.5.5)."""
    response.vary.add("Accept")
    return response


@bp.route("/id/<path:rest>", methods=["GET", "HEAD"])
def entity(rest: str) -> Response:
    """An entity as HTML or RDF; 404 when the caller sees no triple about it.

    Linked Data: https://www.w3.org/DesignIssues/LinkedData.html; ``Link`` alternates as in
    RFC 8288. The representation is chosen (406 when none fits) before anything is read.
    """
    choice = _representation(request.headers.get("Accept"))
    iri = entity_iri(rest, base_iri=htkg().settings.base_iri)
    headers = {"Link": ", ".join(
        f'<{alt.href}>; rel="alternate"; type="{alt.media_type}"' for alt in _alternates(rest))}
    if choice is None:
        return Response(render_template("entity.html", page=_page(iri, rest)),
                        content_type="text/html; charset=utf-8", headers=headers)
    if iri is None or not ask_for_caller(f"ASK {{ {_about(iri)} }}"):
        raise _not_found(iri, rest)
    if request.method == "HEAD":
        return Response(status=200, content_type=choice.media_type, headers=headers)
    node = str(ox.NamedNode(iri))
    text = f"CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} }} WHERE {{ {_about(iri)} }}"
    answer = run_for_caller(_query(text), choose=lambda kind: choice)
    return Response(answer.body, content_type=choice.media_type, headers=headers)


def entity_iri(rest: str, *, base_iri: str) -> str | None:
    """The canonical IRI of ``/id/{rest}``, or None when that is not a valid IRI.

    The WSGI server hands over the path percent-decoded, so ``/id/a%3Eb`` and ``/id/a>b``
    cannot be told apart; htkg mints IRIs from slugs, and a path that is not a valid IRI
    as it stands (with a space, angle brackets, quotes, braces or a stray ``%``) names no
    entity.

    >>> entity_iri("resolution/2388", base_iri="https://w3id.org/htkg/")
    'https://w3id.org/htkg/id/resolution/2388'
    >>> entity_iri("x> } ; DROP ALL #", base_iri="https://w3id.org/htkg/") is None
    True
    """
    try:
        return ox.NamedNode(base_iri + "id/" + rest).value
    except ValueError:
        return None


def local_page(iri: str) -> str | None:
    """The URL path of an IRI's page on this server, for IRIs under ``{base_iri}id/``."""
    prefix = htkg().settings.base_iri + "id/"
    if not iri.startswith(prefix) or len(iri) == len(prefix):
        return None
    return url_for("linked_data.entity", rest=iri[len(prefix):])


def select_for_caller(text: str) -> list[ox.QuerySolution]:
    """The solutions of a SELECT, evaluated for the caller; the query must bound its size."""
    answer = run_for_caller(_query(text), choose=_results_only)
    solutions = ox.parse_query_results(_whole(answer.body), ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


def ask_for_caller(text: str) -> bool:
    """The answer of an ASK query, evaluated for the caller."""
    answer = run_for_caller(_query(text), choose=_results_only)
    return bool(ox.parse_query_results(_whole(answer.body), ox.QueryResultsFormat.JSON))


def in_any_graph(pattern: str, *, graph_variable: str) -> str:
    """A group matching ``pattern`` wherever the caller's query may see it.

    In the default union mode that is the default graph. With a plain default graph (the
    W3C suites' setting) the data sits in named graphs, so they are searched too; otherwise
    no entity would resolve in that mode.
    """
    if htkg().settings.union_default_graph:
        return f"{{ {pattern} }}"
    return f"{{ {{ {pattern} }} UNION {{ GRAPH ?{graph_variable} {{ {pattern} }} }} }}"


def best_label(candidates: Iterable[tuple[str, ox.Literal]]) -> str | None:
    """The label to show from (property IRI, literal) pairs: English first, then untagged,
    then any language; within one, in the order of ``LABEL_PROPERTIES``; then alphabetically.

    >>> best_label([(LABEL_PROPERTIES[1], ox.Literal("Shabaab", language="fr")),
    ...             (LABEL_PROPERTIES[0], ox.Literal("Al-Shabaab"))])
    'Al-Shabaab'
    """
    def rank(candidate: tuple[str, ox.Literal]) -> tuple[int, int, str]:
        prop, literal = candidate
        language = (literal.language or "").lower()
        by_language = 0 if language == "en" or language.startswith("en-") else (
            1 if not language else 2)
        by_property = LABEL_PROPERTIES.index(prop) if prop in LABEL_PROPERTIES else 99
        return by_language, by_property, literal.value

    ranked = sorted(candidates, key=rank)
    return ranked[0][1].value if ranked else None


def _representation(accept: str | None) -> Choice[ox.RdfFormat] | None:
    """The RDF format to answer in, or None for the HTML page; ``?format=`` beats Accept."""
    name = parse_params(request.query_string, where="URL").at_most_once("format")
    if name == "html":
        return None
    if name is not None:
        if name not in FORMAT_NAMES:
            raise NotAcceptable(f"format {name!r} is not available; use one of: html, "
                                f"{', '.join(FORMAT_NAMES)}")
        return htkg().negotiator.graph(FORMAT_NAMES[name])
    if _prefers_html(accept):
        return None
    return htkg().negotiator.graph(accept)


def _prefers_html(accept: str | None) -> bool:
    """Whether the client asked for text/html by name, above every RDF type (browsers do)."""
    parsed = parse_accept_header(accept, MIMEAccept)
    return parsed.best_match(["text/html", *GRAPH_FORMATS]) == "text/html" and any(
        value.split(";")[0].strip().lower() == "text/html" for value, _ in parsed)


def _alternates(rest: str) -> list[Alternate]:
    forms = [("html", "text/html"), *FORMAT_NAMES.items()]
    return [Alternate(name, media_type, url_for("linked_data.entity", rest=rest, format=name))
            for name, media_type in forms]


def _page(iri: str | None, rest: str) -> EntityPage:
    """Read the entity's triples for the caller and arrange them for the template."""
    rows = select_for_caller(_page_query(iri)) if iri is not None else []
    if iri is None or not rows:
        raise _not_found(iri, rest)
    labels: dict[Any, list[tuple[str, ox.Literal]]] = {}
    outgoing: dict[str, set[Any]] = {}
    incoming: set[tuple[Any, str]] = set()
    for row in rows:
        prop, value, label = row["property"], row["value"], row["valueLabel"]
        assert isinstance(prop, ox.NamedNode) and value is not None
        if isinstance(label, ox.Literal):
            labels.setdefault(value, []).append((LABEL_PROPERTIES[0], label))
        if _text(row["direction"]) == "out":
            outgoing.setdefault(prop.value, set()).add(value)
        else:
            incoming.add((value, prop.value))
    shown = {value: best_label(found) for value, found in labels.items()}
    types = outgoing.pop(RDF_TYPE, set())
    return EntityPage(
        iri=iri,
        label=best_label((p, v) for p, values in outgoing.items() if p in LABEL_PROPERTIES
                         for v in values if isinstance(v, ox.Literal)),
        types=sorted((_term(t, {}) for t in types), key=lambda t: t.text.lower()),
        properties=sorted(
            (PropertyValues(_term(ox.NamedNode(p), {}),
                            sorted((_term(v, shown) for v in values), key=_order))
             for p, values in outgoing.items()),
            key=lambda pv: pv.property.text.lower()),
        incoming=sorted(((_term(s, shown), _term(ox.NamedNode(p), {})) for s, p in incoming),
                        key=lambda pair: (pair[1].text.lower(), _order(pair[0]))),
        alternates=_alternates(rest),
        truncated=len(rows) >= MAX_PAGE_ROWS,
    )


def _page_query(iri: str) -> str:
    """Each triple in or out, with the labels of the nodes at the other end."""
    node = str(ox.NamedNode(iri))
    names = " | ".join(str(ox.NamedNode(p)) for p in LABEL_PROPERTIES)
    outgoing = in_any_graph(f"{node} ?property ?value", graph_variable="og")
    incoming = in_any_graph(f"?value ?property {node}", graph_variable="ig")
    label = in_any_graph(f"?value {names} ?valueLabel FILTER(isLiteral(?valueLabel))",
                         graph_variable="lg")
    return f"""SELECT DISTINCT ?direction ?property ?value ?valueLabel WHERE {{
  {{ {outgoing} BIND("out" AS ?direction) }} UNION {{ {incoming} BIND("in" AS ?direction) }}
  OPTIONAL {label}
}} LIMIT {MAX_PAGE_ROWS}"""


def _term(term: Any, labels: dict[Any, str | None]) -> Term:
    """A term for the page: IRIs under the base link to their local page, others as they are."""
    if isinstance(term, ox.NamedNode):
        text = labels.get(term) or _compact(term.value)
        return Term(text, href=local_page(term.value) or _web_link(term.value), iri=term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term(term.value, note=f"@{term.language}")
        datatype = term.datatype.value
        return Term(term.value, note="" if datatype == XSD_STRING else f"^^{_compact(datatype)}")
    return Term(str(term))  # a blank node (or a triple term): shown, not linked


def _web_link(iri: str) -> str | None:
    """Only http(s) IRIs become links: ``javascript:`` and the like are valid IRIs too."""
    return iri if iri.lower().startswith(("http://", "https://")) else None


def _compact(iri: str) -> str:
    """``htkg:Resolution`` for the ontology's IRIs and the usual vocabularies; else the IRI."""
    prefixes = {"htkg": htkg().settings.base_iri + "ontology#", **PREFIXES}
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _order(term: Term) -> tuple[bool, str]:
    return term.href is None, term.text.lower()


def _about(iri: str) -> str:
    """The pattern of every triple with the entity as subject or object."""
    node = str(ox.NamedNode(iri))
    return (f"{in_any_graph(f'{node} ?p ?o', graph_variable='og')} UNION "
            f"{in_any_graph(f'?s ?q {node}', graph_variable='ig')}")


def _not_found(iri: str | None, rest: str) -> NotFound:
    """The same answer for a missing entity and one the caller may not read (STYLE H8)."""
    shown = iri or htkg().settings.base_iri + "id/" + rest
    return NotFound(f"no entity with the IRI <{shown}>")


def _query(text: str) -> QueryRequest:
    return QueryRequest(text=text, inference=htkg().settings.inference)


def _results_only(kind: ResultKind) -> Choice[Any]:
    """SPARQL JSON for our own SELECT and ASK queries, which we parse back right away.

    Never raises: an exception kept by the worker pool for an unused result kind would hold
    this request's frames (and pyoxigraph objects that must die in their own thread) alive.
    """
    return GRAPH_NTRIPLES if kind is ResultKind.GRAPH else JSON_RESULTS


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.Literal) else ""


def _whole(body: bytes | Iterable[bytes]) -> bytes:
    """Read a small answer whole; reading to the end gives its worker back."""
    if isinstance(body, bytes):
        return body
    try:
        return b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()

