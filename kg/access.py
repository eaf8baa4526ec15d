"""Who may read and write which graph: every access decision of htkg is made here.

The model (DESIGN section 5, docs/access.md): an actor has a role and an organisation; each
graph has an owner organisation, a Traffic Light Protocol 2.0 level and explicit grants to
organisations or tokens. Reading:

- CLEAR: everybody, anonymous callers included (when the server lets them in at all);
- GREEN: every authenticated caller;
- AMBER: the owner organisation, granted organisations and tokens, analysts;
- AMBER+STRICT: the owner organisation and analysts;
- RED: explicitly granted tokens only;
- admins read everything; readers only CLEAR and GREEN.

Writing: admins everywhere; analysts and partners the graphs their organisation owns, and new
graphs inside their organisation's namespace ``graph/org/{org}/`` (so that trying to create a
graph says nothing about graphs that exist elsewhere). Readers never write. Operations on all
graphs at once (``DROP ALL``, ``CLEAR NAMED``...) and administration are for admins only.

``graph/inferred`` is derived from every data graph, so it is readable only by an actor who
reads every graph it is derived from; anyone else queries without materialised inference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from kg.curated import graph_iri
from kg.entailment import EXCLUDED_GRAPHS
from kg.errors import AccessDeniedError

#: the unnamed default graph, in places where graphs are named by IRI
DEFAULT_GRAPH = ""

ORG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class Role(StrEnum):
    READER = "reader"
    ANALYST = "analyst"
    PARTNER = "partner"
    ADMIN = "admin"


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 levels, from the most open to the most restricted."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"


class Action(StrEnum):
    """Everything an actor can ask for; docs/access.md lists each with who may do it."""

    READ = "read"  # see a graph's triples: queries, Graph Store GET, pages, search, export
    WRITE = "write"  # change one graph: Graph Store PUT/POST/DELETE, an update's target
    WRITE_ALL = "write-all"  # DROP/CLEAR ALL, NAMED or DEFAULT: every graph at once
    ADMINISTER = "administer"  # tokens, graph policies, the audit log


@dataclass(frozen=True)
class Actor:
    """An authenticated caller: the token's id, role and organisation."""

    token_id: str
    role: Role
    org: str


@dataclass(frozen=True)
class GraphPolicy:
    """The owner, TLP level and grants of one graph (``grants``: organisations or token ids)."""

    graph: str
    owner: str
    tlp: Tlp
    grants: frozenset[str] = field(default_factory=frozenset)

    def as_json(self) -> dict[str, object]:
        return {"graph": self.graph, "owner": self.owner, "tlp": self.tlp.value,
                "grants": sorted(self.grants)}


class Decision(NamedTuple):
    """An access decision and why; the reason goes to the audit log, never to the caller."""

    allowed: bool
    reason: str


def org_namespace(org: str, *, base_iri: str) -> str:
    """Where an organisation's members may create graphs.

    >>> org_namespace("fiu-ke", base_iri="https://w3id.org/htkg/")
    'https://w3id.org/htkg/graph/org/fiu-ke/'
    """
    return f"{base_iri}graph/org/{org}/"


class AccessPolicy:
    """The graph policies of one store, with the built-in defaults for htkg's own graphs.

    A graph without a policy belongs to the installation's organisation at AMBER+STRICT:
    deny by default. ``version`` changes with every policy change, so callers can cache
    what they derive from it.
    """

    def __init__(self, policies: Iterable[GraphPolicy], *, organisation: str,
                 base_iri: str) -> None:
        self.organisation = organisation
        self.base_iri = base_iri
        self.version = 0
        self._builtin = {
            graph_iri(name, base_iri=base_iri): GraphPolicy(
                graph_iri(name, base_iri=base_iri), organisation, tlp)
            for name, tlp in (("ontology", Tlp.CLEAR), ("shapes", Tlp.CLEAR),
                              ("briefing", Tlp.CLEAR), ("provenance", Tlp.RED),
                              ("system", Tlp.RED))
        }
        self.inferred = graph_iri("inferred", base_iri=base_iri)
        self._not_premises = {graph_iri(name, base_iri=base_iri) for name in EXCLUDED_GRAPHS}
        self._policies: dict[str, GraphPolicy] = {p.graph: p for p in policies}

    def policy(self, graph: str) -> GraphPolicy:
        found = self._policies.get(graph) or self._builtin.get(graph)
        return found or GraphPolicy(graph, self.organisation, Tlp.AMBER_STRICT)

    def has_policy(self, graph: str) -> bool:
        return graph in self._policies or graph in self._builtin

    def explicit(self) -> Mapping[str, GraphPolicy]:
        return dict(self._policies)

    def set(self, policy: GraphPolicy) -> None:
        self._policies[policy.graph] = policy
        self.version += 1

    def remove(self, graph: str) -> bool:
        removed = self._policies.pop(graph, None) is not None
        self.version += 1
        return removed

    def decide(self, actor: Actor | None, action: Action, graph: str = DEFAULT_GRAPH
               ) -> Decision:
        """May ``actor`` (``None``: anonymous) do ``action`` on ``graph``?"""
        if actor is not None and actor.role is Role.ADMIN:
            return Decision(True, "admin")
        if action is Action.READ:
            return self._read(actor, self.policy(graph))
        if actor is None or actor.role is Role.READER:
            return Decision(False, "this role never writes")
        if action is not Action.WRITE:
            return Decision(False, f"{action.value} is for admins only")
        if self.has_policy(graph) or graph == DEFAULT_GRAPH:
            owner = self.policy(graph).owner
            if owner == actor.org:
                return Decision(True, "the actor's organisation owns the graph")
            return Decision(False, f"the graph belongs to organisation {owner}")
        if graph.startswith(org_namespace(actor.org, base_iri=self.base_iri)):
            return Decision(True, "a new graph in the actor's organisation namespace")
        return Decision(False, "new graphs go in the organisation's namespace")

    def ensure_allowed(self, actor: Actor | None, action: Action, graph: str = DEFAULT_GRAPH
                       ) -> Decision:
        """Return the decision, or raise when it is a denial.

        :raises AccessDeniedError: with a message that names neither the graph nor the reason.
        """
        decision = self.decide(actor, action, graph)
        if not decision.allowed:
            raise AccessDeniedError(_DENIED[action], reason=decision.reason)
        return decision

    def readable_graphs(self, actor: Actor | None, graphs: Iterable[str]) -> frozenset[str]:
        """The graphs among ``graphs`` (``DEFAULT_GRAPH`` for the unnamed one) ``actor`` reads.

        The inferred graph is included only when every graph it is derived from is.
        """
        readable: set[str] = set()
        derived_from_unreadable = False
        inferred_present = False
        for graph in graphs:
            if graph == self.inferred:
                inferred_present = True
                continue
            if self.decide(actor, Action.READ, graph).allowed:
                readable.add(graph)
            elif graph not in self._not_premises:
                derived_from_unreadable = True
        if inferred_present and not derived_from_unreadable:
            readable.add(self.inferred)
        return frozenset(readable)

    def _read(self, actor: Actor | None, policy: GraphPolicy) -> Decision:
        tlp = policy.tlp
        if tlp is Tlp.CLEAR:
            return Decision(True, "CLEAR")
        if actor is None:
            return Decision(False, f"{tlp.value} needs an authenticated caller")
        if tlp is Tlp.GREEN:
            return Decision(True, "GREEN: authenticated")
        if actor.token_id in policy.grants and tlp is not Tlp.AMBER_STRICT:
            return Decision(True, f"{tlp.value}: the token is granted")
        if tlp is Tlp.RED:
            return Decision(False, "RED: only granted tokens")
        if actor.role is Role.READER:
            return Decision(False, f"{tlp.value}: readers read CLEAR and GREEN only")
        if actor.role is Role.ANALYST:
            return Decision(True, f"{tlp.value}: analysts read all but RED")
        if actor.org == policy.owner:
            return Decision(True, f"{tlp.value}: the actor's organisation owns the graph")
        if tlp is Tlp.AMBER and actor.org in policy.grants:
            return Decision(True, "AMBER: the organisation is granted")
        return Decision(False, f"{tlp.value}: neither owner nor granted")


_DENIED = {
    Action.READ: "not found",
    Action.WRITE: "you may not write to this graph",
    Action.WRITE_ALL: "only admins may act on all graphs at once",
    Action.ADMINISTER: "only admins may do this",
}
