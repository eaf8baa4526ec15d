"""The partner registry: organisations whose SPARQL endpoints htkg queries and harvests.

A partner has an id, an organisation, one or more endpoints, the headers to send them
(credentials), a time limit and a row limit per call, and the graphs it shares: each is
harvested into ``graph/partner/{org}/{name}`` with the sharing level and grants given here.
Registering a partner puts its endpoints on the SERVICE allow-list; removing it takes them
off. Partners are kept in ``graph/system`` (RED: admins only), one record per partner, so
they survive restarts and travel with backups; their header values are secrets, which is
why that graph is RED.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from kg.access import ORG_PATTERN, Tlp
from kg.curated import graph_iri
from kg.results import SolutionsResult
from kg.store import EmbeddedStore

HTKG = "https://w3id.org/htkg/ontology#"
RECORD = f"<{HTKG}partnerRecord>"
VOID_ENDPOINT = "<http://rdfs.org/ns/void#sparqlEndpoint>"


@dataclass(frozen=True)
class SharedGraph:
    """A graph of the partner's endpoint that htkg copies, and how it is shared here."""

    name: str  # local name: graph/partner/{org}/{name}
    remote: str  # the graph's IRI at the partner
    tlp: Tlp = Tlp.AMBER
    grants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Partner:
    id: str
    org: str
    endpoints: tuple[str, ...]
    headers: tuple[tuple[str, str], ...] = ()
    timeout_s: float = 10.0
    max_rows: int = 10_000
    shared: tuple[SharedGraph, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not ORG_PATTERN.match(self.id) or not ORG_PATTERN.match(self.org):
            raise ValueError("a partner id and organisation are lower-case letters, digits "
                             "and '-'")
        if not self.endpoints:
            raise ValueError("a partner needs at least one SPARQL endpoint")
        for endpoint in self.endpoints:
            if not endpoint.startswith(("http://", "https://")):
                raise ValueError(f"endpoint {endpoint!r} is not an http(s) URL")
        if not self.timeout_s > 0 or self.max_rows <= 0:
            raise ValueError("the time limit and the row limit are positive")

    def local_graph(self, shared: SharedGraph, *, base_iri: str) -> str:
        return f"{base_iri}graph/partner/{self.org}/{shared.name}"

    def public(self) -> dict[str, object]:
        """The record without header values (they are credentials)."""
        shown = asdict(self)
        shown["headers"] = [name for name, _ in self.headers]
        return shown

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Partner:
        data = json.loads(text)
        data["endpoints"] = tuple(data["endpoints"])
        data["headers"] = tuple(tuple(h) for h in data["headers"])
        data["shared"] = tuple(SharedGraph(s["name"], s["remote"], Tlp(s["tlp"]),
                                           tuple(s["grants"])) for s in data["shared"])
        return cls(**data)


class PartnerRegistry:
    """The registered partners of one store, in memory and in ``graph/system``."""

    def __init__(self, store: EmbeddedStore, *, base_iri: str) -> None:
        self._store = store
        self._base_iri = base_iri
        self._system = graph_iri("system", base_iri=base_iri)
        result = store.query(f"SELECT ?r {{ GRAPH <{self._system}> {{ ?p {RECORD} ?r }} }}")
        assert isinstance(result, SolutionsResult)
        found = (Partner.from_json(row["r"].value) for row in result.solutions)
        self._partners = {partner.id: partner for partner in found}

    def all(self) -> list[Partner]:
        return sorted(self._partners.values(), key=lambda p: p.id)

    def get(self, partner_id: str) -> Partner | None:
        return self._partners.get(partner_id)

    def endpoints(self) -> tuple[str, ...]:
        return tuple(e for p in self._partners.values() for e in p.endpoints)

    def by_endpoint(self, url: str) -> Partner | None:
        for partner in self._partners.values():
            if url in partner.endpoints:
                return partner
        return None

    def save(self, partner: Partner) -> None:
        """Add or replace a partner, in one update."""
        node = self._iri(partner.id)
        endpoints = " ".join(f"{node} {VOID_ENDPOINT} {ox.NamedNode(e)} ."
                             for e in partner.endpoints)
        self._store.update(
            f"{self._deletion(partner.id)} ; INSERT DATA {{ GRAPH <{self._system}> {{ "
            f"{node} a <{HTKG}Partner> ; {RECORD} {ox.Literal(partner.to_json())} . "
            f"{endpoints} }} }}")
        self._partners[partner.id] = partner

    def remove(self, partner_id: str) -> bool:
        if partner_id not in self._partners:
            return False
        self._store.update(self._deletion(partner_id))
        del self._partners[partner_id]
        return True

    def _iri(self, partner_id: str) -> str:
        return str(ox.NamedNode(f"{self._base_iri}id/partner/{partner_id}"))

    def _deletion(self, partner_id: str) -> str:
        return (f"DELETE WHERE {{ GRAPH <{self._system}> {{ {self._iri(partner_id)} ?p ?o }} }}")
