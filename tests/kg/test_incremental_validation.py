"""Incremental validation equals pyshacl on the whole graph: random writes on the curated graph.

Each example applies one or two writes (inserts and removes drawn from a pool built on the
domain model: valid and invalid evidence, flows with amounts and currencies, paragraphs with
and without their resolution, victims with names, type changes of nodes others point to).
A write with violations is rolled back, as the write path refuses it, so each write starts
from a conforming state. After each write the incremental report must hold exactly the results
a full validation gives for the nodes it covers, and every other full result must have been
there before the write; from the clean curated graph that is plain equality. A full validation
of the curated graph takes about 1.3 s, which bounds the number of examples that fit in CI
(10, about 40 s).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.touched import WrittenNodes
from kg.validation import Validator
from kg.validation_report import ValidationReport
from tests.domain.graphs import oxigraph_store

ID = "https://w3id.org/htkg/id/"
H = "https://w3id.org/htkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DESCRIPTION = "http://purl.org/dc/terms/description"
BRIEFING = ox.NamedNode("https://w3id.org/htkg/graph/briefing")
UPLOAD = ox.NamedNode("https://w3id.org/htkg/graph/upload-1")
SECTION = f"{ID}document/cted-briefing-ht-terrorism/section/some-findings-ii"
P2388 = f"{ID}resolution/2388/op/financial-flows-data"
CTED = f"{ID}actor/cted"
WOMEN = f"{ID}person-group/women-taken-to-iraq"
EVIDENCE = f"{ID}evidence/member-state-responses"


def _t(s: str, p: str, o: str | ox.Literal, graph: ox.NamedNode = UPLOAD) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, graph)


def _lit(value: str, datatype: str | None = None) -> ox.Literal:
    if datatype is None:
        return ox.Literal(value)
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


E1, F1, A1, V1 = f"{ID}evidence/new-1", f"{ID}flow/new-1", f"{ID}amount/new-1", f"{ID}person/v1"
OP99, SP1 = f"{ID}resolution/2388/op/99", f"{ID}resolution/2388/op/99/a"
POOL: list[ox.Quad] = [
    # a new piece of evidence: complete, then each way of getting it wrong
    _t(E1, RDF_TYPE, H + "Evidence"), _t(E1, LABEL, _lit("New evidence")),
    _t(E1, DESCRIPTION, _lit("What it shows")), _t(E1, DERIVED, SECTION),
    _t(E1, H + "reliability", f"{ID}concept/reliability/B"),
    _t(E1, H + "credibility", f"{ID}concept/credibility/2"),
    _t(E1, H + "sharingLevel", f"{ID}concept/tlp/green"),
    _t(E1, H + "reliability", f"{ID}concept/reliability/Z"),
    _t(E1, H + "observedOn", _lit("2017", "gYear")), _t(E1, H + "observedOn", _lit("abc", "date")),
    _t(E1, H + "observedOn", _lit("2999-01-01", "date")),
    _t(E1, H + "involves", CTED), _t(E1, H + "involves", F1), _t(E1, H + "location", CTED),
    _t(E1, H + "relevantTo", P2388), _t(E1, H + "relevanceNote", _lit("judged by an analyst")),
    _t(E1, H + "evidencesFlow", F1),
    # a flow with an amount: currencies, decimals, booleans as written
    _t(F1, RDF_TYPE, H + "FinancialFlow"), _t(F1, LABEL, _lit("Wages to a group")),
    _t(F1, H + "mechanism", f"{ID}concept/mechanism/wage-diversion"),
    _t(F1, H + "basis", f"{ID}concept/flow-basis/observed"),
    _t(F1, H + "basis", f"{ID}concept/flow-basis/estimated"),
    _t(F1, H + "payee", CTED), _t(F1, DERIVED, SECTION), _t(F1, H + "amount", A1),
    _t(A1, RDF_TYPE, H + "MonetaryAmount"), _t(A1, H + "amountValue", _lit("100.0", "decimal")),
    _t(A1, H + "amountValue", _lit("-5", "decimal")),
    _t(A1, H + "amountValue", _lit("x", "decimal")),
    _t(A1, H + "currency", _lit("USD")), _t(A1, H + "currency", _lit("usd")),
    _t(A1, H + "approximate", _lit("1", "boolean")),
    _t(A1, H + "approximate", _lit("true", "boolean")),
    _t(A1, H + "approximate", _lit("yes", "boolean")),
    # a paragraph with or without its resolution, and a sub-paragraph of it
    _t(OP99, RDF_TYPE, H + "OperativeParagraph"), _t(OP99, RDF_TYPE, H + "Paragraph"),
    _t(OP99, H + "paragraphOf", f"{ID}resolution/2388"), _t(OP99, DERIVED, SECTION),
    _t(OP99, H + "paragraphNumber", _lit("99", "positiveInteger")),
    _t(OP99, H + "paragraphNumber", _lit("abc", "integer")),
    _t(SP1, RDF_TYPE, H + "SubParagraph"), _t(SP1, RDF_TYPE, H + "Paragraph"),
    _t(SP1, H + "subParagraphOf", OP99), _t(SP1, H + "paragraphOf", f"{ID}resolution/2388"),
    _t(SP1, H + "paragraphOf", f"{ID}resolution/2331"), _t(SP1, DERIVED, SECTION),
    _t(SP1, H + "subParagraphLabel", _lit("a")),
    # a victim, with and without a name
    _t(V1, RDF_TYPE, H + "Person"), _t(V1, RDF_TYPE, H + "Actor"),
    _t(V1, H + "hasRole", f"{ID}concept/role/victim"),
    _t(V1, H + "pseudonymousKey", _lit("pk-0123abcd")),
    _t(V1, "http://xmlns.com/foaf/0.1/name", _lit("A. Name")),
    _t(WOMEN, "http://xmlns.com/foaf/0.1/name", _lit("A. Name")),
    # type changes of nodes that others point to
    _t(CTED, RDF_TYPE, H + "Actor", BRIEFING), _t(CTED, RDF_TYPE, H + "Country"),
    _t(P2388, RDF_TYPE, H + "Paragraph", BRIEFING),
    _t(EVIDENCE, LABEL, _lit("A second label")),
]
Write = tuple[bool, tuple[int, ...]]  # (insert?, indexes into POOL)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_package()


def _keys(report: ValidationReport) -> set[tuple[str, str | None, str | None, str, str, str]]:
    return {r.key for r in report.results}


def _check(validator: Validator, store: ox.Store, write: Write, before: set) -> bool:
    """Apply one write; check incremental against full; keep it only if it conforms."""
    insert, indexes = write
    quads = [POOL[i] for i in set(indexes)]
    changed = [q for q in quads if (q in store) != insert]
    for quad in changed:
        (store.add if insert else store.remove)(quad)
    full = validator.validate_store(store)
    for incremental in (validator.validate_change(store, added=changed if insert else [],
                                                  removed=[] if insert else changed),
                        validator.validate_nodes(store, _touched(changed)),
                        validator.validate_nodes(store, _touched(changed),
                                                 subjects={q.subject for q in changed}),
                        validator.validate_nodes(store, _written(validator, changed).focus,
                                                 subjects={q.subject for q in changed})):
        covered = {r.focus_node for r in incremental.results}
        inside = {k for k in _keys(full) if k[0] in covered}
        assert _keys(incremental) >= inside, "incremental missed results of a node it covers"
        assert _keys(incremental) <= _keys(full), "incremental found what full does not"
        assert _keys(full) - _keys(incremental) <= before, "a result outside the change"
    if not full.conforms:
        for quad in changed:
            (store.remove if insert else store.add)(quad)
        return False
    before.clear()
    before.update(_keys(full))
    return True


def _written(validator: Validator, quads: list[ox.Quad]) -> WrittenNodes:
    written = WrittenNodes(validator.rule.incoming)
    for quad in quads:
        written.add(quad)
    return written


def _touched(quads: list[ox.Quad]) -> set[ox.NamedNode | ox.BlankNode]:
    found: set[ox.NamedNode | ox.BlankNode] = set()
    for q in quads:
        found.add(q.subject)  # type: ignore[arg-type]
        if isinstance(q.object, ox.NamedNode | ox.BlankNode):
            found.add(q.object)
    return found


writes = st.lists(
    st.tuples(st.booleans(), st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=12)
              .map(tuple)),
    min_size=1, max_size=2)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=writes)
def test_incremental_equals_full_validation(validator: Validator, writes: list[Write]) -> None:
    store = oxigraph_store()
    before: set = set()
    first = writes[0]
    insert, indexes = first
    quads = [POOL[i] for i in set(indexes)]
    changed = [q for q in quads if (q in store) != insert]
    for quad in changed:
        (store.add if insert else store.remove)(quad)
    # from the clean curated graph: plain equality with the whole-graph validation
    full = validator.validate_store(store)
    incremental = validator.validate_change(
        store, added=changed if insert else [], removed=[] if insert else changed)
    assert _keys(incremental) == _keys(full)
    for quad in changed:
        (store.remove if insert else store.add)(quad)
    for write in writes:
        _check(validator, store, write, before)


def test_a_valid_write_has_no_results(validator: Validator) -> None:
    store = oxigraph_store()
    valid = POOL[:7]
    for quad in valid:
        store.add(quad)
    assert validator.validate_change(store, added=valid).results == ()


def test_a_type_change_revalidates_the_nodes_pointing_to_it(validator: Validator) -> None:
    """cted loses its types: every node whose sh:class htkg:Actor check reads it fails."""
    store = oxigraph_store()
    removed = list(store.quads_for_pattern(ox.NamedNode(CTED), ox.NamedNode(RDF_TYPE), None))
    for quad in removed:
        store.remove(quad)
    report = validator.validate_change(store, removed=removed)
    assert _keys(report) == _keys(validator.validate_store(store))
    assert len({r.focus_node for r in report.violations}) > 3


def test_a_changed_parent_revalidates_its_sub_paragraphs(validator: Validator) -> None:
    store = oxigraph_store()
    for quad in POOL[POOL.index(_t(OP99, RDF_TYPE, H + "OperativeParagraph")):]:
        if quad.subject.value in (OP99, SP1) and quad.object != ox.NamedNode(
                f"{ID}resolution/2331") and "abc" not in str(quad.object):
            store.add(quad)
    assert validator.validate_store(store).conforms
    moved = _t(OP99, H + "paragraphOf", f"{ID}resolution/2331")
    store.remove(_t(OP99, H + "paragraphOf", f"{ID}resolution/2388"))
    store.add(moved)
    report = validator.validate_change(store, added=[moved])
    assert f"<{SP1}>" in {r.focus_node for r in report.violations}
