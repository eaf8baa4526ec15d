"""Point lookups, answered in the main process: one triple pattern about one subject.

Handing a query to a worker process (pickled job, pipe write, wake-up, poll, reply) costs
0.6-0.8 ms, more than ten times what the engine spends on a lookup of one subject's values
(0.05 ms; docs/benchmarks.md, issue #2). Workers exist so that a query can be killed at its
time limit; a point lookup needs no killing when its work is bounded, so it is answered here:

- the text is one ``SELECT`` with a single triple pattern whose subject and predicate are
  constants (an IRI or prefixed name, ``a``), and nothing else: no path, no modifier, no
  ``FROM``, no ``FILTER`` (a lexer check that accepts only those tokens and whitespace,
  so anything it does not know, like a path operator or a number, sends the query to a
  worker);
- its answer is written with ``kg.answers.write_bounded`` up to ``POINT_LOOKUP_ROWS``
  solutions: a subject with more values than that goes to a worker too, so the work done
  here is bounded by that many index entries (one evaluation, stopped one buffer past the
  limit) whatever the data.

The lookup runs on the live store with the caller's dataset, so it sees what a worker would
(every committed write, the same access restriction); the answer is the same document.
"""

from __future__ import annotations

import io

import pyoxigraph as ox

from kg.answers import write_bounded
from kg.query import Dataset, evaluate_query
from kg.results import SolutionsResult
from kg.sparql_text import Token, tokens
from kg.store import Store

#: the most solutions a point lookup may have to be answered in-process (about 1 ms of work)
POINT_LOOKUP_ROWS = 1000


def is_point_lookup(sparql: str) -> bool:
    """Whether ``sparql`` is a SELECT of one triple pattern with a constant subject and
    predicate, and nothing else.

    >>> is_point_lookup("PREFIX h: <http://ex/> SELECT ?r WHERE { h:e h:reliability ?r }")
    True
    >>> is_point_lookup("SELECT * { <http://ex/e> a ?type . }")
    True
    >>> is_point_lookup("SELECT ?o { <http://ex/e> <http://ex/p>/<http://ex/q> ?o }")
    False
    >>> is_point_lookup("SELECT ?s { ?s <http://ex/p> ?o }")
    False
    >>> is_point_lookup("SELECT ?o { <http://ex/e> <http://ex/p> ?o } ORDER BY ?o")
    False
    """
    found = _covering_tokens(sparql)
    if found is None:
        return False
    position = 0
    while position < len(found) and found[position].is_keyword("PREFIX", "BASE"):
        position += 3 if found[position].is_keyword("PREFIX") else 2
    rest = found[position:]
    if not rest or not rest[0].is_keyword("SELECT"):
        return False
    body = 1
    while body < len(rest) and rest[body].kind == "variable":
        body += 1
    if body < len(rest) and rest[body].is_keyword("WHERE"):
        body += 1
    pattern = [t.text for t in rest[body:]]
    if pattern[-1:] == ["}"] and pattern[-2:-1] == ["."]:
        pattern = [*pattern[:-2], "}"]
    if len(pattern) != 5 or pattern[0] != "{" or pattern[4] != "}":
        return False
    subject, predicate, value = rest[body + 1 : body + 4]
    return (subject.kind in ("iri", "pname")
            and (predicate.kind in ("iri", "pname") or predicate.text == "a")
            and value.kind in ("iri", "pname", "variable", "string"))


def answer_point_lookup(
    store: Store,
    sparql: str,
    *,
    dataset: Dataset,
    base_iri: str | None,
    format: ox.QueryResultsFormat,
    max_rows: int | None,
) -> bytes | None:
    """The answer to a point lookup in ``format``, or None when it has more solutions than
    it may have here (then a worker answers it, with the usual limits).

    :raises QuerySyntaxError: when the text does not parse after all.
    """
    limit = min(POINT_LOOKUP_ROWS, max_rows or POINT_LOOKUP_ROWS)
    result = evaluate_query(store, sparql, dataset=dataset, base_iri=base_iri)
    if not isinstance(result, SolutionsResult):
        return None
    output = io.BytesIO()
    if write_bounded(result, output, format, max_rows=limit):
        return None
    return output.getvalue()


def _covering_tokens(text: str) -> list[Token] | None:
    """The lexer's tokens of ``text`` but its comments, or None unless tokens and comments
    cover ``text`` but for whitespace and the ``*`` of ``SELECT *`` (the lexer skips what it
    does not know, like ``/`` or ``@en``). One pass: this runs on every SELECT."""
    found: list[Token] = []
    covered, previous = 0, ""
    for token in tokens(text):
        gap = text[covered:token.start].strip()
        if gap and not (gap == "*" and previous.upper() == "SELECT"):
            return None
        covered, previous = token.start + len(token.text), token.text
        if token.kind != "comment":
            found.append(token)
    return None if text[covered:].strip() else found
