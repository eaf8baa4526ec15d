"""htkg's knowledge-graph library: store, queries, curated graphs. Importable without Flask."""

from kg.errors import KgError, QuerySyntaxError, RdfSyntaxError, StoreError
from kg.query import Dataset, evaluate_query
from kg.store import EmbeddedStore, Store

__all__ = [
    "Dataset",
    "EmbeddedStore",
    "KgError",
    "QuerySyntaxError",
    "RdfSyntaxError",
    "Store",
    "StoreError",
    "evaluate_query",
]
