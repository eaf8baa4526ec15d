"""An rdflib graph that parses each SPARQL text once, for pyshacl.

pyshacl evaluates a SPARQL-based constraint by calling ``Graph.query`` with the constraint's
text and ``$this`` bound, once per focus node, and rdflib parses and translates the text on
every call: for the shapes' nine SPARQL constraints that parsing was 74-86% of a validated
write's time (docs/benchmarks.md, issue #5). The translated algebra does not depend on the
data or the bindings, so it is made once per text (and prefixes and base) and reused.
"""

from __future__ import annotations

import functools
from typing import Any

import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

# the shapes hold a handful of SPARQL texts, pyshacl's own checks a few more
CACHED_QUERIES = 256


class PreparedQueryGraph(rdflib.Graph):
    """A graph whose ``query`` reuses the translation of a text it has seen.

    >>> graph = PreparedQueryGraph()
    >>> _ = graph.add((rdflib.URIRef("http://ex/a"), rdflib.RDF.type, rdflib.URIRef("http://ex/C")))
    >>> ask = "ASK { $this a ?c }"
    >>> [graph.query(ask, initBindings={"this": rdflib.URIRef(f"http://ex/{n}")}).askAnswer
    ...  for n in "ab"]
    [True, False]
    >>> _translated.cache_info().hits >= 1
    True
    """

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: dict[str, Any] | None = None,  # noqa: N803 (rdflib's signature)
        initBindings: dict[str, Any] | None = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> rdflib.query.Result:
        if isinstance(query_object, str) and processor == "sparql":
            namespaces = initNs if initNs is not None else dict(self.namespaces())
            query_object = _translated(query_object, tuple(sorted(
                (prefix, str(iri)) for prefix, iri in namespaces.items())), kwargs.get("base"))
            # the prefixes are applied by the translation
            return super().query(query_object, processor, result, None, initBindings,
                                 use_store_provided, **kwargs)
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


def sharing(graph: rdflib.Graph) -> PreparedQueryGraph:
    """A ``PreparedQueryGraph`` over the same triples as ``graph`` (nothing is copied)."""
    return PreparedQueryGraph(store=graph.store, identifier=graph.identifier,
                              namespace_manager=graph.namespace_manager)


@functools.lru_cache(maxsize=CACHED_QUERIES)
def _translated(text: str, namespaces: tuple[tuple[str, str], ...], base: str | None) -> Query:
    return prepareQuery(text, initNs=dict(namespaces), base=base)
