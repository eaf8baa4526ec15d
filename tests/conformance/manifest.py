"""Read W3C test manifests (``mf:Manifest``) with rdflib, following ``mf:include`` chains.

Each manifest file is parsed once and keeps its rdflib graph, because the handlers for the
different test types read different properties (``qt:query``, ``ut:graphData``,
``ht:requests``...) from the same test node. Relative references resolve against the
manifest's own ``file:`` IRI, so the data can live anywhere on disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

W3C_DIR = Path(__file__).parent / "w3c" / "rdf-tests" / "sparql"


@dataclass(frozen=True)
class Case:
    """One test entry of a manifest: its IRI, name, type and where to read the rest."""

    iri: str
    name: str
    kind: str
    manifest: Path
    graph: Graph = field(repr=False, compare=False)
    node: URIRef = field(repr=False, compare=False)

    def one(self, prop: URIRef, subject: Node | None = None) -> Node | None:
        """The single value of ``prop`` on the test node (or on ``subject``), if any."""
        return self.graph.value(self.node if subject is None else subject, prop)

    def all(self, prop: URIRef, subject: Node | None = None) -> list[Node]:
        return list(self.graph.objects(self.node if subject is None else subject, prop))

    def items(self, head: Node) -> list[Node]:
        """The members of an RDF list (``ht:requests``, ``ht:headers``)."""
        return list(Collection(self.graph, head))

    def label(self, node: Node) -> str | None:
        value = self.graph.value(node, RDFS.label)
        return None if value is None else str(value)


def file_path(iri: Node) -> Path:
    """The local file a ``file:`` IRI from a manifest points to."""
    parsed = urlparse(str(iri))
    if parsed.scheme != "file":
        raise ValueError(f"{iri} is not a local test file")
    return Path(unquote(parsed.path))


class Manifests:
    """Parses manifest files on demand and remembers them, so a run reads each file once."""

    def __init__(self) -> None:
        self._graphs: dict[Path, Graph] = {}

    def graph(self, path: Path) -> Graph:
        path = path.resolve()
        if path not in self._graphs:
            graph = Graph()
            graph.parse(path, format="turtle", publicID=path.as_uri())
            self._graphs[path] = graph
        return self._graphs[path]

    def cases(self, path: Path) -> Iterator[Case]:
        """Every test of ``path`` and of the manifests it includes, in manifest order."""
        path = path.resolve()
        graph = self.graph(path)
        root = URIRef(path.as_uri())
        for head in graph.objects(root, MF.include):
            for included in Collection(graph, head):
                yield from self.cases(file_path(included))
        for head in graph.objects(root, MF.entries):
            for node in Collection(graph, head):
                yield _case(graph, path, node)


def _case(graph: Graph, manifest: Path, node: Node) -> Case:
    if not isinstance(node, URIRef):
        raise ValueError(f"{manifest}: test entries must be IRIs, got {node!r}")
    kinds = [t for t in graph.objects(node, RDF.type) if str(t).startswith(str(MF))]
    kind = str(kinds[0])[len(str(MF)):] if kinds else "Unknown"
    name = graph.value(node, MF.name)
    return Case(str(node), str(name) if name is not None else str(node), kind, manifest, graph,
                node)
