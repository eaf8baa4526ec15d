"""What a query sees and how it is evaluated.

The dataset of a query comes from three places, in order of precedence (SPARQL 1.1 Protocol,
section 2.1.4): the protocol's ``default-graph-uri``/``named-graph-uri``, then the query's own
``FROM``/``FROM NAMED``, then the service default, which in htkg is the union of all graphs
(or the plain default graph, when the settings ask for it, as the W3C suites expect).
"""

from __future__ import annotations

from typing import NamedTuple

from kg.results import QueryResult
from kg.sparql_text import has_keyword
from kg.store import Store


class Dataset(NamedTuple):
    """The RDF dataset a query runs against.

    ``default_graphs``/``named_graphs`` are graph IRIs given by the protocol; ``None`` means
    "not given". ``union_default_graph`` decides what the default graph is when neither the
    protocol nor the query says: every graph merged, or the store's unnamed default graph.
    ``hidden_graphs`` are left out of that store dataset (a query that names a graph in
    ``FROM`` or the protocol still gets it: it asked for it).

    >>> Dataset().union_default_graph
    True
    """

    default_graphs: tuple[str | None, ...] | None = None  # None in it: the unnamed graph
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    hidden_graphs: frozenset[str] = frozenset()  # e.g. graph/inferred when inference is off
    # when the dataset is the union of exactly these graphs ("": the unnamed one), listed for
    # a caller who may read only them: a view holding them may answer instead (kg.views)
    view: frozenset[str] | None = None

    @property
    def given_by_protocol(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query has its own ``FROM`` or ``FROM NAMED`` clause.

    >>> has_dataset_clause("SELECT * FROM <http://ex/g> { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT * { ?s <http://ex/from#x> 'from' } # FROM")
    False
    """
    return has_keyword(sparql, "FROM")


def evaluate_query(
    store: Store, sparql: str, *, dataset: Dataset, base_iri: str | None = None
) -> QueryResult:
    """Parse and start evaluating a SPARQL query; solutions are produced lazily.

    Syntax errors are raised here, before any result byte exists, so that a caller streaming
    the answer can still choose the status. The union default graph never overrides a
    query's own ``FROM``; the protocol's dataset overrides both.

    :raises QuerySyntaxError: when the text does not parse (with line and column).

    >>> from kg.store import EmbeddedStore
    >>> store = EmbeddedStore.in_memory()
    >>> result = evaluate_query(store, "ASK { }", dataset=Dataset())
    >>> result.value
    True
    """
    if dataset.given_by_protocol:
        return store.query(
            sparql,
            default_graphs=dataset.default_graphs or (),
            named_graphs=dataset.named_graphs or (),
            base_iri=base_iri,
        )
    if has_dataset_clause(sparql):
        return store.query(sparql, base_iri=base_iri)
    if dataset.hidden_graphs:  # the store's dataset, minus some graphs: name the rest
        visible = [g for g in store.named_graphs() if g not in dataset.hidden_graphs]
        defaults: list[str | None] = [None, *visible] if dataset.union_default_graph else [None]
        return store.query(sparql, default_graphs=defaults, named_graphs=visible,
                           base_iri=base_iri)
    return store.query(sparql, union_default_graph=dataset.union_default_graph,
                       base_iri=base_iri)
