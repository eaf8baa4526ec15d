"""Parse RDF documents into rdflib terms without touching literal lexical forms.

rdflib's own parsers canonicalise literals (``"01"^^xsd:integer`` becomes ``"1"``), which
would hide exactly the differences the strict comparison is there to see. pyoxigraph's
parsers keep every lexical form, resolve relative IRIs against a given base and are fast, so
they do the parsing here; the terms are then built as rdflib terms with ``normalize=False``
so that rdflib's graph isomorphism can compare them. pyoxigraph is used only as a parser:
the endpoint under test is always reached over HTTP.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

class _IllFormedLiteralFilter(logging.Filter):
    """Drop rdflib's warning for each ill-formed literal it is asked to hold.

    The W3C suites contain ill-formed literals on purpose (``"xyz"^^xsd:integer``), and
    rdflib logs a traceback for every one of them even though the lexical form is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllFormedLiteralFilter())

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node | None]


def literal(lexical: str, *, datatype: str | None = None, language: str | None = None) -> Literal:
    """An rdflib literal exactly as written, in RDF 1.1 form.

    ``xsd:string`` becomes a simple literal (the two are the same term in RDF 1.1) and the
    language tag is lower-cased (tags compare case-insensitively), so that serialisers that
    choose differently between equivalent spellings are not reported as wrong.
    """
    if language:
        return Literal(lexical, lang=language.lower(), normalize=False)
    if datatype in (None, XSD_STRING, RDF_LANG_STRING):
        return Literal(lexical, normalize=False)
    return Literal(lexical, datatype=URIRef(datatype), normalize=False)


def from_oxigraph(term: object) -> Node | None:
    """Convert a pyoxigraph term; the default graph becomes ``None``."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return literal(term.value, datatype=term.datatype.value, language=term.language)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise ValueError(f"unsupported RDF term {term!r}")


def rdf_format(media_type: str | None = None, path: Path | None = None) -> ox.RdfFormat | None:
    """The RDF syntax for a Content-Type (parameters ignored) or a file extension."""
    if media_type:
        return ox.RdfFormat.from_media_type(media_type.split(";")[0].strip())
    if path is not None:
        return ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    return None


def parse_quads(data: bytes, fmt: ox.RdfFormat, base: str) -> list[Quad]:
    """Every quad of a document; raises SyntaxError with the parser's message."""
    quads: list[Quad] = []
    for q in ox.parse(data, fmt, base_iri=base):
        s, p, o = from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)
        assert s is not None and p is not None and o is not None
        quads.append((s, p, o, from_oxigraph(q.graph_name)))
    return quads


def parse_triples(data: bytes, fmt: ox.RdfFormat, base: str) -> set[Triple]:
    """The triples of a graph document (quads in named graphs are an error here)."""
    quads = parse_quads(data, fmt, base)
    if any(g is not None for *_, g in quads):
        raise SyntaxError("expected a graph, got a dataset with named graphs")
    return {(s, p, o) for s, p, o, _ in quads}


def read_file_triples(path: Path) -> set[Triple]:
    fmt = rdf_format(path=path)
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file extension")
    return parse_triples(path.read_bytes(), fmt, path.as_uri())


def ntriples(paths: list[Path]) -> bytes:
    """One N-Triples document merging ``paths`` (RDF merge: blank nodes kept apart per file).

    N-Triples has no relative IRIs and no prefixes, so the endpoint receiving it cannot
    resolve anything differently from the test's intent, whatever base it would use.
    """
    chunks: list[bytes] = []
    for path in paths:
        fmt = rdf_format(path=path)
        if fmt is None:
            raise ValueError(f"{path}: unknown RDF file extension")
        quads = ox.parse(path=path, format=fmt, base_iri=path.as_uri(), rename_blank_nodes=True)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        chunks.append(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return b"".join(chunks)
