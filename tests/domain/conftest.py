"""Fixtures of the domain tests: the shipped graphs in memory, loaded once per session."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from tests.domain.graphs import oxigraph_store, rdflib_graph


@pytest.fixture(scope="session")
def domain_store() -> ox.Store:
    """A pyoxigraph store with the ontology, shapes and briefing graphs, as the server has."""
    return oxigraph_store()


@pytest.fixture(scope="session")
def shapes_graph() -> rdflib.Graph:
    return rdflib_graph("shapes")


@pytest.fixture(scope="session")
def ontology_graph() -> rdflib.Graph:
    return rdflib_graph("ontology")


@pytest.fixture(scope="session")
def curated_graph() -> rdflib.Graph:
    return rdflib_graph("briefing")
