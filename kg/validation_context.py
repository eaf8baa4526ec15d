"""From pyoxigraph to the rdflib graphs pyshacl reads: term conversion, the data graph of a
store, the neighbourhood (context) of the nodes a change affects, and parsed documents.

Literals are copied exactly as stored (``normalize=False``), so validation sees the lexical form
a writer sent: ``"1"^^xsd:boolean`` stays ``"1"`` and ``"abc"^^xsd:integer`` stays ill-typed.
Nothing here fetches anything: documents are parsed by pyoxigraph, which never dereferences a
JSON-LD ``@context`` or an RDF/XML external entity, and ``owl:imports`` is never followed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import RdfSyntaxError
from kg.validation_rule import ALL, DependencyRule
from kg.xml_entities import check_entity_expansion

Term = ox.NamedNode | ox.BlankNode | ox.Literal
RdfTerm = rdflib.URIRef | rdflib.BNode | rdflib.Literal
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_LANG_STRING = str(RDF.langString)


def rdflib_term(term: Term) -> RdfTerm:
    """The rdflib term for a pyoxigraph term, literals kept as written.

    ``xsd:string`` literals become plain rdflib literals, as rdflib's own parsers make them,
    so that ``sh:in ("USD")`` matches ``"USD"^^xsd:string``.

    >>> rdflib_term(ox.Literal("1", datatype=ox.NamedNode(str(XSD.boolean)))).n3()
    '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    >>> rdflib_term(ox.Literal("x")).n3(), rdflib_term(ox.BlankNode("b1")).n3()
    ('"x"', '_:b1')
    """
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language is not None:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype in (str(XSD.string), _LANG_STRING):
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)


def add_triples(
    graph: rdflib.Graph,
    triples: Iterable[ox.Triple | ox.Quad],
    *,
    subtypes: Mapping[str, frozenset[str]] | None = None,
) -> rdflib.Graph:
    """Add pyoxigraph triples or quads (RDF-star triple terms are skipped) to ``graph``.

    ``subtypes`` (predicate -> integer subtypes) gives back, for triples read from the store,
    the integer subtype Oxigraph dropped: an ``xsd:integer`` object of such a predicate
    becomes the subtype when its value lies in the subtype's range (else it stays
    ``xsd:integer`` and fails ``sh:datatype``, as the original would have).
    """
    for t in triples:
        if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
            continue
        obj = rdflib_term(t.object)
        if subtypes and isinstance(obj, rdflib.Literal) and obj.datatype == XSD.integer:
            obj = _with_subtype(obj, subtypes.get(t.predicate.value, frozenset()))
        graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), obj))
    return graph


def _with_subtype(literal: rdflib.Literal, datatypes: frozenset[str]) -> rdflib.Literal:
    for datatype in sorted(datatypes):
        typed = rdflib.Literal(str(literal), datatype=rdflib.URIRef(datatype), normalize=False)
        if not typed.ill_typed:
            return typed
    return literal


def parse_document(
    body: bytes, format: ox.RdfFormat, *, base_iri: str | None = None, name: str | None = None
) -> rdflib.Graph:
    """Parse an RDF document with pyoxigraph into an rdflib graph (named graphs merged).

    RDF/XML is first checked for entity bombs (``kg.xml_entities``).

    :raises RdfSyntaxError: with line and column (and ``name``) when it does not parse.

    >>> len(parse_document(b"<http://ex/a> <http://ex/p> 1 .", ox.RdfFormat.TURTLE))
    1
    """
    if format == ox.RdfFormat.RDF_XML:
        check_entity_expansion(body, source=name)
    try:
        return add_triples(rdflib.Graph(), list(ox.parse(body, format, base_iri=base_iri)))
    except SyntaxError as exc:
        raise RdfSyntaxError.from_parser(exc, source=name) from exc


@dataclass(frozen=True)
class DataView:
    """The data graph of a store: every graph but the excluded ones (default graph included)."""

    store: ox.Store
    excluded: frozenset[str]
    subtypes: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def quads(self, s: Term | None, p: Term | None, o: Term | None) -> Iterator[ox.Quad]:
        for quad in self.store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
            graph = quad.graph_name
            if not (isinstance(graph, ox.NamedNode) and graph.value in self.excluded):
                yield quad

    def graph(self) -> rdflib.Graph:
        """The whole data graph, for full validation."""
        return add_triples(rdflib.Graph(), self.quads(None, None, None), subtypes=self.subtypes)

    def subjects(self, predicate: str, obj: Term) -> set[Term]:
        return {q.subject for q in self.quads(None, ox.NamedNode(predicate), obj)
                if not isinstance(q.subject, ox.Triple)}

    def objects(self, subject: Term, predicate: str) -> set[Term]:
        return {q.object for q in self.quads(subject, ox.NamedNode(predicate), None)
                if isinstance(q.object, ox.NamedNode | ox.BlankNode)}

    def context(self, nodes: Collection[Term], rule: DependencyRule) -> rdflib.Graph:
        """Every triple the verdicts of ``nodes`` read, by ``rule``, plus the class hierarchy."""
        found: list[ox.Quad] = list(self.quads(None, _SUBCLASS, None))
        for node in nodes:
            outgoing = list(self.quads(node, None, None))
            found.extend(outgoing)
            for quad in outgoing:
                link, value = quad.predicate.value, quad.object
                if isinstance(value, ox.Literal | ox.Triple):
                    continue
                if link in rule.type_read:
                    found.extend(self.quads(value, _RDF_TYPE, None))
                reads = rule.hops.get(link)
                if reads is not None and ALL in reads:
                    found.extend(self.quads(value, None, None))
                elif reads is not None:
                    for read in reads:
                        found.extend(self.quads(value, ox.NamedNode(read), None))
            for predicate in rule.incoming | rule.inverse_type_read:
                incoming = list(self.quads(None, ox.NamedNode(predicate), node))
                found.extend(incoming)
                if predicate in rule.inverse_type_read:
                    for quad in incoming:
                        found.extend(self.quads(quad.subject, _RDF_TYPE, None))
        return add_triples(rdflib.Graph(), found, subtypes=self.subtypes)

    def affected(
        self, changes: Iterable[ox.Triple | ox.Quad], rule: DependencyRule
    ) -> set[Term] | None:
        """The nodes whose verdict a change can alter (``None``: the class hierarchy changed).

        For each added or removed triple ``s p o``: ``s``; ``o`` when ``p`` is read backwards;
        when ``p`` is ``rdf:type``, every ``x`` with ``x q s`` where ``q``'s values are
        class-checked; every ``x`` with ``x link s`` where the shapes read ``p`` on the value
        of ``link`` (one step away).
        """
        nodes: set[Term] = set()
        for change in changes:
            s, p, o = change.subject, change.predicate.value, change.object
            if isinstance(s, ox.Triple):
                continue
            if p == _SUBCLASS.value:
                return None
            nodes.add(s)
            if p in rule.incoming and isinstance(o, ox.NamedNode | ox.BlankNode):
                nodes.add(o)
            if p == _RDF_TYPE.value:
                for q in rule.type_read:
                    nodes |= self.subjects(q, s)
                for q in rule.inverse_type_read:
                    nodes |= self.objects(s, q)
            for link, reads in rule.hops.items():
                if ALL in reads or p in reads:
                    nodes |= self.subjects(link, s)
        return nodes

    def dependents(self, nodes: Collection[Term], rule: DependencyRule) -> set[Term]:
        """``nodes`` and every node whose verdict reads them, assuming anything about them
        may have changed (their types, any outgoing triple)."""
        found = set(nodes)
        for node in nodes:
            for q in rule.type_read | set(rule.hops):
                found |= self.subjects(q, node)
            for q in rule.inverse_type_read:
                found |= self.objects(node, q)
        return found
