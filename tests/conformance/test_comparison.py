"""Unit tests of result comparison: blank-node bijection, ORDER BY keys, literal modes."""

from __future__ import annotations

from rdflib import BNode, URIRef

from tests.conformance.comparison import (
    by_value,
    compare_answers,
    compare_datasets,
    compare_graphs,
    compare_solutions,
)
from tests.conformance.rdfio import literal
from tests.conformance.results import Boolean, Solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
A, B, P = URIRef("http://ex/a"), URIRef("http://ex/b"), URIRef("http://ex/p")


def dec(text: str):
    return literal(text, datatype=XSD + "decimal")


def table(*rows: dict, variables=("x", "y"), ordered=True) -> Solutions:
    return Solutions(list(variables), list(rows), ordered)


def test_blank_nodes_match_under_a_consistent_renaming() -> None:
    expected = table({"x": BNode("a"), "y": A}, {"x": BNode("a"), "y": B})
    actual = table({"x": BNode("z"), "y": B}, {"x": BNode("z"), "y": A})
    assert compare_solutions(expected, actual) is None


def test_blank_node_renaming_must_be_a_bijection() -> None:
    shared = table({"x": BNode("a"), "y": A}, {"x": BNode("a"), "y": B})
    split = table({"x": BNode("p"), "y": A}, {"x": BNode("q"), "y": B})
    assert compare_solutions(shared, split) is not None
    assert compare_solutions(split, shared) is not None


def test_blank_node_search_backtracks() -> None:
    # the first row can pair with either actual row, only one choice completes the mapping
    expected = table({"x": BNode("a"), "y": BNode("b")}, {"x": BNode("b"), "y": BNode("b")})
    actual = table({"x": BNode("2"), "y": BNode("2")}, {"x": BNode("1"), "y": BNode("2")})
    assert compare_solutions(expected, actual) is None


def test_multiset_counts_duplicates() -> None:
    once = table({"x": A})
    twice = table({"x": A}, {"x": A})
    assert compare_solutions(once, twice) is not None
    assert compare_solutions(twice, twice) is None


def test_lax_cardinality_allows_fewer_duplicates_only() -> None:
    twice = table({"x": A}, {"x": A}, {"x": B})
    assert compare_solutions(twice, table({"x": A}, {"x": B}), lax=True) is None
    assert compare_solutions(twice, table({"x": A}), lax=True) is not None
    thrice = table({"x": A}, {"x": A}, {"x": A}, {"x": B})
    assert compare_solutions(twice, thrice, lax=True) is not None


def test_order_matters_only_with_order_keys() -> None:
    expected = table({"x": A, "y": A}, {"x": B, "y": B})
    reversed_ = table({"x": B, "y": B}, {"x": A, "y": A})
    assert compare_solutions(expected, reversed_) is None
    assert compare_solutions(expected, reversed_, order_keys=["x"]) is not None


def test_ties_on_order_keys_may_come_in_any_order() -> None:
    one = literal("1", datatype=XSD + "integer")
    expected = table({"x": one, "y": A}, {"x": one, "y": B})
    swapped = table({"x": one, "y": B}, {"x": one, "y": A})
    assert compare_solutions(expected, swapped, order_keys=["x"]) is None


def test_unordered_expectation_is_not_order_checked() -> None:
    expected = table({"x": A}, {"x": B}, ordered=False)
    assert compare_solutions(expected, table({"x": B}, {"x": A}), order_keys=["x"]) is None


def test_strict_mode_sees_lexical_forms_value_mode_does_not() -> None:
    expected = table({"x": dec("1.0")}, variables=("x",))
    actual = table({"x": dec("1")}, variables=("x",))
    assert compare_solutions(expected, actual) is not None
    assert compare_solutions(expected, actual, mode=by_value) is None


def test_value_mode_keeps_different_values_apart() -> None:
    expected = table({"x": dec("1.5")}, variables=("x",))
    actual = table({"x": dec("1.50001")}, variables=("x",))
    assert compare_solutions(expected, actual, mode=by_value) is not None


def test_value_mode_canonicalises_booleans_doubles_and_integers() -> None:
    assert by_value(literal("1", datatype=XSD + "boolean")) == literal(
        "true", datatype=XSD + "boolean")
    assert by_value(literal("1.0E6", datatype=XSD + "double")) == by_value(
        literal("1000000", datatype=XSD + "double"))
    assert by_value(literal("007", datatype=XSD + "int")) == literal("7", datatype=XSD + "int")
    ill_formed = literal("abc", datatype=XSD + "integer")
    assert by_value(ill_formed) == ill_formed


def test_simple_literal_equals_xsd_string_and_language_case_is_ignored() -> None:
    assert literal("a") == literal("a", datatype=XSD + "string")
    assert literal("a", language="EN") == literal("a", language="en")


def test_variables_must_agree() -> None:
    assert compare_solutions(table({"x": A}), table({"x": A}, variables=("x",))) is not None


def test_graphs_compare_by_isomorphism() -> None:
    expected = {(BNode("a"), P, A), (BNode("a"), P, dec("2.0"))}
    actual = {(BNode("q"), P, A), (BNode("q"), P, dec("2"))}
    assert compare_graphs(expected, actual) is not None
    assert compare_graphs(expected, actual, mode=by_value) is None
    assert compare_graphs(expected, {(BNode("q"), P, A), (BNode("r"), P, dec("2"))},
                          mode=by_value) is not None


def test_datasets_compare_graph_names_and_shared_blank_nodes() -> None:
    expected = [(BNode("a"), P, A, None), (BNode("a"), P, B, A)]
    assert compare_datasets(expected, [(BNode("z"), P, A, None), (BNode("z"), P, B, A)]) is None
    assert compare_datasets(expected, [(BNode("z"), P, A, None), (BNode("y"), P, B, A)])
    assert compare_datasets(expected, [(BNode("z"), P, A, None), (BNode("z"), P, B, B)])


def test_answer_kinds_must_match() -> None:
    assert compare_answers(Boolean(True), Boolean(True)) is None
    assert compare_answers(Boolean(True), Boolean(False)) is not None
    assert compare_answers(Boolean(True), table({"x": A})) is not None
