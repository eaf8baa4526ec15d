"""Every fact of DESIGN section 6 is in the curated graph, with its provenance (in memory)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tests.domain.facts import ALL_FACTS, Fact
from tests.domain.graphs import ask_store


@pytest.mark.parametrize("fact", ALL_FACTS, ids=lambda f: f.name)
def test_fact_holds_with_its_provenance(domain_store: ox.Store, fact: Fact) -> None:
    assert ask_store(domain_store, fact.query), fact.query


def test_a_fact_without_provenance_is_not_accepted(domain_store: ox.Store) -> None:
    """The provenance clause really constrains: a fact from nowhere does not pass."""
    unsourced = Fact("probe", '?fact a <https://w3id.org/htkg/ontology#Resolution> .\n'
                     "FILTER NOT EXISTS { ?fact <http://www.w3.org/ns/prov#wasDerivedFrom> ?s }")
    assert not ask_store(domain_store, unsourced.query)
