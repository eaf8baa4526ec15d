"""The committed ontology reference is what the generator makes from the Turtle files today."""

from __future__ import annotations

from kg.ontology_docs import render_markdown
from tests.domain.graphs import ROOT


def test_docs_ontology_md_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert committed == render_markdown(ROOT / "ontology", ROOT / "shapes"), (
        "docs/ontology.md is stale: run python -m kg.ontology_docs > docs/ontology.md")


def test_model_overview_has_a_diagram_and_links_the_reference() -> None:
    overview = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert "```mermaid" in overview
    assert "ontology.md" in overview
