"""SPARQL 1.1 Service Description tests (``sparql11/service-description``, three tests).

The manifest names the tests and nothing else; what each checks comes from the Service
Description specification, section 2 ("Accessing a Service Description"):

* ``returns-rdf``: a GET on the query URL without parameters returns RDF, and content
  negotiation works for the two RDF syntaxes the tests ask for, RDF/XML and Turtle;
* ``has-endpoint-triple``: the description has ``?service sd:endpoint <query URL>``;
* ``conforms-to-schema``: it uses the vocabulary as defined: an ``sd:Service`` with an
  endpoint IRI and a supported language, and IRI values where the vocabulary asks for them.
"""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.term import Node

from .client import Session
from .manifest import SD, Case
from .model import Verdict
from .rdfio import Triple, parse_triples, rdf_format

_NEGOTIATED = {"application/rdf+xml": "RDF/XML", "text/turtle": "Turtle"}
_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
_IRI_VALUED = (SD.endpoint, SD.supportedLanguage, SD.resultFormat, SD.inputFormat, SD.feature,
               SD.defaultEntailmentRegime, SD.entailmentRegime, SD.extensionFunction,
               SD.extensionAggregate, SD.languageExtension, SD.propertyFeature, SD.name,
               SD.defaultSupportedEntailmentProfile, SD.supportedEntailmentProfile)


def fetch(session: Session, accept: str) -> tuple[set[Triple] | None, str]:
    """The description as triples, or None and why not."""
    url = session.endpoint.query_url
    response = session.http.get(url, headers={"Accept": accept})
    if not response.is_success:
        return None, f"GET {url} (Accept: {accept}) answered {response.status_code}"
    media_type = response.headers.get("content-type", "")
    fmt = rdf_format(media_type)
    if fmt is None:
        return None, f"GET {url} (Accept: {accept}) gave non-RDF {media_type!r}"
    try:
        return parse_triples(response.content, fmt, url), media_type
    except SyntaxError as error:
        return None, f"unparsable {media_type}: {error}"


def returns_rdf(session: Session) -> Verdict:
    for media_type, label in _NEGOTIATED.items():
        triples, detail = fetch(session, media_type)
        if triples is None:
            return Verdict.failed(detail)
        if not detail.lower().startswith(media_type):
            return Verdict.failed(f"asked for {label}, got {detail!r}")
    return Verdict.passed()


def has_endpoint_triple(session: Session) -> Verdict:
    triples, detail = fetch(session, "text/turtle, application/rdf+xml;q=0.9, */*;q=0.1")
    if triples is None:
        return Verdict.failed(detail)
    endpoint = URIRef(session.endpoint.query_url)
    if any(p == SD.endpoint and o == endpoint for _, p, o in triples):
        return Verdict.passed()
    found = [str(o) for _, p, o in triples if p == SD.endpoint]
    return Verdict.failed(f"no sd:endpoint <{endpoint}> (found {found})")


def schema_problems(triples: set[Triple]) -> list[str]:
    """Departures from the SD vocabulary's ranges; empty when the description conforms."""
    services = {s for s, p, o in triples if p == RDF.type and o == SD.Service}
    if not services:
        return ["no sd:Service"]
    problems = []
    values: dict[tuple[Node, Node], list[Node]] = {}
    for s, p, o in triples:
        values.setdefault((s, p), []).append(o)
    for service in services:
        if not values.get((service, SD.endpoint)):
            problems.append("an sd:Service has no sd:endpoint")
        languages = values.get((service, SD.supportedLanguage), [])
        if not languages:
            problems.append("an sd:Service has no sd:supportedLanguage")
        problems += [f"unknown sd:supportedLanguage {v}" for v in languages
                     if v not in _LANGUAGES]
    problems += [f"{p} has non-IRI value {o!r}" for _, p, o in triples
                 if p in _IRI_VALUED and not isinstance(o, URIRef)]
    for _, p, graph in triples:
        if p == SD.namedGraph and not values.get((graph, SD.name)):
            problems.append("an sd:namedGraph has no sd:name")
    return problems


def conforms_to_schema(session: Session) -> Verdict:
    triples, detail = fetch(session, "text/turtle, application/rdf+xml;q=0.9, */*;q=0.1")
    if triples is None:
        return Verdict.failed(detail)
    problems = schema_problems(triples)
    return Verdict.failed("; ".join(problems[:5])) if problems else Verdict.passed()


_TESTS = {"returns-rdf": returns_rdf, "has-endpoint-triple": has_endpoint_triple,
          "conforms-to-schema": conforms_to_schema}


def run_service_description(case: Case, session: Session) -> Verdict:
    check = _TESTS.get(case.iri.rsplit("#", 1)[-1])
    if check is None:
        return Verdict.failed(f"unknown service description test {case.iri}")
    return check(session)
