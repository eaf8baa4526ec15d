"""Query results as typed values, each able to write itself in a chosen format.

pyoxigraph result objects belong to the thread that created them (they are not ``Send`` in
Rust terms): whoever evaluates a query must also serialize it. ``kg.execution`` relies on that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import BinaryIO

import pyoxigraph as ox


class ResultKind(Enum):
    """Which family of formats a result needs: SPARQL results or RDF."""

    SOLUTIONS = "solutions"
    BOOLEAN = "boolean"
    GRAPH = "graph"


@dataclass(frozen=True)
class SolutionsResult:
    """The answer to a SELECT query: variable names and a lazy sequence of solutions."""

    variables: tuple[str, ...]
    solutions: ox.QuerySolutions
    kind = ResultKind.SOLUTIONS

    def write(self, output: BinaryIO, format: ox.QueryResultsFormat | ox.RdfFormat) -> None:
        assert isinstance(format, ox.QueryResultsFormat)
        self.solutions.serialize(output, format)


@dataclass(frozen=True)
class BooleanResult:
    """The answer to an ASK query."""

    value: bool
    boolean: ox.QueryBoolean
    kind = ResultKind.BOOLEAN

    def write(self, output: BinaryIO, format: ox.QueryResultsFormat | ox.RdfFormat) -> None:
        assert isinstance(format, ox.QueryResultsFormat)
        self.boolean.serialize(output, format)


@dataclass(frozen=True)
class GraphResult:
    """The answer to a CONSTRUCT or DESCRIBE query: a lazy sequence of triples."""

    triples: Iterable[ox.Triple]
    kind = ResultKind.GRAPH

    def write(self, output: BinaryIO, format: ox.QueryResultsFormat | ox.RdfFormat) -> None:
        assert isinstance(format, ox.RdfFormat)
        ox.serialize(self.triples, output, format)


QueryResult = SolutionsResult | BooleanResult | GraphResult
