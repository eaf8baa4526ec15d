"""Access control applied to a query: its dataset cut down to what the caller may read, and
its SERVICE calls checked against the allow-list.

pyoxigraph takes a query's dataset as arguments that replace the query's own ``FROM`` and
``FROM NAMED``; ``GRAPH ?g`` then ranges over the given named graphs only, and property
paths, DESCRIBE and subqueries see nothing else. So a restricted query runs on an explicit
dataset: the protocol's graphs or the query's ``FROM`` clauses, intersected with the
readable graphs (never silently widened), or else every readable graph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from kg.access import DEFAULT_GRAPH
from kg.errors import FeatureDisabledError
from kg.query import Dataset
from kg.sparql_text import has_keyword, iris_after

#: stands for a FROM target that is not an IRI we can resolve; no one can read it
UNRESOLVED = "urn:htkg:unresolved"


def restricted_dataset(
    sparql: str,
    *,
    readable: frozenset[str],
    hidden: frozenset[str] = frozenset(),
    default_graphs: Iterable[str | None] | None,
    named_graphs: Iterable[str] | None,
    union_default_graph: bool,
    base_iri: str | None,
) -> Dataset:
    """The dataset of a query by a caller who reads only ``readable`` (``""``: default graph).

    ``default_graphs`` and ``named_graphs`` are the protocol's (``None`` in the defaults: the
    unnamed graph); ``hidden`` graphs are left out unless named.

    >>> d = restricted_dataset("SELECT * FROM <http://ex/a> FROM <http://ex/b> {}",
    ...     readable=frozenset({"http://ex/a"}), default_graphs=None, named_graphs=None,
    ...     union_default_graph=True, base_iri=None)
    >>> d.default_graphs, d.named_graphs
    (('http://ex/a',), ())
    """
    if default_graphs is None and named_graphs is None:
        clauses = iris_after(sparql, "FROM", base_iri=base_iri, skipping=("NAMED",))
        if clauses:
            default_graphs = [iri or UNRESOLVED for kind, iri in clauses if kind == ""]
            named_graphs = [iri or UNRESOLVED for kind, iri in clauses if kind == "NAMED"]
    if default_graphs is not None or named_graphs is not None:
        defaults = tuple(g for g in default_graphs or () if (g or DEFAULT_GRAPH) in readable)
        named = tuple(g for g in named_graphs or () if g in readable)
        return Dataset(default_graphs=defaults, named_graphs=named)
    readable = readable - hidden
    named = tuple(sorted(g for g in readable if g != DEFAULT_GRAPH))
    own_default = (None,) if DEFAULT_GRAPH in readable else ()
    if not union_default_graph:
        return Dataset(default_graphs=own_default, named_graphs=named)
    return Dataset(default_graphs=(*own_default, *named), named_graphs=named,
                   view=frozenset(readable))


def refuse_unlisted_services(sparql: str, *, allowed: Collection[str],
                             base_iri: str | None) -> None:
    """Refuse a query whose SERVICE calls go anywhere but an allow-listed endpoint.

    A variable endpoint (``SERVICE ?e``) is always refused: its value would come from data.

    :raises FeatureDisabledError: naming the endpoint and the setting to change.

    >>> refuse_unlisted_services("SELECT * { SERVICE ?e { ?s ?p ?o } }", allowed=["http://a/"],
    ...                          base_iri=None)
    Traceback (most recent call last):
    ...
    kg.errors.FeatureDisabledError: SERVICE with a variable endpoint is not allowed
    """
    if not has_keyword(sparql, "SERVICE"):
        return
    for _, endpoint in iris_after(sparql, "SERVICE", base_iri=base_iri, skipping=("SILENT",)):
        if endpoint is None:
            raise FeatureDisabledError("SERVICE with a variable endpoint is not allowed")
        if not is_allowed_url(endpoint, allowed):
            raise FeatureDisabledError(
                f"SERVICE <{endpoint}> is not on this server's allow-list "
                "(setting service_allow_list; partners registered by an admin are added)"
            )


def is_allowed_url(url: str, allowed: Collection[str]) -> bool:
    """Whether ``url`` is one of ``allowed`` or below one of them (same scheme, host, port,
    and a path under the listed path); ``file:`` and other non-HTTP URLs never are.

    >>> is_allowed_url("https://fiu.example/sparql?x=1", ["https://fiu.example/sparql"])
    True
    >>> is_allowed_url("https://fiu.example.evil/sparql", ["https://fiu.example/"])
    False
    >>> is_allowed_url("file:///etc/passwd", ["file:///"])
    False
    """
    target = urlsplit(url)
    if target.scheme not in ("http", "https") or not target.hostname:
        return False
    for entry in allowed:
        listed = urlsplit(entry)
        if (listed.scheme, listed.hostname, listed.port) != (
                target.scheme, target.hostname, target.port):
            continue
        prefix = listed.path or "/"
        path = target.path or "/"
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return True
    return False
