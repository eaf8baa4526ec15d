"""How an accepted write is answered: its status, its provenance link, its warnings.

The record of the write is linked as PROV-AQ asks (``Link: <record>;
rel="http://www.w3.org/ns/prov#has_provenance"``). Validation warnings never block a write;
they come back with it as a JSON body (so a 204 becomes a 200).
"""

from __future__ import annotations

import json

from flask import Response

from kg.ingest import WriteOutcome
from service.state import htkg

HAS_PROVENANCE = "http://www.w3.org/ns/prov#has_provenance"


def write_response(outcome: WriteOutcome, *, status: int) -> Response:
    record = f"{htkg().settings.base_iri}id/write/{outcome.record.id}"
    headers = {"Link": f'<{record}>; rel="{HAS_PROVENANCE}"'}
    warnings = outcome.report.warnings if outcome.report is not None else ()
    if not warnings:
        return Response(status=status, headers=headers)
    body = {"write": record, "warnings": [w.summary() for w in warnings]}
    return Response(json.dumps(body), status=200 if status == 204 else status,
                    mimetype="application/json", headers=headers)
