"""Load the domain model the way the server does, and turn query results into comparable rows.

The server puts ontology/*.ttl, shapes/*.ttl and kg/data/*.ttl into three named graphs and
queries their union; these helpers build the same dataset in memory so the domain tests run
without a server, and normalise results so the in-memory and HTTP paths compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

ROOT = Path(__file__).parents[2]
BASE = "https://w3id.org/htkg/"
FOLDERS: dict[str, Path] = {
    "ontology": ROOT / "ontology",
    "shapes": ROOT / "shapes",
    "briefing": ROOT / "kg" / "data",
}
QUERIES = ROOT / "queries"
BRIEFING = "https://w3id.org/htkg/id/document/cted-briefing-ht-terrorism"

Row = dict[str, str]


def turtle_files(name: str) -> list[Path]:
    """The Turtle files of one shipped graph, in a stable order."""
    return sorted(FOLDERS[name].glob("*.ttl"))


def rdflib_graph(*names: str) -> rdflib.Graph:
    """The named shipped graphs merged into one rdflib graph (for pyshacl and lint)."""
    graph = rdflib.Graph()
    for name in names:
        for path in turtle_files(name):
            graph.parse(path, format="turtle")
    return graph


def oxigraph_store() -> ox.Store:
    """An in-memory store holding each shipped graph in its named graph, as the server does."""
    store = ox.Store()
    for name in FOLDERS:
        graph = ox.NamedNode(f"{BASE}graph/{name}")
        for path in turtle_files(name):
            store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    return store


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
    """An IRI or literal as the plain string both result paths agree on."""
    return None if term is None else str(term.value)


def rows_from_store(store: ox.Store, query: str) -> list[Row]:
    """SELECT rows from the union of all graphs; unbound variables are left out of a row."""
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions), "expected a SELECT query"
    names = [v.value for v in solutions.variables]
    return [_row({n: term_text(s[n]) for n in names}) for s in solutions]


def ask_store(store: ox.Store, query: str) -> bool:
    """The answer of an ASK query over the union of all graphs."""
    answer = store.query(query, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QueryBoolean), "expected an ASK query"
    return bool(answer)


def rows_from_json(document: Mapping[str, Any]) -> list[Row]:
    """SELECT rows from a SPARQL 1.1 JSON results document, in the same shape as above."""
    return [
        _row({name: term["value"] for name, term in binding.items()})
        for binding in document["results"]["bindings"]
    ]


def _row(values: Mapping[str, str | None]) -> Row:
    return {name: value for name, value in values.items() if value is not None}


def query_files() -> Iterable[Path]:
    """Every analyst query of the library."""
    return sorted(QUERIES.glob("*.rq"))
