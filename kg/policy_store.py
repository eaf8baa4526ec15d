"""Graph policies as data: three statements per graph in ``graph/system``.

``<graph> htkg:ownerOrganisation "org" ; htkg:sharingLevel "AMBER" ; htkg:grantedTo "org-b"``.
They are read once when the server starts and written by the admin API, the CLI, the first
write to a new graph and partner harvests; each change replaces the graph's statements in one
update, so a policy is never half written.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.access import GraphPolicy, Tlp
from kg.curated import graph_iri
from kg.results import SolutionsResult
from kg.store import EmbeddedStore

HTKG = "https://w3id.org/htkg/ontology#"
OWNER = f"<{HTKG}ownerOrganisation>"
LEVEL = f"<{HTKG}sharingLevel>"
GRANTED = f"<{HTKG}grantedTo>"


def load_policies(store: EmbeddedStore, *, base_iri: str) -> list[GraphPolicy]:
    """Every explicit policy in the store."""
    system = graph_iri("system", base_iri=base_iri)
    result = store.query(
        f"SELECT ?g ?owner ?tlp ?grant {{ GRAPH <{system}> {{ ?g {OWNER} ?owner ; {LEVEL} ?tlp "
        f"OPTIONAL {{ ?g {GRANTED} ?grant }} }} }}"
    )
    assert isinstance(result, SolutionsResult)
    found: dict[str, tuple[str, str]] = {}
    grants: dict[str, set[str]] = defaultdict(set)
    for row in result.solutions:
        graph = row["g"].value
        found[graph] = (row["owner"].value, row["tlp"].value)
        if row["grant"] is not None:
            grants[graph].add(row["grant"].value)
    return [GraphPolicy(graph, owner, Tlp(tlp), frozenset(grants[graph]))
            for graph, (owner, tlp) in found.items()]


def save_policy(store: EmbeddedStore, policy: GraphPolicy, *, base_iri: str) -> None:
    """Replace the stored policy of ``policy.graph`` with ``policy``."""
    graph = str(ox.NamedNode(policy.graph))
    lines = [f"{graph} {OWNER} {ox.Literal(policy.owner)} .",
             f"{graph} {LEVEL} {ox.Literal(policy.tlp.value)} ."]
    lines += [f"{graph} {GRANTED} {ox.Literal(grant)} ." for grant in sorted(policy.grants)]
    system = graph_iri("system", base_iri=base_iri)
    store.update(f"{_deletion(policy.graph, system)} ; "
                 f"INSERT DATA {{ GRAPH <{system}> {{ {' '.join(lines)} }} }}")


def delete_policy(store: EmbeddedStore, graph: str, *, base_iri: str) -> None:
    store.update(_deletion(graph, graph_iri("system", base_iri=base_iri)))


def _deletion(graph: str, system: str) -> str:
    node = str(ox.NamedNode(graph))
    return " ; ".join(f"DELETE WHERE {{ GRAPH <{system}> {{ {node} {p} ?v }} }}"
                      for p in (OWNER, LEVEL, GRANTED))
