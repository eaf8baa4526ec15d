"""One PROV-O record per accepted write, in ``graph/provenance``.

The record is written in the same transaction as the write (appended to the update, or
applied with the journalled Graph Store write), so the provenance graph always agrees with the
data, crashes included. Its IRI is derived from the write's id, so applying it twice (a
crash-interrupted write finished at start-up) still leaves exactly one record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.curated import graph_iri

PROV = "http://www.w3.org/ns/prov#"
HTKG = "https://w3id.org/htkg/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class WriteRecord:
    """Who wrote what, when, from where, and what validation said."""

    id: str
    kind: str  # "SPARQL Update", "Graph Store PUT", "htkg load", ...
    agent: str  # the actor's id: the token's name, or "admin"
    started: dt.datetime
    target_graphs: Sequence[str]
    source: str | None = None  # a file name, a URL, a partner id
    triples_added: int | None = None
    triples_removed: int | None = None
    warnings: int = 0

    def triples(self, *, base_iri: str) -> list[ox.Quad]:
        """The record as quads in ``graph/provenance``.

        >>> record = WriteRecord("w1", "SPARQL Update", "admin",
        ...     dt.datetime(2026, 1, 2, tzinfo=dt.UTC), ["https://ex/g"])
        >>> len(record.triples(base_iri="https://w3id.org/htkg/"))
        9
        """
        graph = ox.NamedNode(graph_iri("provenance", base_iri=base_iri))
        write = ox.NamedNode(f"{base_iri}id/write/{self.id}")
        agent = ox.NamedNode(f"{base_iri}id/agent/{self.agent}")
        outcome = "conforms" if not self.warnings else "conforms with warnings"
        values: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
            (write, _rdf_type(), ox.NamedNode(HTKG + "GraphWrite")),
            (write, ox.NamedNode(RDFS + "label"), ox.Literal(self.kind)),
            (write, ox.NamedNode(PROV + "wasAssociatedWith"), agent),
            (write, ox.NamedNode(PROV + "startedAtTime"),
             ox.Literal(self.started.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))),
            (write, ox.NamedNode(HTKG + "validationOutcome"), ox.Literal(outcome)),
            (write, ox.NamedNode(HTKG + "warningCount"), _integer(self.warnings)),
            (agent, _rdf_type(), ox.NamedNode(PROV + "Agent")),
            (agent, ox.NamedNode(RDFS + "label"), ox.Literal(self.agent)),
        ]
        values += [(write, ox.NamedNode(HTKG + "targetGraph"), ox.NamedNode(g))
                   for g in self.target_graphs]
        if self.source is not None:
            values.append((write, ox.NamedNode(HTKG + "writeSource"), ox.Literal(self.source)))
        if self.triples_added is not None:
            values.append((write, ox.NamedNode(HTKG + "triplesAdded"),
                           _integer(self.triples_added)))
        if self.triples_removed is not None:
            values.append((write, ox.NamedNode(HTKG + "triplesRemoved"),
                           _integer(self.triples_removed)))
        return [ox.Quad(s, p, o, graph) for s, p, o in values]

    def n_quads(self, *, base_iri: str) -> str:
        """The record as N-Quads, for the journal of a Graph Store write."""
        return ox.serialize(self.triples(base_iri=base_iri), format=ox.RdfFormat.N_QUADS).decode()

    def insert_data(self, *, base_iri: str) -> str:
        """The record as a SPARQL ``INSERT DATA`` operation, to append to an update."""
        body = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in self.triples(
            base_iri=base_iri))
        graph = graph_iri("provenance", base_iri=base_iri)
        return f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _rdf_type() -> ox.NamedNode:
    return ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
