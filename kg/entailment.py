"""Entailment: the RDFS and OWL RL rules the ontology uses, materialised into ``graph/inferred``.

Rules (compiled once from the axioms of ``graph/ontology``):

* ``rdfs:subClassOf`` (and ``owl:equivalentClass`` between named classes): ``x a C`` gives
  ``x a D`` for every superclass ``D`` (RDFS rule rdfs9, OWL RL cax-sco / cax-eqc);
* ``rdfs:subPropertyOf`` (and ``owl:equivalentProperty``): ``x p y`` gives ``x q y`` (rdfs7,
  prp-spo1 / prp-eqp);
* ``owl:inverseOf``: ``x p y`` gives ``y q x``, both ways (prp-inv1, prp-inv2);
* ``owl:SymmetricProperty``: ``x p y`` gives ``y p x`` (prp-symp);
* ``owl:TransitiveProperty``: ``x p y``, ``y p z`` give ``x p z`` (prp-trp).

Nothing else: no ``rdfs:domain`` / ``rdfs:range`` typing (they would turn a data error into
new "facts"; SHACL reports it instead), no schema closure of the ontology itself, no axiomatic
triples, no ``skos:broader`` chains (SKOS does not make it transitive). Triples with a blank
node are never premises: SPARQL ``DELETE DATA`` cannot name an existing blank node.

Premises are the asserted triples of the default graph and of every named graph except
``graph/shapes``, ``graph/system``, ``graph/provenance`` and ``graph/inferred``. The inferred
graph holds what is entailed and asserted nowhere, so the union of both is the closure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.curated import DEFAULT_BASE_IRI, graph_iri
from kg.results import GraphResult, SolutionsResult
from kg.store import Store, Term

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = ox.NamedNode(_RDF + "type")

#: graphs whose triples are never premises: they describe the store, not the domain
EXCLUDED_GRAPHS = ("shapes", "system", "provenance", "inferred")

Node = ox.NamedNode | ox.Literal
Fact = tuple[ox.NamedNode, ox.NamedNode, Node]
Closure = Mapping[ox.NamedNode, frozenset[ox.NamedNode]]
# (property, flipped): "x p y" also means "x q y", or "y q x" when flipped
Step = tuple[ox.NamedNode, bool]


def inferred_graph_iri(base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The IRI of the graph inferred triples are written to; leave it out to query without them.

    >>> inferred_graph_iri()
    'https://w3id.org/htkg/graph/inferred'
    """
    return graph_iri("inferred", base_iri=base_iri)


def touched_nodes(triples: Iterable[ox.Triple | ox.Quad]) -> set[ox.NamedNode]:
    """The IRIs a write touched (subjects and objects): the argument :meth:`Entailment.refresh`
    wants for a write that added or removed ``triples``.

    >>> sorted(n.value for n in touched_nodes(
    ...     ox.parse(b"<http://ex/a> <http://ex/p> <http://ex/b>, 1 .", ox.RdfFormat.TURTLE)))
    ['http://ex/a', 'http://ex/b']
    """
    return {t for triple in triples for t in (triple.subject, triple.object)
            if isinstance(t, ox.NamedNode)}


@dataclass(frozen=True)
class InferenceChange:
    """What a refresh or rebuild changed in the inferred graph.

    ``nodes`` is how many subjects had their inferred triples recomputed: the measure of the
    work done, which follows the change (and its transitive chains), not the store.
    """

    added: int
    removed: int
    nodes: int


class Entailment:
    """The rule set of one ontology; it keeps ``graph/inferred`` equal to what the rules entail.

    Immutable once built, so it may be shared; but the refresh of a write must run in the
    single writer, after the write commits and before the next write, because it reads the
    store and then writes the delta. Each refresh or rebuild writes its delta in one SPARQL
    update (``DELETE DATA`` then ``INSERT DATA``), one transaction: readers see the inferred
    graph before or after, never half of it. When the ontology graph changes, build a new
    ``Entailment`` and call :meth:`rebuild`.

    >>> from kg.store import EmbeddedStore
    >>> store = EmbeddedStore.in_memory()
    >>> store.update('''PREFIX : <http://ex/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
    ...   PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    ...   INSERT DATA { GRAPH <https://w3id.org/htkg/graph/ontology> {
    ...       :SubParagraph rdfs:subClassOf :Paragraph . :partOf a owl:TransitiveProperty } }''')
    >>> entailment = Entailment.from_store(store)
    >>> store.update('''PREFIX : <http://ex/> INSERT DATA { GRAPH <http://ex/g> {
    ...     :p4a a :SubParagraph ; :partOf :p4 . :p4 :partOf :res } }''')
    >>> entailment.refresh(store, [ox.NamedNode("http://ex/p4a"), ox.NamedNode("http://ex/p4")])
    InferenceChange(added=2, removed=0, nodes=3)
    >>> for row in store.query("SELECT ?s ?p ?o { GRAPH <https://w3id.org/htkg/graph/inferred> "
    ...                        "{ ?s ?p ?o } } ORDER BY ?p").solutions:
    ...     print(row["s"], row["p"], row["o"])
    <http://ex/p4a> <http://ex/partOf> <http://ex/res>
    <http://ex/p4a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/Paragraph>
    >>> store.update("DELETE DATA { GRAPH <http://ex/g> { <http://ex/p4> <http://ex/partOf> "
    ...              "<http://ex/res> } }")
    >>> entailment.refresh(store, [ox.NamedNode("http://ex/p4"), ox.NamedNode("http://ex/res")])
    InferenceChange(added=0, removed=1, nodes=3)
    """

    def __init__(
        self,
        *,
        superclasses: Closure,
        steps: Mapping[ox.NamedNode, frozenset[Step]],
        transitive: frozenset[ox.NamedNode],
        base_iri: str = DEFAULT_BASE_IRI,
    ) -> None:
        self._superclasses = superclasses
        self._steps = steps
        self._transitive = transitive
        self.graph = inferred_graph_iri(base_iri)
        self._excluded = [ox.NamedNode(graph_iri(n, base_iri=base_iri)) for n in EXCLUDED_GRAPHS]
        derived = {q for found in steps.values() for q, _ in found}
        self._predicates = frozenset(steps) | derived | transitive
        self._flipping = frozenset(p for p, found in steps.items() if any(f for _, f in found))
        self._feeding = transitive | frozenset(
            p for p, found in steps.items() if any(q in transitive for q, _ in found))

    @classmethod
    def from_axioms(
        cls, triples: Iterable[ox.Triple | ox.Quad], *, base_iri: str = DEFAULT_BASE_IRI
    ) -> Entailment:
        """Compile the rules from ontology triples; anything but the five axiom kinds is ignored.

        Axioms about ``rdf:type`` as a property, and those with a blank node (such as the
        datatype union of ``htkg:FlexibleDate``), are ignored.

        >>> rules = Entailment.from_axioms(ox.parse(b'''
        ...     @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix : <http://ex/> .
        ...     :partOf owl:inverseOf :hasPart .''', ox.RdfFormat.TURTLE))
        >>> rules.rules()
        {'subclass': 0, 'subproperty': 0, 'inverse': 2, 'symmetric': 0, 'transitive': 0}
        """
        sub_class: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        sub_property: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        inverse: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        kinds: dict[str, set[ox.NamedNode]] = defaultdict(set)
        for t in triples:
            s, p, o = t.subject, t.predicate.value, t.object
            if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)):
                continue
            if p in (_RDFS + "subClassOf", _OWL + "equivalentClass"):
                sub_class[s].add(o)
                if p.startswith(_OWL):
                    sub_class[o].add(s)
            elif RDF_TYPE in (s, o):
                continue
            elif p in (_RDFS + "subPropertyOf", _OWL + "equivalentProperty"):
                sub_property[s].add(o)
                if p.startswith(_OWL):
                    sub_property[o].add(s)
            elif p == _OWL + "inverseOf":
                inverse[s].add(o)
                inverse[o].add(s)
            elif p == RDF_TYPE.value and o.value in (_OWL + "TransitiveProperty",
                                                     _OWL + "SymmetricProperty"):
                kinds[o.value].add(s)
        symmetric = frozenset(kinds[_OWL + "SymmetricProperty"])
        transitive = frozenset(kinds[_OWL + "TransitiveProperty"])
        properties = set(sub_property) | set(inverse) | symmetric | transitive
        steps = {p: _steps(p, sub_property, inverse, symmetric) for p in properties}
        return cls(superclasses=_strict_closure(sub_class),
                   steps={p: s for p, s in steps.items() if s},
                   transitive=transitive,
                   base_iri=base_iri)

    @classmethod
    def from_store(cls, store: Store, *, base_iri: str = DEFAULT_BASE_IRI) -> Entailment:
        """Compile the rules from the axioms in the store's ``graph/ontology``."""
        ontology = graph_iri("ontology", base_iri=base_iri)
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ontology}> "
                             "{ ?s ?p ?o } }")
        assert isinstance(result, GraphResult)
        return cls.from_axioms(result.triples, base_iri=base_iri)

    def rules(self) -> dict[str, int]:
        """How many axioms of each kind the rule set holds (the closure, for hierarchies)."""
        return {
            "subclass": sum(len(d) for d in self._superclasses.values()),
            "subproperty": sum(1 for s in self._steps.values() for _, f in s if not f),
            "inverse": sum(1 for s in self._steps.values() for _, f in s if f),
            "symmetric": sum(1 for p, s in self._steps.items() if (p, True) in s),
            "transitive": len(self._transitive),
        }

    def refresh(self, store: Store, touched: Iterable[Term | str]) -> InferenceChange:
        """Make ``graph/inferred`` right again after a write that touched these nodes.

        ``touched`` holds the subjects and objects of every triple the write added or removed
        (IRIs as terms or strings; other terms are ignored). Only inferred triples whose
        subject is in the touched nodes' component are recomputed (docs/entailment.md shows
        that no other can change); every lookup goes through an index with bound terms, so the
        cost follows the write and its part-of chains, not the size of the store.
        """
        seeds = {ox.NamedNode(n) if isinstance(n, str) else n for n in touched}
        nodes = self._component(store, {n for n in seeds if isinstance(n, ox.NamedNode)})
        if not nodes:
            return InferenceChange(0, 0, 0)
        values = _values(nodes)
        facts = self._facts(store, f"VALUES ?s {{ {values} }}",
                            tail=f"FILTER(?p IN ({_values(self._predicates | {RDF_TYPE}, ', ')}))")
        if self._flipping - self._feeding:  # feeding edges within the component are in already
            facts |= self._facts(store, _pairs(self._flipping - self._feeding, nodes))
        desired = {f for f in self._derive(facts) if f[0] in nodes}
        stored = set(self._stored(store, f"VALUES ?s {{ {values} }}"))
        return self._write(store, desired, stored, len(nodes))

    def rebuild(self, store: Store) -> InferenceChange:
        """Recompute ``graph/inferred`` from every premise in the store, then write the delta.

        A full scan of the triples the rules can use, for start-up after the ontology changed
        and to check :meth:`refresh`. Only the difference is written, in one update, so an
        inferred graph that was already right is left alone.
        """
        facts: set[Fact] = set()
        if self._predicates:
            facts.update(self._facts(store, f"VALUES ?p {{ {_values(self._predicates)} }}"))
        classes = set(self._superclasses) | {c for d in self._superclasses.values() for c in d}
        if classes:
            facts.update(self._facts(
                store, f"VALUES ?o {{ {_values(classes)} }} VALUES ?p {{ {RDF_TYPE} }}"))
        stored = set(self._stored(store, ""))
        return self._write(store, self._derive(facts), stored, len({f[0] for f in facts}))

    # -- reading ------------------------------------------------------------------------------

    def _component(self, store: Store, seeds: set[ox.NamedNode]) -> set[ox.NamedNode]:
        """The seeds and every node linked to one by a chain of edges (either way round) whose
        property feeds a transitive one: all the nodes whose inferences a change can reach."""
        found, frontier = set(seeds), set(seeds)
        while frontier and self._feeding:
            edges = self._facts(store, f"VALUES ?s {{ {_values(frontier)} }}",
                                tail=f"FILTER(?p IN ({_values(self._feeding, ', ')}))")
            edges |= self._facts(store, _pairs(self._feeding, frontier))
            frontier = set()
            for s, _, o in edges:
                for node in (s, o):
                    if isinstance(node, ox.NamedNode) and node not in found:
                        found.add(node)
                        frontier.add(node)
        return found

    def _facts(self, store: Store, bindings: str, *, tail: str = "") -> set[Fact]:
        """The asserted ?s ?p ?o that ``bindings`` (VALUES clauses) select, in the default
        graph and every named graph but the excluded ones."""
        keep = f"FILTER(?g NOT IN ({_values(self._excluded, ', ')}))"
        return _facts_of(store, f"SELECT ?s ?p ?o WHERE {{ {bindings} {{ {{ ?s ?p ?o }} UNION "
                                f"{{ GRAPH ?g {{ ?s ?p ?o }} {keep} }} }} {tail} }}")

    def _stored(self, store: Store, bindings: str) -> set[Fact]:
        return _facts_of(store, f"SELECT ?s ?p ?o WHERE {{ {bindings} "
                                f"GRAPH <{self.graph}> {{ ?s ?p ?o }} }}")

    # -- reasoning and writing ----------------------------------------------------------------

    def _derive(self, facts: set[Fact]) -> set[Fact]:
        """What ``facts`` entail and do not state: their closure under the rules, less them.

        Semi-naive: each new triple is expanded once by the one-premise rules (precomputed per
        property) and joined once with the triples already found for its transitive property.
        """
        closed: set[Fact] = set()
        objects: dict[tuple[ox.NamedNode, ox.NamedNode], set[Node]] = defaultdict(set)
        subjects: dict[tuple[ox.NamedNode, Node], set[ox.NamedNode]] = defaultdict(set)
        work = list(facts)
        while work:
            fact = work.pop()
            if fact in closed:
                continue
            closed.add(fact)
            s, p, o = fact
            if p == RDF_TYPE:
                if isinstance(o, ox.NamedNode):
                    closed.update((s, p, c) for c in self._superclasses.get(o, ()))
                continue
            for q, flipped in self._steps.get(p, ()):
                if not flipped:
                    work.append((s, q, o))
                elif isinstance(o, ox.NamedNode):
                    work.append((o, q, s))
            if p in self._transitive:
                objects[p, s].add(o)
                subjects[p, o].add(s)
                work.extend((s, p, z) for z in objects.get((p, o), ()))
                work.extend((w, p, o) for w in subjects.get((p, s), ()))
        return closed - facts

    def _write(self, store: Store, desired: set[Fact], stored: set[Fact],
               nodes: int) -> InferenceChange:
        add, remove = desired - stored, stored - desired
        parts = [f"{verb} DATA {{ GRAPH <{self.graph}> {{\n{_lines(facts)} }} }}"
                 for verb, facts in (("DELETE", remove), ("INSERT", add)) if facts]
        if parts:
            store.update(" ;\n".join(parts))
        return InferenceChange(len(add), len(remove), nodes)


def _steps(
    p: ox.NamedNode,
    sub_property: Mapping[ox.NamedNode, set[ox.NamedNode]],
    inverse: Mapping[ox.NamedNode, set[ox.NamedNode]],
    symmetric: frozenset[ox.NamedNode],
) -> frozenset[Step]:
    """Every (property, flipped) one triple of ``p`` entails on its own, less itself."""
    found: set[Step] = set()
    work: list[Step] = [(p, False)]
    while work:
        q, flipped = step = work.pop()
        if step in found:
            continue
        found.add(step)
        work.extend((r, flipped) for r in sub_property.get(q, ()))
        work.extend((r, not flipped) for r in inverse.get(q, ()))
        if q in symmetric:
            work.append((q, not flipped))
    return frozenset(found - {(p, False)})


def _strict_closure(edges: Mapping[ox.NamedNode, set[ox.NamedNode]]) -> Closure:
    """For each node, every node reachable from it by one or more edges (less itself)."""
    closure: dict[ox.NamedNode, frozenset[ox.NamedNode]] = {}
    for start in edges:
        seen: set[ox.NamedNode] = set()
        work = list(edges[start])
        while work:
            node = work.pop()
            if node not in seen:
                seen.add(node)
                work.extend(edges.get(node, ()))
        if seen - {start}:
            closure[start] = frozenset(seen - {start})
    return closure


def _facts_of(store: Store, sparql: str) -> set[Fact]:
    """The (?s ?p ?o) of a SELECT, less those with a blank node (they cannot be premises)."""
    result = store.query(sparql)
    assert isinstance(result, SolutionsResult)
    facts: set[Fact] = set()
    for solution in result.solutions:
        s, p, o = solution["s"], solution["p"], solution["o"]
        if (isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode)
                and isinstance(o, ox.NamedNode | ox.Literal)):
            facts.add((s, p, o))
    return facts


def _values(terms: Iterable[ox.NamedNode], sep: str = " ") -> str:
    """Terms in SPARQL syntax, sorted so that the same set always gives the same text."""
    return sep.join(sorted(str(t) for t in terms))


def _pairs(properties: Iterable[ox.NamedNode], objects: Iterable[ox.NamedNode]) -> str:
    """VALUES binding ?p ?o to every pair, so that each is one index lookup: a hub object
    (a class, a country) costs no more than any other node."""
    rows = " ".join(f"({p} {o})" for p in sorted(properties, key=str) for o in objects)
    return f"VALUES (?p ?o) {{ {rows} }}"


def _lines(facts: Iterable[Fact]) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in facts)
