"""Which nodes a change can affect: the dependency rule of incremental validation, read from
the shapes themselves.

A node's validation verdict depends on a bounded neighbourhood that the shapes define: its own
outgoing triples (every shape and SPARQL constraint starting at ``$this`` reads them), the
incoming triples of the predicates used backwards (``sh:inversePath``, ``sh:targetObjectsOf``,
``?x p $this``), the ``rdf:type`` of value nodes reached through predicates whose values are
checked with ``sh:class`` (``type_read``), and chosen outgoing triples of value nodes one step
away (``hops``: ``sh:node`` shapes with paths, SPARQL joins such as ``$this p ?v . ?v q ?w``),
plus the class hierarchy (``rdfs:subClassOf``). Anything deeper, complex paths and SPARQL
constraints reading fixed nodes make the rule ``unsupported``: validation then falls back to
the whole graph, which is always right, only slower.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

ALL = "*"  # in ``hops``: every predicate of the value node is read
THIS = Variable("this")
_VALUE_SHAPES = (SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_PAIR_PREDICATES = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


@dataclass(frozen=True)
class DependencyRule:
    """What a node's verdict reads besides its own outgoing triples (predicate IRIs as str).

    >>> rule = DependencyRule.from_shapes(rdflib.Graph().parse(format="turtle", data='''
    ...   @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...   <http://ex/S> sh:targetClass <http://ex/C> ;
    ...     sh:property [ sh:path <http://ex/p> ; sh:class <http://ex/D> ] ,
    ...                 [ sh:path [ sh:inversePath <http://ex/q> ] ; sh:minCount 1 ] .'''))
    >>> sorted(rule.type_read), sorted(rule.incoming), rule.unsupported
    (['http://ex/p'], ['http://ex/q'], ())
    """

    type_read: frozenset[str] = frozenset()
    inverse_type_read: frozenset[str] = frozenset()
    incoming: frozenset[str] = frozenset()
    hops: dict[str, frozenset[str]] = field(default_factory=dict)
    unsupported: tuple[str, ...] = ()

    @classmethod
    def from_shapes(cls, shapes: rdflib.Graph) -> DependencyRule:
        """Work the rule out from every shape of ``shapes`` (targets, paths, SPARQL text)."""
        reader = _Reader(shapes)
        for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | _targeted(shapes):
            reader.shape(shape, level=0, link=None)
        for predicate in shapes.objects(None, SH.targetObjectsOf):
            reader.incoming.add(str(predicate))
        return cls(
            type_read=frozenset(reader.type_read),
            inverse_type_read=frozenset(reader.inverse_type_read),
            incoming=frozenset(reader.incoming),
            hops={link: frozenset(reads) for link, reads in reader.hops.items()},
            unsupported=tuple(sorted(set(reader.unsupported))),
        )


# integer datatypes Oxigraph stores as plain xsd:integer (oxigraph/oxigraph#1413)
_INTEGER_SUBTYPES = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name for name in (
        "positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte"))


def integer_subtypes(shapes: rdflib.Graph) -> dict[str, frozenset[str]]:
    """Predicate -> the integer subtypes its values must have (``sh:datatype`` in ``shapes``).

    Oxigraph keeps ``"5"^^xsd:positiveInteger`` as ``"5"^^xsd:integer``, so data read back
    from the store has lost the subtype; these are the ones to give back before validating.

    >>> integer_subtypes(rdflib.Graph().parse(format="turtle", data='''
    ...   @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...   @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...   [] sh:path <http://ex/n> ; sh:datatype xsd:positiveInteger .'''))
    {'http://ex/n': frozenset({'http://www.w3.org/2001/XMLSchema#positiveInteger'})}
    """
    found: dict[str, set[str]] = {}
    for shape, datatype in shapes.subject_objects(SH.datatype):
        path = shapes.value(shape, SH.path)
        if str(datatype) in _INTEGER_SUBTYPES and isinstance(path, rdflib.URIRef):
            found.setdefault(str(path), set()).add(str(datatype))
    return {p: frozenset(d) for p, d in found.items()}


def _targeted(shapes: rdflib.Graph) -> set[Node]:
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    return {s for t in targets for s in shapes.subjects(t, None)}


Link = tuple[str, bool] | None  # (predicate, inverse) from the focus node to the value node


class _Reader:
    """Walks shapes, recording what each level (0: focus, 1: value node) reads."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        self.g = shapes
        self.type_read: set[str] = set()
        self.inverse_type_read: set[str] = set()
        self.incoming: set[str] = set()
        self.hops: dict[str, set[str]] = {}
        self.unsupported: list[str] = []
        self.seen: set[tuple[Node, int, Link]] = set()
        self.prefixes = _declared_prefixes(shapes)

    def shape(self, node: Node, *, level: int, link: Link) -> None:
        if (node, level, link) in self.seen:
            return
        self.seen.add((node, level, link))
        if (node, SH.path, None) in self.g:
            self.property_shape(node, level=level, link=link)
        else:
            self.constraints(node, level=level, link=link)
        for prop in self.g.objects(node, SH.property):
            self.property_shape(prop, level=level, link=link)

    def constraints(self, node: Node, *, level: int, link: Link) -> None:
        """Constraints applying to the node at ``level`` itself."""
        if (node, SH["class"], None) in self.g:
            self.read_type(level, link)
        for predicate in _VALUE_SHAPES:
            for nested in self.g.objects(node, predicate):
                self.shape(nested, level=level, link=link)
        for predicate in _SHAPE_LISTS:
            for items in self.g.objects(node, predicate):
                for nested in rdflib.collection.Collection(self.g, items):
                    self.shape(nested, level=level, link=link)
        for predicate in _PAIR_PREDICATES:
            for other in self.g.objects(node, predicate):
                self.read_outgoing(str(other), level, link)
        for constraint in self.g.objects(node, SH.sparql):
            self.sparql(constraint, level=level, link=link)

    def property_shape(self, node: Node, *, level: int, link: Link) -> None:
        path = self.g.value(node, SH.path)
        inverse = self.g.value(path, SH.inversePath) if isinstance(path, rdflib.BNode) else None
        if isinstance(path, rdflib.URIRef):
            value_link: Link = (str(path), False)
            self.read_outgoing(str(path), level, link)
        elif isinstance(inverse, rdflib.URIRef):
            value_link = (str(inverse), True)
            if level == 0:
                self.incoming.add(str(inverse))
            else:
                self.unsupported.append(f"inverse path ^<{inverse}> on a value node")
        else:
            self.unsupported.append(f"complex path {path!r}")
            return
        for other in (o for p in _PAIR_PREDICATES for o in self.g.objects(node, p)):
            self.read_outgoing(str(other), level, link)
        for constraint in self.g.objects(node, SH.sparql):
            self.sparql(constraint, level=level, link=link)
        # every other constraint of a property shape applies to its value nodes, one level down
        for predicate in (SH["class"], *_VALUE_SHAPES, *_SHAPE_LISTS):
            for value in self.g.objects(node, predicate):
                self.value_constraint(predicate, value, level=level + 1, link=value_link)

    def value_constraint(self, predicate: Node, value: Node, *, level: int, link: Link) -> None:
        if predicate == SH["class"]:
            self.read_type(level, link)
        elif predicate in _SHAPE_LISTS:
            for nested in rdflib.collection.Collection(self.g, value):
                self.shape(nested, level=level, link=link)
        else:
            self.shape(value, level=level, link=link)

    def read_type(self, level: int, link: Link) -> None:
        if level == 0 or link is None:
            return  # the focus node's own types are part of its outgoing triples
        if level > 1:
            self.unsupported.append("sh:class two steps away from the focus node")
        elif link[1]:
            self.inverse_type_read.add(link[0])
        else:
            self.type_read.add(link[0])

    def read_outgoing(self, predicate: str, level: int, link: Link) -> None:
        if level == 0 or link is None:
            return
        if level > 1 or link[1]:
            self.unsupported.append(f"<{predicate}> read two steps away or backwards")
        else:
            self.hops.setdefault(link[0], set()).add(predicate)

    def sparql(self, constraint: Node, *, level: int, link: Link) -> None:
        text = self.g.value(constraint, SH.select)
        if level > 0 or text is None:
            self.unsupported.append("SPARQL constraint on a value node or without sh:select")
            return
        triples = list(_triple_patterns(translateQuery(
            parseQuery(str(text)), initNs=self.prefixes).algebra))
        bound_from_this = {o: p for s, p, o in triples if s == THIS and isinstance(o, Variable)}
        for s, p, o in triples:
            if s == THIS:
                continue
            if o == THIS and isinstance(p, rdflib.URIRef):
                self.incoming.add(str(p))
            elif isinstance(s, Variable) and isinstance(bound_from_this.get(s), rdflib.URIRef):
                reads = self.hops.setdefault(str(bound_from_this[s]), set())
                reads.add(str(p) if isinstance(p, rdflib.URIRef) else ALL)
            else:
                self.unsupported.append(f"SPARQL pattern {s} {p} {o} not anchored at $this")


def _triple_patterns(algebra: object) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple pattern anywhere in a query's algebra, FILTER (NOT) EXISTS included."""
    if isinstance(algebra, CompValue | dict):
        for key, value in algebra.items():
            if key == "triples" and isinstance(value, list):
                yield from (tuple(t) for t in value)  # type: ignore[misc]
            else:
                yield from _triple_patterns(value)
    elif isinstance(algebra, list | tuple):
        for item in algebra:
            yield from _triple_patterns(item)


def _declared_prefixes(shapes: rdflib.Graph) -> dict[str, str]:
    return {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
