"""Importers of public sources into graphs, one module per source kind."""
