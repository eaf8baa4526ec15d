"""The one place where exceptions become HTTP responses, in one error shape.

``kg`` raises ``KgError`` subclasses; this table gives each its status. Protocol errors
detected in ``service`` are werkzeug ``HTTPException``s. Either way the body is
``text/plain`` ("400 Bad Request: SPARQL syntax error at line 2, column 21: ...") or, when
the client prefers ``application/json``, ``{"status": 400, "error": "...", ...details}``.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header

from kg.errors import (
    AccessDeniedError,
    AuthenticationError,
    FeatureDisabledError,
    FederationError,
    KgError,
    QueryFailedError,
    QuerySyntaxError,
    QueryTimeoutError,
    RateLimitedError,
    RdfSyntaxError,
    StoreError,
    UnsupportedFormatError,
    UpdateDatasetConflictError,
    UpdateFailedError,
    ValidationFailedError,
)

log = logging.getLogger(__name__)

STATUS_OF: dict[type[KgError], int] = {
    QuerySyntaxError: 400,
    RdfSyntaxError: 400,
    UnsupportedFormatError: 415,
    FeatureDisabledError: 403,
    UpdateDatasetConflictError: 400,
    UpdateFailedError: 500,  # SPARQL 1.1 Protocol 2.2.4: valid, but it could not be executed
    ValidationFailedError: 422,
    StoreError: 503,
    QueryFailedError: 500,
    QueryTimeoutError: 503,
    AccessDeniedError: 403,
    AuthenticationError: 401,
    RateLimitedError: 429,
    FederationError: 502,
}


def status_of(error: KgError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]  # type: ignore[index]
    return 500


def error_response(
    status: int, message: str, details: dict[str, object] | None = None
) -> Response:
    """Build the error body in the shape the client prefers."""
    accept = parse_accept_header(request.headers.get("Accept"), MIMEAccept)
    wants_json = accept.best_match(["text/plain", "application/json"]) == "application/json"
    if wants_json:
        body = {"status": status, "error": message, **(details or {})}
        return Response(json.dumps(body), status=status, mimetype="application/json")
    reason = HTTP_STATUS_CODES.get(status, "Error")
    return Response(
        f"{status} {reason}: {message}\n", status=status, content_type="text/plain; charset=utf-8"
    )


def validation_failed_response(error: ValidationFailedError) -> Response:
    """422 with the SHACL report: Turtle or JSON-LD by Accept, or a JSON summary.

    ``application/json`` gets ``{"status", "error", "results": [...], "report": "<turtle>"}``;
    ``application/ld+json`` the report graph as JSON-LD; anything else the report as Turtle.
    """
    report = error.report
    accept = parse_accept_header(request.headers.get("Accept"), MIMEAccept)
    best = accept.best_match(["text/turtle", "application/ld+json", "application/json"])
    if best == "application/json":
        body = {"status": 422, "error": error.message, "results": report.summary(),
                "report": report.serialize("turtle")}
        return Response(json.dumps(body), status=422, mimetype="application/json")
    if best == "application/ld+json":
        return Response(report.serialize("json-ld"), status=422, mimetype="application/ld+json")
    return Response(report.serialize("turtle"), status=422,
                    content_type="text/turtle; charset=utf-8")


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app, so routing 404s and 405s get the same shape."""

    @app.errorhandler(ValidationFailedError)
    def handle_invalid_write(error: ValidationFailedError) -> Response:
        return validation_failed_response(error)

    @app.errorhandler(KgError)
    def handle_kg_error(error: KgError) -> Response:
        response = error_response(status_of(error), error.message, error.details())
        if isinstance(error, RateLimitedError):
            response.headers["Retry-After"] = str(error.retry_after_s)
        return response

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> Response:
        response = error_response(error.code or 500, error.description or error.name)
        for name, value in error.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):  # pragma: no cover - routed above
            return handle_http_error(error)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, InternalServerError.description)
