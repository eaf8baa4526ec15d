"""Content negotiation: Accept and Content-Type headers against our format tables.

The tables from media type to pyoxigraph format live here and nowhere else. The order of each
table is the order of preference for ``*/*``: SPARQL JSON for SELECT/ASK (as Oxigraph and
Fuseki answer) and Turtle for graphs (the format people read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import parse_accept_header

F = TypeVar("F", ox.QueryResultsFormat, ox.RdfFormat)

RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/xml": ox.RdfFormat.RDF_XML,
    "application/json": ox.RdfFormat.JSON_LD,
}

# What a browser (text/html preferred, none of ours asked for as much) is sent: a format it
# displays inline instead of offering a download.
BROWSER_RESULTS = ("application/json", ox.QueryResultsFormat.JSON)
BROWSER_GRAPH = ("text/plain; charset=utf-8", ox.RdfFormat.TURTLE)


@dataclass(frozen=True)
class Choice(Generic[F]):
    """The media type to send in Content-Type and the serializer that produces it."""

    media_type: str
    format: F


def choose_results_format(accept: str | None) -> Choice[ox.QueryResultsFormat]:
    """Pick the SELECT/ASK serialization for an Accept header.

    >>> choose_results_format("text/csv;q=0.5, application/sparql-results+xml").media_type
    'application/sparql-results+xml'
    >>> choose_results_format(None).media_type
    'application/sparql-results+json'

    :raises NotAcceptable: listing what can be produced.
    """
    return _choose(accept, RESULTS_FORMATS, BROWSER_RESULTS)


def choose_graph_format(accept: str | None) -> Choice[ox.RdfFormat]:
    """Pick the RDF serialization of a graph for an Accept header.

    >>> choose_graph_format("*/*").media_type
    'text/turtle; charset=utf-8'

    :raises NotAcceptable: listing what can be produced.
    """
    return _choose(accept, GRAPH_FORMATS, BROWSER_GRAPH)


def rdf_input_format(media_type: str) -> ox.RdfFormat | None:
    """The parser for a request body's Content-Type, or None when we cannot read it.

    >>> rdf_input_format("text/turtle")
    <RdfFormat Turtle>
    """
    return GRAPH_FORMATS.get(media_type.lower()) or ox.RdfFormat.from_media_type(media_type)


def _choose(accept: str | None, table: dict[str, F], browser: tuple[str, F]) -> Choice[F]:
    if not accept or not accept.strip():
        media_type = next(iter(table))
        return Choice(_with_charset(media_type), table[media_type])
    parsed = _without_parameters(parse_accept_header(accept, MIMEAccept))
    best = parsed.best_match(list(table))
    html_quality = max((q for value, q in parsed if value.lower() == "text/html"), default=0)
    if html_quality and (best is None or html_quality > parsed.quality(best)):
        return Choice(browser[0], browser[1])
    if best is None:
        raise NotAcceptable(
            f"cannot produce any of the types in Accept: {accept!r}; "
            f"available: {', '.join(table)}"
        )
    return Choice(_with_charset(best), table[best])


def _without_parameters(accept: MIMEAccept) -> MIMEAccept:
    """Match on type/subtype only; we only write UTF-8, so other charsets cannot match.

    werkzeug compares media-type parameters too, so ``text/turtle; charset=utf-8`` would
    not match ``text/turtle``.
    """
    kept = []
    for value, quality in accept:
        media_type, *parameters = (part.strip() for part in value.split(";"))
        charsets = [p.split("=", 1)[1].strip('"').lower() for p in parameters
                    if p.lower().startswith("charset=")]
        if all(charset in ("utf-8", "utf8") for charset in charsets):
            kept.append((media_type, quality))
    return MIMEAccept(kept)


def _with_charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


class Negotiator:
    """Remembers the choice made for each Accept value; one per app.

    Clients send the same few Accept headers over and over, and parsing one is about a sixth
    of the main process's CPU on a cheap query (measured by the benchmark's profile).
    Refusals are remembered too (as their message): every SELECT is also negotiated as a
    graph in case it were one, and ``application/sparql-results+json`` is no graph format.
    The memory is bounded by ``size`` distinct values.

    >>> negotiator = Negotiator()
    >>> negotiator.results("text/csv").media_type
    'text/csv; charset=utf-8'
    >>> negotiator.graph("text/csv")
    Traceback (most recent call last):
    werkzeug.exceptions.NotAcceptable: 406 Not Acceptable: cannot produce any of ...
    """

    def __init__(self, *, size: int = 256) -> None:
        self._size = size
        self._results: dict[str | None, Choice[ox.QueryResultsFormat] | str] = {}
        self._graphs: dict[str | None, Choice[ox.RdfFormat] | str] = {}

    def results(self, accept: str | None) -> Choice[ox.QueryResultsFormat]:
        return self._choice(self._results, accept, choose_results_format)

    def graph(self, accept: str | None) -> Choice[ox.RdfFormat]:
        return self._choice(self._graphs, accept, choose_graph_format)

    def _choice(self, memory: dict[str | None, Choice[F] | str], accept: str | None,
                choose: Callable[[str | None], Choice[F]]) -> Choice[F]:
        found = memory.get(accept)
        if found is None:
            try:
                found = choose(accept)
            except NotAcceptable as refused:
                found = str(refused.description)
            if len(memory) >= self._size:
                memory.clear()
            memory[accept] = found  # a dict assignment is atomic under the GIL
        if isinstance(found, str):
            raise NotAcceptable(found)
        return found
