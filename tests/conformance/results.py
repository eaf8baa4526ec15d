"""Parse SPARQL query results (XML, JSON, TSV, CSV, and the DAWG RDF result-set vocabulary).

Written here rather than borrowed from the engine under test, so a serialiser bug in the
engine cannot be hidden by the same bug in its parser. Terms come out as rdflib terms with
their lexical forms untouched (see ``rdfio.literal``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

from rdflib import RDF, BNode, Namespace, URIRef
from rdflib.term import Node

from .rdfio import Triple, literal

RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
XSD = "http://www.w3.org/2001/XMLSchema#"
SRX = "{http://www.w3.org/2005/sparql-results#}"

Row = dict[str, Node]

RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/tab-separated-values": "tsv",
    "text/csv": "csv",
}


@dataclass
class Solutions:
    """A SELECT answer: variables and rows; ``ordered`` says whether row order is meaningful."""

    variables: list[str]
    rows: list[Row] = field(default_factory=list)
    ordered: bool = True


@dataclass(frozen=True)
class Boolean:
    """An ASK answer."""

    value: bool


Answer = Solutions | Boolean | set[Triple]


def results_format(media_type: str | None) -> str | None:
    """``json``/``xml``/``tsv``/``csv`` for a SPARQL results Content-Type, else None."""
    if not media_type:
        return None
    return RESULT_MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())


def parse_results(data: bytes, fmt: str) -> Solutions | Boolean:
    """Parse a results document; raises ValueError with what is wrong."""
    parser = {"json": _json, "xml": _xml, "tsv": _tsv, "csv": _csv}[fmt]
    try:
        return parser(data)
    except (KeyError, IndexError, TypeError, json.JSONDecodeError, ElementTree.ParseError,
            UnicodeDecodeError) as error:
        raise ValueError(f"malformed {fmt} results: {error!r}") from error


def _json_term(value: dict[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        return literal(value["value"], datatype=value.get("datatype"),
                       language=value.get("xml:lang"))
    raise ValueError(f"unknown JSON term type {kind!r}")


def _json(data: bytes) -> Solutions | Boolean:
    doc = json.loads(data.decode("utf-8"))
    if "boolean" in doc:
        return Boolean(bool(doc["boolean"]))
    rows = [{k: _json_term(v) for k, v in b.items()} for b in doc["results"]["bindings"]]
    return Solutions(list(doc["head"].get("vars", [])), rows)


def _xml_term(element: ElementTree.Element) -> Node:
    tag = element.tag.removeprefix(SRX)
    text = element.text or ""
    if tag == "uri":
        return URIRef(text)
    if tag == "bnode":
        return BNode(text)
    if tag == "literal":
        return literal(text, datatype=element.get("datatype"),
                       language=element.get("{http://www.w3.org/XML/1998/namespace}lang"))
    raise ValueError(f"unknown XML term element {tag!r}")


def _xml(data: bytes) -> Solutions | Boolean:
    root = ElementTree.fromstring(data)
    boolean = root.find(f"{SRX}boolean")
    if boolean is not None:
        return Boolean((boolean.text or "").strip() == "true")
    variables = [v.get("name", "") for v in root.iterfind(f"{SRX}head/{SRX}variable")]
    rows = [
        {b.get("name", ""): _xml_term(b[0]) for b in result.iterfind(f"{SRX}binding")}
        for result in root.iterfind(f"{SRX}results/{SRX}result")
    ]
    return Solutions(variables, rows)


_TSV_TERM = re.compile(
    r'<(?P<iri>[^>]*)>|_:(?P<bnode>\S+)'
    r'|"(?P<lex>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?'
    r"|(?P<bool>true|false)|(?P<num>[+-]?[0-9.]+(?P<exp>[eE][+-]?[0-9]+)?)", re.S)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
            "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU":
            return chr(int(code[1:], 16))
        return _ESCAPES[code]

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, text)


def tsv_term(cell: str) -> Node | None:
    """One TSV cell (a term in SPARQL syntax, numbers and booleans abbreviated)."""
    if cell == "":
        return None
    match = _TSV_TERM.fullmatch(cell)
    if match is None:
        raise ValueError(f"not an RDF term in TSV: {cell!r}")
    if match["iri"] is not None:
        return URIRef(_unescape(match["iri"]))
    if match["bnode"] is not None:
        return BNode(match["bnode"])
    if match["lex"] is not None:
        return literal(_unescape(match["lex"]), datatype=match["dt"], language=match["lang"])
    if match["bool"] is not None:
        return literal(match["bool"], datatype=XSD + "boolean")
    num = match["num"]
    kind = "double" if match["exp"] else "decimal" if "." in num else "integer"
    return literal(num, datatype=XSD + kind)


def _tsv(data: bytes) -> Solutions:
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]
    variables = [v.lstrip("?$") for v in lines[0].split("\t")] if lines and lines[0] else []
    rows: list[Row] = []
    for line in lines[1:]:
        cells = line.split("\t") if variables else []
        row = {v: t for v, c in zip(variables, cells, strict=False)
               if (t := tsv_term(c)) is not None}
        rows.append(row)
    return Solutions(variables, rows)


def _csv(data: bytes) -> Solutions:
    """CSV keeps only strings: a cell becomes a simple literal, ``_:x`` a blank node.

    That loses the difference between an IRI and a string with the same characters, which
    is what the CSV format itself loses; both sides of a CSV comparison go through here.
    """
    records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    variables = records[0] if records else []
    rows = [
        {v: (BNode(c[2:]) if c.startswith("_:") else literal(c))
         for v, c in zip(variables, record, strict=False) if c != ""}
        for record in records[1:]
    ]
    return Solutions(variables, rows)


def from_result_graph(triples: set[Triple]) -> Solutions | Boolean | None:
    """Read the DAWG ``rs:ResultSet`` vocabulary; None when the graph is not a result set."""
    sets = [s for s, p, o in triples if p == RDF.type and o == RS.ResultSet]
    if not sets:
        return None
    index: dict[tuple[Node, Node], list[Node]] = {}
    for s, p, o in triples:
        index.setdefault((s, p), []).append(o)
    root = sets[0]
    if (root, RS.boolean) in index:
        return Boolean(str(index[(root, RS.boolean)][0]) == "true")
    variables = [str(v) for v in index.get((root, RS.resultVariable), [])]
    solutions = index.get((root, RS.solution), [])
    numbered = [(int(str(index[(s, RS["index"])][0])), s) for s in solutions
                if (s, RS["index"]) in index]
    ordered = len(numbered) == len(solutions) and bool(solutions)
    if ordered:
        solutions = [s for _, s in sorted(numbered, key=lambda pair: pair[0])]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for binding in index.get((solution, RS.binding), []):
            row[str(index[(binding, RS.variable)][0])] = index[(binding, RS.value)][0]
        rows.append(row)
    return Solutions(variables, rows, ordered)
