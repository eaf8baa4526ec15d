"""Harvest: copy a partner's shared graphs into local graphs, through the validated ingest.

Each shared graph is fetched with a CONSTRUCT from the partner's endpoint (``kg.federation``:
its headers, its time limit, no redirects), canonicalised (RDFC-1.0, so blank-node labels do
not matter) and hashed. Unchanged content writes nothing. Changed content replaces
``graph/partner/{org}/{name}`` through ``kg.ingest`` like any other write, validated against
the shapes; content that violates them is not stored anywhere in the store but kept, with
its report, in a quarantine directory an admin can inspect. Every harvest of every graph
leaves a record in ``graph/provenance`` (endpoint, time, content hash, outcome), whatever
the outcome.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.access import GraphPolicy
from kg.curated import graph_iri
from kg.errors import RdfSyntaxError, ValidationFailedError
from kg.federation import Federation, FederationError
from kg.ingest import Document, GraphTarget, Ingest, Writer
from kg.partners import Partner, SharedGraph
from kg.results import SolutionsResult
from kg.store import EmbeddedStore

HTKG = "https://w3id.org/htkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
HASH = f"<{HTKG}contentHash>"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


@dataclass(frozen=True)
class HarvestOutcome:
    """What one harvest did to one shared graph."""

    partner: str
    graph: str
    outcome: str  # "written", "unchanged", "quarantined", "failed"
    content_hash: str | None = None
    triples: int = 0
    detail: str = ""

    def as_json(self) -> dict[str, object]:
        return asdict(self)


class Harvester:
    """Harvests registered partners into one store."""

    def __init__(self, store: EmbeddedStore, ingest: Ingest, federation: Federation, *,
                 base_iri: str, quarantine: Path,
                 set_policy: Callable[[GraphPolicy], None]) -> None:
        self._store = store
        self._ingest = ingest
        self._federation = federation
        self._base_iri = base_iri
        self._quarantine = quarantine
        self._set_policy = set_policy

    def harvest(self, partner: Partner) -> list[HarvestOutcome]:
        return [self._harvest_graph(partner, shared) for shared in partner.shared]

    def quarantined(self) -> list[dict[str, object]]:
        """Every quarantined harvest, newest first, with its report summary."""
        found = [json.loads(p.read_text()) for p in self._quarantine.glob("*/*/*.json")]
        return sorted(found, key=lambda entry: str(entry["time"]), reverse=True)

    def _harvest_graph(self, partner: Partner, shared: SharedGraph) -> HarvestOutcome:
        local = partner.local_graph(shared, base_iri=self._base_iri)
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(shared.remote)} " \
                "{ ?s ?p ?o } }"
        endpoint = partner.endpoints[0]
        try:
            media_type, body = self._fetch(partner, query)
            triples = _parse(body, media_type)
        except (FederationError, RdfSyntaxError) as exc:
            outcome = HarvestOutcome(partner.id, local, "failed", detail=str(exc))
            return self._record(outcome, endpoint)
        content = _canonical(triples)
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        if digest == self._stored_hash(local) and self._store.has_graph(local):
            return self._record(HarvestOutcome(partner.id, local, "unchanged", digest,
                                               len(triples)), endpoint)
        document = Document(io.BytesIO(content), ox.RdfFormat.N_TRIPLES, local,
                            f"harvest of {shared.remote}")
        try:
            self._ingest.replace_graph(GraphTarget(local), [document],
                                       writer=Writer(agent=f"partner-{partner.id}",
                                                     source=endpoint))
        except ValidationFailedError as failed:
            self._keep(partner, shared, content, failed, digest)
            outcome = HarvestOutcome(partner.id, local, "quarantined", digest, len(triples),
                                     failed.message)
            return self._record(outcome, endpoint)
        self._set_policy(GraphPolicy(local, partner.org, shared.tlp, frozenset(shared.grants)))
        self._store_hash(local, digest)
        return self._record(HarvestOutcome(partner.id, local, "written", digest,
                                           len(triples)), endpoint)

    def _fetch(self, partner: Partner, query: str) -> tuple[str, bytes]:
        failure: FederationError | None = None
        for endpoint in partner.endpoints:  # the first that answers
            try:
                return self._federation.fetch(endpoint, query, accept=GRAPH_ACCEPT,
                                              partner=partner)
            except FederationError as exc:
                failure = exc
        assert failure is not None
        raise failure

    def _keep(self, partner: Partner, shared: SharedGraph, content: bytes,
              failed: ValidationFailedError, digest: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        folder = self._quarantine / partner.id / shared.name
        folder.mkdir(parents=True, exist_ok=True)
        report = failed.report
        (folder / f"{stamp}.nt").write_bytes(content)
        (folder / f"{stamp}.report.ttl").write_text(report.serialize("turtle"))  # type: ignore[attr-defined]
        entry = {"time": stamp, "partner": partner.id, "graph": shared.name,
                 "remote": shared.remote, "content_hash": digest,
                 "data": str(folder / f"{stamp}.nt"),
                 "report": str(folder / f"{stamp}.report.ttl"),
                 "results": report.summary()}  # type: ignore[attr-defined]
        (folder / f"{stamp}.json").write_text(json.dumps(entry, indent=1))

    def _stored_hash(self, graph: str) -> str | None:
        system = graph_iri("system", base_iri=self._base_iri)
        result = self._store.query(
            f"SELECT ?h {{ GRAPH <{system}> {{ {ox.NamedNode(graph)} {HASH} ?h }} }}")
        assert isinstance(result, SolutionsResult)
        rows = [row["h"].value for row in result.solutions]
        return rows[0] if rows else None

    def _store_hash(self, graph: str, digest: str) -> None:
        system = graph_iri("system", base_iri=self._base_iri)
        node = ox.NamedNode(graph)
        self._store.update(
            f"DELETE WHERE {{ GRAPH <{system}> {{ {node} {HASH} ?h }} }} ; "
            f"INSERT DATA {{ GRAPH <{system}> {{ {node} {HASH} {ox.Literal(digest)} }} }}")

    def _record(self, outcome: HarvestOutcome, endpoint: str) -> HarvestOutcome:
        provenance = graph_iri("provenance", base_iri=self._base_iri)
        node = ox.NamedNode(f"{self._base_iri}id/harvest/{uuid.uuid4().hex}")
        now = datetime.now(UTC).isoformat()
        facts = [
            f"{node} a <{HTKG}Harvest>",
            f"{node} <{PROV}startedAtTime> {ox.Literal(now, datatype=_XSD_DATETIME)}",
            f"{node} <{PROV}used> {ox.NamedNode(endpoint)}",
            f"{node} <{HTKG}targetGraph> {ox.NamedNode(outcome.graph)}",
            f"{node} <{HTKG}harvestOutcome> {ox.Literal(outcome.outcome)}",
            f"{node} <{PROV}wasAssociatedWith> "
            f"{ox.NamedNode(f'{self._base_iri}id/partner/{outcome.partner}')}",
        ]
        if outcome.content_hash:
            facts.append(f"{node} {HASH} {ox.Literal(outcome.content_hash)}")
        self._store.update(f"INSERT DATA {{ GRAPH <{provenance}> {{ {' . '.join(facts)} }} }}")
        return outcome


_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def _parse(body: bytes, media_type: str) -> list[ox.Triple]:
    fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
    try:
        return [quad.triple for quad in ox.parse(body, format=fmt)]
    except SyntaxError as exc:
        raise RdfSyntaxError.from_parser(exc, source="the partner's answer") from None


def _canonical(triples: list[ox.Triple]) -> bytes:
    """The triples as sorted N-Triples, blank nodes relabelled by RDFC-1.0."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in dataset)
    return "".join(lines).encode()
