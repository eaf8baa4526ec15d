"""Validation results and reports as typed values, independent of pyshacl's report graph.

Terms are written the way SPARQL and N-Triples write them, so that an IRI, a blank node and a
literal can never be confused: ``focus_node`` and ``value`` are N-Triples terms
(``<https://...>``, ``_:b0``, ``"abc"^^<...#integer>``), ``path`` is a SPARQL property path
(``<p>`` or ``^<p>``); ``constraint`` (the constraint component) and ``shape`` (the named node
shape that declares the constraint, also when a blank property shape reported it) are plain
IRIs, and ``severity`` is ``Violation``, ``Warning`` or ``Info``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

SEVERITIES = ("Violation", "Warning", "Info")
REPORT_FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "ntriples": "nt"}


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``: what is wrong, where, and how badly.

    >>> r = ValidationResult("<http://ex/a>", "<http://ex/p>", None,
    ...     "http://www.w3.org/ns/shacl#MinCountConstraintComponent",
    ...     "http://ex/Shape", "Give a p.", "Violation")
    >>> r.summary()["severity"], r.blocks
    ('Violation', True)
    """

    focus_node: str
    path: str | None
    value: str | None
    constraint: str
    shape: str
    message: str
    severity: str
    terms: tuple[rdflib.term.Node, rdflib.term.Node | None] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def blocks(self) -> bool:
        """Only violations refuse a write; warnings and infos are reported alongside."""
        return self.severity == "Violation"

    @property
    def key(self) -> tuple[str, str | None, str | None, str, str, str]:
        """What two validations of the same data must agree on (the shape's IRI aside)."""
        return (self.focus_node, self.path, self.value, self.constraint, self.severity,
                self.message)

    def summary(self) -> dict[str, str | None]:
        return {
            "focus_node": self.focus_node, "path": self.path, "value": self.value,
            "constraint": self.constraint, "shape": self.shape, "message": self.message,
            "severity": self.severity,
        }

    def line(self) -> str:
        """One readable line: severity, focus node, path, message."""
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus_node}{where}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: its results, sorted, and their verdict.

    ``conforms`` is htkg's acceptance verdict: no violation (warnings and infos never block).
    The report graph follows SHACL itself, where ``sh:conforms`` is false whenever there is
    any result, so that SHACL tools read it as they would any other report.

    >>> ValidationReport(()).conforms, ValidationReport(()).serialize("turtle")[:11]
    (True, '@prefix sh:')
    """

    results: tuple[ValidationResult, ...]
    full: bool = False

    @classmethod
    def of(cls, results: Iterable[ValidationResult], *, full: bool = False) -> ValidationReport:
        ordered = sorted(set(results), key=lambda r: tuple(x or "" for x in (*r.key, r.shape)))
        return cls(tuple(ordered), full=full)

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")

    def summary(self) -> list[dict[str, str | None]]:
        """One JSON-ready dict per result (focus node, path, value, constraint, message...)."""
        return [r.summary() for r in self.results]

    def summary_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "results": self.summary()}, indent=2)

    def report_graph(self) -> rdflib.Graph:
        """The ``sh:ValidationReport`` as an RDF graph."""
        graph = rdflib.Graph()
        graph.bind("sh", SH)
        report = rdflib.BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, rdflib.Literal(not self.results)))
        for result in self.results:
            node = rdflib.BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            focus, value = result.terms or (rdflib.util.from_n3(result.focus_node), None)
            graph.add((node, SH.focusNode, focus))  # type: ignore[arg-type]
            if value is not None:
                graph.add((node, SH.value, value))
            if result.path is not None:
                graph.add((node, SH.resultPath, _path_node(graph, result.path)))
            graph.add((node, SH.sourceConstraintComponent, rdflib.URIRef(result.constraint)))
            if result.shape:
                graph.add((node, SH.sourceShape, rdflib.URIRef(result.shape)))
            graph.add((node, SH.resultMessage, rdflib.Literal(result.message)))
            graph.add((node, SH.resultSeverity, SH[result.severity]))
        return graph

    def serialize(self, format: str = "turtle") -> str:
        """The report graph as ``turtle``, ``json-ld`` or ``ntriples``.

        :raises ValueError: for any other format name.
        """
        if format not in REPORT_FORMATS:
            raise ValueError(f"unknown report format {format!r}; use one of {list(REPORT_FORMATS)}")
        return self.report_graph().serialize(format=REPORT_FORMATS[format])


def write_report(report: ValidationReport, format: ox.RdfFormat) -> bytes:
    """The report graph in any RDF format pyoxigraph writes (Turtle, JSON-LD, RDF/XML...).

    >>> write_report(ValidationReport(()), ox.RdfFormat.N_TRIPLES).count(b"\\n")
    2
    """
    triples = ox.parse(report.serialize("ntriples").encode(), ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=format, prefixes={"sh": str(SH)})


def _path_node(graph: rdflib.Graph, path: str) -> rdflib.term.Node:
    if path.startswith("^<"):
        node = rdflib.BNode()
        graph.add((node, SH.inversePath, rdflib.URIRef(path[2:-1])))
        return node
    return rdflib.URIRef(path[1:-1])
