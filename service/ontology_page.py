"""The ontology and shapes reference as an HTML page, rendered once per app."""

from __future__ import annotations

import threading

import markdown

from kg.ontology_docs import render_markdown

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>htkg ontology reference</title>
<style>body{{font-family:system-ui,sans-serif;max-width:75rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;font-size:.9rem}}td,th{{border:1px solid #ccc;padding:.2rem .4rem;
vertical-align:top}}code{{font-size:.85rem}}</style></head><body>
{body}
</body></html>
"""


class ReferencePage:
    """The HTML reference, rendered once on first use (it parses every Turtle file)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._html: str | None = None

    def html(self) -> str:
        with self._lock:
            if self._html is None:
                body = markdown.markdown(render_markdown(), extensions=["tables", "fenced_code"])
                self._html = PAGE.format(body=body)
            return self._html
