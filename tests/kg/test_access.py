"""The access rules of kg.access, as a table: every role against every TLP level."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.access import DEFAULT_GRAPH, AccessPolicy, Action, Actor, GraphPolicy, Role, Tlp

BASE = "https://w3id.org/htkg/"
GRAPH = f"{BASE}graph/org/org-a/cases"

OWNER = Actor("t-owner", Role.PARTNER, "org-a")
GRANTED_ORG = Actor("t-granted", Role.PARTNER, "org-g")
GRANTED_TOKEN = Actor("t-special", Role.PARTNER, "org-x")
STRANGER = Actor("t-stranger", Role.PARTNER, "org-b")
ANALYST = Actor("t-analyst", Role.ANALYST, "cted")
READER = Actor("t-reader", Role.READER, "org-a")
ADMIN = Actor("t-admin", Role.ADMIN, "htkg")
ACTORS = {"anonymous": None, "owner": OWNER, "granted org": GRANTED_ORG,
          "granted token": GRANTED_TOKEN, "stranger": STRANGER, "analyst": ANALYST,
          "reader (of the owner org)": READER, "admin": ADMIN}

#: who reads a graph of org-a at each level, granted to org-g and token t-special
READS = {
    Tlp.CLEAR: set(ACTORS),
    Tlp.GREEN: set(ACTORS) - {"anonymous"},
    Tlp.AMBER: {"owner", "granted org", "granted token", "analyst", "admin"},
    Tlp.AMBER_STRICT: {"owner", "analyst", "admin"},
    Tlp.RED: {"granted token", "admin"},
}


def policy(tlp: Tlp) -> AccessPolicy:
    grants = frozenset({"org-g", "t-special"})
    return AccessPolicy([GraphPolicy(GRAPH, "org-a", tlp, grants)], organisation="htkg",
                        base_iri=BASE)


@pytest.mark.parametrize("tlp", list(Tlp))
@pytest.mark.parametrize("name", list(ACTORS))
def test_read_rules(tlp: Tlp, name: str) -> None:
    decision = policy(tlp).decide(ACTORS[name], Action.READ, GRAPH)
    assert decision.allowed is (name in READS[tlp]), decision.reason


@pytest.mark.parametrize("name", list(ACTORS))
def test_write_rules(name: str) -> None:
    allowed = policy(Tlp.AMBER).decide(ACTORS[name], Action.WRITE, GRAPH).allowed
    assert allowed is (name in ("owner", "admin"))


def test_new_graphs_only_in_the_organisation_namespace() -> None:
    rules = policy(Tlp.AMBER)
    assert rules.decide(STRANGER, Action.WRITE, f"{BASE}graph/org/org-b/new").allowed
    assert not rules.decide(STRANGER, Action.WRITE, f"{BASE}graph/org/org-a/new").allowed
    assert not rules.decide(STRANGER, Action.WRITE, "http://example.org/anything").allowed
    assert not rules.decide(READER, Action.WRITE, f"{BASE}graph/org/org-a/new").allowed


def test_builtin_graphs_and_the_default_graph() -> None:
    rules = policy(Tlp.AMBER)
    assert rules.decide(None, Action.READ, f"{BASE}graph/briefing").allowed
    assert not rules.decide(ANALYST, Action.READ, f"{BASE}graph/provenance").allowed
    assert not rules.decide(OWNER, Action.READ, DEFAULT_GRAPH).allowed
    assert not rules.decide(OWNER, Action.WRITE, f"{BASE}graph/ontology").allowed
    assert not rules.decide(ANALYST, Action.WRITE_ALL).allowed
    assert rules.decide(ADMIN, Action.WRITE_ALL).allowed


def test_inferred_graph_only_for_whoever_reads_every_premise() -> None:
    rules = policy(Tlp.AMBER_STRICT)
    graphs = [f"{BASE}graph/briefing", GRAPH, f"{BASE}graph/inferred", f"{BASE}graph/provenance"]
    assert f"{BASE}graph/inferred" in rules.readable_graphs(OWNER, graphs)
    assert f"{BASE}graph/inferred" not in rules.readable_graphs(STRANGER, graphs)
    assert rules.readable_graphs(STRANGER, graphs) == {f"{BASE}graph/briefing"}


def test_every_action_is_documented() -> None:
    text = (Path(__file__).parents[2] / "docs" / "access.md").read_text()
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.MULTILINE))
    assert {action.value for action in Action} <= documented
