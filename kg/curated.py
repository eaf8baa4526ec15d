"""The graphs htkg ships with: ontology, shapes and the curated briefing facts.

On every start each shipped graph is compared, by a digest of its source files, with what the
store holds; only a changed graph is replaced, so a restart adds no duplicates and an edited
file takes effect without a manual reload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import pyoxigraph as ox

from kg.errors import RdfSyntaxError
from kg.results import SolutionsResult
from kg.store import Store

DEFAULT_BASE_IRI = "https://w3id.org/htkg/"

# graph name (under {base}graph/) -> folder of Turtle files inside the kg package
CURATED_GRAPHS: dict[str, str] = {
    "ontology": "ontology",
    "shapes": "shapes",
    "briefing": "data",
}

SYSTEM_GRAPH = "graph/system"
_DIGEST = "http://purl.org/dc/terms/identifier"


@dataclass(frozen=True)
class CuratedLoad:
    """What happened to one shipped graph at start-up."""

    graph: str
    files: int
    replaced: bool


def graph_iri(name: str, *, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The IRI of a graph from its short name.

    >>> graph_iri("briefing")
    'https://w3id.org/htkg/graph/briefing'
    """
    return f"{base_iri}graph/{name}"


def shipped_sources() -> dict[str, Traversable]:
    """The folders of the installed package that hold each shipped graph's Turtle files."""
    package = resources.files("kg")
    return {name: package.joinpath(folder) for name, folder in CURATED_GRAPHS.items()}


def load_curated_graphs(
    store: Store,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    sources: Mapping[str, Traversable] | None = None,
) -> list[CuratedLoad]:
    """Bring the shipped graphs in ``store`` up to date with their Turtle files.

    Each graph is replaced atomically, and only when its files changed since the last load.
    ``sources`` maps graph names to folders; by default, the ones shipped in the package.

    :raises RdfSyntaxError: naming the file, line and column when a shipped file is broken.

    >>> from kg.store import EmbeddedStore
    >>> store = EmbeddedStore.in_memory()
    >>> [load.replaced for load in load_curated_graphs(store)]
    [True, True, True]
    >>> [load.replaced for load in load_curated_graphs(store)]
    [False, False, False]
    """
    system = graph_iri("system", base_iri=base_iri)
    loads = []
    for name, folder in (shipped_sources() if sources is None else sources).items():
        iri = graph_iri(name, base_iri=base_iri)
        files = sorted(
            (f for f in folder.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name
        )
        digest = _digest(files)
        replaced = _stored_digest(store, iri, system) != digest
        if replaced:
            store.replace_graph(iri, _parse_all(files, base_iri=base_iri))
            store.update(
                f"DELETE WHERE {{ GRAPH <{system}> {{ <{iri}> <{_DIGEST}> ?d }} }} ;"
                f' INSERT DATA {{ GRAPH <{system}> {{ <{iri}> <{_DIGEST}> "{digest}" }} }}'
            )
        loads.append(CuratedLoad(iri, len(files), replaced))
    return loads


def _digest(files: list[Traversable]) -> str:
    sha = hashlib.sha256()
    for file in files:
        sha.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return "sha256:" + sha.hexdigest()


def _stored_digest(store: Store, graph: str, system: str) -> str | None:
    result = store.query(f"SELECT ?d {{ GRAPH <{system}> {{ <{graph}> <{_DIGEST}> ?d }} }}")
    assert isinstance(result, SolutionsResult)
    for solution in result.solutions:
        return str(solution["d"].value)
    return None


def _parse_all(files: list[Traversable], *, base_iri: str) -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for file in files:
        try:
            quads = ox.parse(file.read_bytes(), ox.RdfFormat.TURTLE, base_iri=base_iri)
            triples.extend(q.triple for q in quads)
        except SyntaxError as exc:
            raise RdfSyntaxError.from_parser(exc, source=file.name) from exc
    return triples
