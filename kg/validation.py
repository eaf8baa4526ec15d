"""SHACL validation: the one place htkg calls pyshacl, in full or incrementally.

pyshacl only ever receives parsed ``rdflib.Graph`` objects built here (never a path, URL or
string it could fetch), with ``inference="none"``, no ``owl:imports`` and no SHACL-AF; its
result comes back as our own ``ValidationReport``. The data graph is the store's union of
graphs without ``graph/shapes``, ``graph/system``, ``graph/provenance`` and
``graph/inferred``; the ontology graph (which holds the concept schemes) is part of it.

Incremental validation validates only the nodes a write can affect (``kg.validation_rule``)
on a graph of the context their verdicts read, and keeps the results whose focus node is one
of them. It does not use pyshacl's ``focus_nodes`` option: in pyshacl 0.40 that filter also
applies inside ``sh:node`` checks of literal values, so ``htkg:startDate "abc"`` would pass.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.curated import DEFAULT_BASE_IRI, graph_iri
from kg.errors import RdfSyntaxError
from kg.prepared_graph import sharing
from kg.results import GraphResult
from kg.store import Store
from kg.validation_context import DataView, Term, add_triples, rdflib_term
from kg.validation_report import ValidationReport, ValidationResult
from kg.validation_rule import DependencyRule, integer_subtypes

__all__ = ["ValidationReport", "ValidationResult", "Validator", "excluded_graphs"]

log = logging.getLogger(__name__)
RDF_TYPE = str(RDF.type)
_CLASS_MARKERS = (ox.NamedNode(str(OWL.Class)), ox.NamedNode(str(RDFS.Class)))


def excluded_graphs(*, base_iri: str = DEFAULT_BASE_IRI) -> frozenset[str]:
    """The graphs that are not data: shapes, system, provenance and inferred.

    >>> sorted(excluded_graphs())[0]
    'https://w3id.org/htkg/graph/inferred'
    """
    names = ("shapes", "system", "provenance", "inferred")
    return frozenset(graph_iri(name, base_iri=base_iri) for name in names)


class Validator:
    """Validates data against the shapes; built once per app from the shapes and ontology.

    >>> validator = Validator.from_package()
    >>> data = rdflib.Graph().parse(format="turtle", data='''
    ...   @prefix htkg: <https://w3id.org/htkg/ontology#> .
    ...   <https://w3id.org/htkg/id/country/iq> a htkg:Country ; htkg:iso3166Alpha2 "iq" .''')
    >>> report = validator.validate_graph(data)
    >>> report.conforms, sorted({r.path for r in report.violations})
    (False, ['<http://www.w3.org/2000/01/rdf-schema#label>', '<https://w3id.org/htkg/ontology#iso3166Alpha2>'])
    """

    def __init__(
        self, shapes: rdflib.Graph, ontology: rdflib.Graph, *, base_iri: str = DEFAULT_BASE_IRI
    ) -> None:
        self.shapes = shapes
        self.ontology = ontology
        self.base_iri = base_iri
        self.excluded = excluded_graphs(base_iri=base_iri)
        self.rule = DependencyRule.from_shapes(shapes)
        self.subtypes = integer_subtypes(shapes)
        self._owners = _owner_shapes(shapes)
        self._targets = Targets.from_shapes(shapes, ontology)
        if self.rule.unsupported:
            log.warning("incremental validation falls back to full validation: %s",
                        "; ".join(self.rule.unsupported))

    @classmethod
    def from_store(cls, store: Store, *, base_iri: str = DEFAULT_BASE_IRI) -> Validator:
        """Read the shapes and the ontology from the store's ``graph/shapes`` and
        ``graph/ontology`` (what ``load_curated_graphs`` put there)."""
        graphs: list[rdflib.Graph] = []
        for name in ("shapes", "ontology"):
            result = store.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri(name, base_iri=base_iri)}>"
                " { ?s ?p ?o } }")
            assert isinstance(result, GraphResult)
            subtypes = integer_subtypes(graphs[0]) if graphs else None  # lost in the store
            graphs.append(add_triples(rdflib.Graph(), result.triples, subtypes=subtypes))
        return cls(graphs[0], graphs[1], base_iri=base_iri)

    @classmethod
    def from_package(cls, *, base_iri: str = DEFAULT_BASE_IRI) -> Validator:
        """Read the shapes and the ontology shipped in the ``kg`` package (no store needed).

        :raises RdfSyntaxError: when a shipped file does not parse.
        """
        graphs = []
        for folder in ("shapes", "ontology"):
            graph = rdflib.Graph()
            for file in sorted(resources.files("kg").joinpath(folder).iterdir(),
                               key=lambda f: f.name):
                if file.name.endswith(".ttl"):
                    try:
                        quads = ox.parse(file.read_bytes(), ox.RdfFormat.TURTLE,
                                         base_iri=base_iri)
                        add_triples(graph, list(quads))
                    except SyntaxError as exc:
                        raise RdfSyntaxError.from_parser(exc, source=file.name) from exc
            graphs.append(graph)
        return cls(graphs[0], graphs[1], base_iri=base_iri)

    def validate_graph(self, data: rdflib.Graph, *, with_ontology: bool = True) -> ValidationReport:
        """Validate the whole of ``data`` (with the ontology mixed in unless told otherwise).

        Used by ``/shacl`` and ``htkg validate``; ``data`` is never modified.
        """
        graph = rdflib.Graph()
        graph += data
        if with_ontology:
            graph += self.ontology
        return ValidationReport.of(self._run(graph), full=True)

    def validate_stored_graph(self, store: Store, graph: str) -> ValidationReport:
        """Validate one stored named graph, with the ontology mixed in (``/shacl?graph=``).

        :raises ValueError: when ``graph`` is not an IRI.
        """
        iri = ox.NamedNode(graph)
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}")
        assert isinstance(result, GraphResult)
        data = add_triples(rdflib.Graph(), result.triples, subtypes=self.subtypes)
        return self.validate_graph(data)

    def data_graph(self, source: ox.Store, *, excluded: Collection[str] | None = None
                   ) -> rdflib.Graph:
        """The store's whole data graph as pyshacl reads it (integer subtypes given back)."""
        return self._view(source, excluded).graph()

    def validate_store(
        self, source: ox.Store, *, excluded: Collection[str] | None = None
    ) -> ValidationReport:
        """Validate the store's whole data graph (what incremental validation must equal)."""
        return ValidationReport.of(self._run(self.data_graph(source, excluded=excluded)),
                                   full=True)

    def validate_nodes(
        self,
        source: ox.Store,
        focus: Iterable[Term],
        *,
        subjects: Iterable[Term] | None = None,
        excluded: Collection[str] | None = None,
    ) -> ValidationReport:
        """Validate the nodes a write touched, and the nodes whose verdicts read them.

        ``source`` holds the state after the write. ``focus`` must hold every subject and
        every IRI or blank-node object of the added and removed triples (a superset is fine),
        or, when ``subjects`` is given, those subjects and the objects of the predicates the
        shapes read backwards (``rule.incoming``; ``kg.touched.WrittenNodes.focus``);
        ``subjects``, when given, the nodes whose outgoing triples changed (by default every
        focus node is assumed to have changed, which costs more on nodes many others point
        to). Nodes whose verdicts read a subject's types or outgoing triples are added by the
        dependency rule. A class among explicit ``subjects`` (a possible change of the class
        hierarchy) makes this a full validation (``report.full``); without ``subjects``,
        classes in ``focus`` are taken as objects of ``rdf:type``, so a write that may change
        ``rdfs:subClassOf`` must pass ``subjects`` or use ``validate_change``. If the state
        before the write conformed, the report equals a full validation of ``source`` on the
        nodes it covers, and no other node's results changed.
        """
        view = self._view(source, excluded)
        focus = set(focus)
        if subjects is None:  # classes in focus are objects of rdf:type, not changed classes
            changed = {node for node in focus if not _is_class(view, node)}
        else:
            changed = set(subjects)
            if any(_is_class(view, node) for node in changed):
                return self.validate_store(source, excluded=view.excluded)
        if self.rule.unsupported:
            return self.validate_store(source, excluded=view.excluded)
        return self._validate_within(view, view.dependents(changed, self.rule) | focus)

    def validate_change(
        self,
        source: ox.Store,
        *,
        added: Iterable[ox.Triple | ox.Quad] = (),
        removed: Iterable[ox.Triple | ox.Quad] = (),
        excluded: Collection[str] | None = None,
    ) -> ValidationReport:
        """Validate a write given exactly the triples it added and removed (the precise rule).

        Same guarantee as ``validate_nodes``, with fewer nodes: an object is revalidated
        only when its verdict reads the changed predicate backwards, and a node's dependents
        only when its type or a predicate they read changed.
        """
        view = self._view(source, excluded)
        nodes = None if self.rule.unsupported else view.affected(
            [*added, *removed], self.rule)
        if nodes is None:
            return self.validate_store(source, excluded=view.excluded)
        return self._validate_within(view, nodes)

    def _view(self, source: ox.Store, excluded: Collection[str] | None) -> DataView:
        graphs = frozenset(self.excluded if excluded is None else excluded)
        return DataView(source, graphs, self.subtypes)

    def _validate_within(self, view: DataView, nodes: set[Term]) -> ValidationReport:
        if not any(self._targets.covers(view, node) for node in nodes):
            # no shape targets any of them, so pyshacl would report nothing: skip its
            # start-up (about half a second), which most writes of non-domain data would pay
            return ValidationReport(())
        context = view.context(nodes, self.rule)
        keep: set[rdflib.term.Node] = {rdflib_term(n) for n in nodes}
        # pyshacl also reports a failed sh:node check with the literal value as focus node
        keep |= {o for n in list(keep) for o in context.objects(n, None)
                 if isinstance(o, rdflib.Literal)}
        results = self._run(context)
        return ValidationReport.of(r for r in results if r.terms and r.terms[0] in keep)

    def _run(self, data: rdflib.Graph) -> list[ValidationResult]:
        _, report, _ = pyshacl.validate(
            sharing(data), shacl_graph=self.shapes, inference="none", advanced=False,
            abort_on_first=False, allow_warnings=True, inplace=True,
            do_owl_imports=False, logger=log,
        )
        assert isinstance(report, rdflib.Graph)
        return [self._result(report, node)
                for node in report.subjects(RDF.type, SH.ValidationResult)]

    def _result(self, report: rdflib.Graph, node: rdflib.term.Node) -> ValidationResult:
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        source = report.value(node, SH.sourceShape)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        severity = report.value(node, SH.resultSeverity)
        assert focus is not None
        return ValidationResult(
            focus_node=focus.n3(),
            path=_path_text(report, report.value(node, SH.resultPath)),
            value=None if value is None else value.n3(),
            constraint=str(report.value(node, SH.sourceConstraintComponent)),
            shape=self._owner(report, source),
            message=messages[0] if messages else "",
            severity=str(severity).removeprefix(str(SH)),
            terms=(focus, value),
        )

    def _owner(self, report: rdflib.Graph, source: rdflib.term.Node | None) -> str:
        """The named shape declaring a constraint; pyshacl copies blank shapes into the report,
        so they are recognised by their path and message."""
        if isinstance(source, rdflib.URIRef):
            return str(source)
        path = report.value(source, SH.path)
        key = (path.n3() if isinstance(path, rdflib.URIRef) else None,
               str(report.value(source, SH.message)))
        return self._owners.get(key, "")


def _is_class(view: DataView, node: Term) -> bool:
    if not isinstance(node, ox.NamedNode | ox.BlankNode):
        return False
    rdf_type = ox.NamedNode(str(RDF.type))
    subclass = ox.NamedNode(str(RDFS.subClassOf))
    return (any(True for _ in view.quads(node, subclass, None))
            or any(True for _ in view.quads(None, subclass, node))
            or any(any(True for _ in view.quads(node, rdf_type, c)) for c in _CLASS_MARKERS))


def _path_text(report: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return path.n3()
    inverse = report.value(path, SH.inversePath)
    if isinstance(inverse, rdflib.URIRef):
        return "^" + inverse.n3()
    return str(path)


def _owner_shapes(shapes: rdflib.Graph) -> Mapping[tuple[str | None, str], str]:
    """(path, message) of each blank shape -> the named shape it belongs to."""
    owners: dict[tuple[str | None, str], str] = {}
    for blank in {s for s in shapes.subjects() if isinstance(s, rdflib.BNode)}:
        owner: rdflib.term.Node = blank
        for _ in range(10):  # climb sh:property / list cells / sh:sparql up to a named shape
            parent = next(shapes.subjects(None, owner), None)
            if parent is None or isinstance(owner, rdflib.URIRef):
                break
            owner = parent
        if isinstance(owner, rdflib.URIRef):
            path = shapes.value(blank, SH.path)
            key = (path.n3() if isinstance(path, rdflib.URIRef) else None,
                   str(shapes.value(blank, SH.message)))
            owners.setdefault(key, str(owner))
    return owners


@dataclass(frozen=True)
class Targets:
    """What makes a node a focus node of some shape (SHACL 2.1.3), read once from the shapes.

    >>> targets = Targets(frozenset({"http://ex/C"}), frozenset(), frozenset(), frozenset())
    >>> targets.covers(DataView(ox.Store(), frozenset(), {}), ox.NamedNode("http://ex/a"))
    False
    """

    classes: frozenset[str]  # target classes and their subclasses, and implicit class targets
    subjects_of: frozenset[str]
    objects_of: frozenset[str]
    nodes: frozenset[str]

    @classmethod
    def from_shapes(cls, shapes: rdflib.Graph, ontology: rdflib.Graph) -> Targets:
        hierarchy = shapes + ontology
        direct = set(shapes.objects(None, SH.targetClass))
        direct |= {s for s in shapes.subjects(RDF.type, SH.NodeShape)
                   if {(s, RDF.type, RDFS.Class), (s, RDF.type, OWL.Class)} & set(hierarchy)}
        closed = {sub for top in direct
                  for sub in hierarchy.transitive_subjects(RDFS.subClassOf, top)}
        return cls(
            frozenset(str(c) for c in closed),
            frozenset(str(p) for p in shapes.objects(None, SH.targetSubjectsOf)),
            frozenset(str(p) for p in shapes.objects(None, SH.targetObjectsOf)),
            frozenset(str(n) for n in shapes.objects(None, SH.targetNode)),
        )

    def covers(self, view: DataView, node: Term) -> bool:
        """Whether some shape would take ``node`` as a focus node in ``view``."""
        if isinstance(node, ox.NamedNode) and node.value in self.nodes:
            return True
        for quad in view.quads(node, None, None):
            predicate = quad.predicate.value
            if predicate in self.subjects_of:
                return True
            if predicate == RDF_TYPE and isinstance(quad.object, ox.NamedNode) and (
                    quad.object.value in self.classes):
                return True
        return any(True for p in self.objects_of
                   for _ in view.quads(None, ox.NamedNode(p), node))
