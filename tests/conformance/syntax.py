"""Positive and negative syntax tests (query and update, SPARQL 1.0 and 1.1), over HTTP.

Over the protocol a service can only show it accepts a text by running it, so a positive test
runs against an empty store. The SPARQL 1.1 Protocol separates a malformed request (400)
from one that was understood but failed (500), and that is the line drawn here: a positive
test fails only when the text is rejected as malformed (400), since some valid updates must
fail on an empty store (``DROP GRAPH`` of a missing graph) and some need the network
(``LOAD``, ``SERVICE``), which a service may refuse by policy (403) after parsing; a negative
test passes only with a 400.
"""

from __future__ import annotations

from .client import Session
from .manifest import MF, Case, file_path
from .model import Status, Verdict
from .sparqltext import with_base


def is_update(case: Case) -> bool:
    """Update tests by type, or by file: a few update manifests type bad ``.ru`` files as
    plain ``mf:NegativeSyntaxTest11``, and those must still go to the update operation."""
    action = case.one(MF.action)
    return "Update" in case.kind or (action is not None and str(action).endswith(".ru"))


def run_syntax(case: Case, session: Session) -> Verdict:
    """``mf:Positive/Negative(Update)SyntaxTest(11)``."""
    action = case.one(MF.action)
    if action is None:
        return Verdict.failed("manifest gives no action")
    path = file_path(action)
    text = with_base(path.read_text(encoding="utf-8"), path.as_uri())
    if is_update(case):
        session.reset()
        response = session.update(text)
    else:
        response = session.query(text)
    status = response.status_code
    if case.kind.startswith("Positive"):
        if status == 400:
            return Verdict.failed(f"valid text rejected as malformed: {response.text[:300]}")
        if status >= 400:
            return Verdict(Status.PASS, Status.PASS, f"parsed, then refused or failed ({status})")
        return Verdict.passed()
    if status == 400:
        return Verdict.passed()
    return Verdict.failed(f"invalid text answered {status}, expected 400")
