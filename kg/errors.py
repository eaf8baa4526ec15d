"""Errors raised by the knowledge-graph library.

Every failure a caller can act on is a ``KgError`` subclass carrying structured fields
(line, column, parameter, limit) next to a message written for a person. The service maps
each class to one HTTP status in ``service/errors.py``; the CLI prints the message alone.
"""

from __future__ import annotations

import re

_POSITION = re.compile(r"(?:error at |line )(\d+)(?::| column )(\d+)")
_POSITION_PREFIX = re.compile(
    r"^(?:error at \d+:\d+(?:-\d+:\d+)?|Parser error (?:at|between) line \d+ column \d+"
    r"(?: and line \d+ column \d+)?):\s*"
)


class KgError(Exception):
    """Base of every error the library raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def details(self) -> dict[str, object]:
        """Structured fields that are safe to show to the client (never graph names)."""
        return {}


class PositionedSyntaxError(KgError):
    """A parse error that knows where in the input it happened (1-based line and column)."""

    kind = "input"

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        source: str | None = None,
    ):
        if line is None:
            line, column = _position_from(message)
        where = f" in {source}" if source else ""
        if line is not None:
            where += f" at line {line}, column {column}"
        self.reason = _strip_position(message)
        super().__init__(f"{self.kind} syntax error{where}: {self.reason}")
        self.line = line
        self.column = column
        self.source = source

    @classmethod
    def from_parser(cls, exc: SyntaxError, *, source: str | None = None) -> PositionedSyntaxError:
        """Wrap the ``SyntaxError`` pyoxigraph raises, keeping its position."""
        message = str(exc.args[0]) if exc.args else str(exc)
        if exc.lineno is not None:
            return cls(message, line=exc.lineno, column=exc.offset, source=source)
        return cls(message, source=source)

    def details(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column}


class QuerySyntaxError(PositionedSyntaxError):
    """The SPARQL query or update text does not parse."""

    kind = "SPARQL"


class RdfSyntaxError(PositionedSyntaxError):
    """An RDF document does not parse in the format it claims to be in."""

    kind = "RDF"


class UnsupportedFormatError(KgError):
    """A file or media type names an RDF format the library cannot read or write."""


class FeatureDisabledError(KgError):
    """The request uses a feature this server has switched off (LOAD, SERVICE)."""


class UpdateDatasetConflictError(KgError):
    """The protocol names a dataset for an update that already names its own (USING, WITH)."""


class UpdateFailedError(KgError):
    """A well-formed update could not be applied (e.g. DROP GRAPH of a missing graph)."""


class ValidationFailedError(KgError):
    """A write would leave data that violates the shapes; nothing was written."""

    def __init__(self, report: object) -> None:
        violations = len(getattr(report, "violations", ()))
        super().__init__(f"the write was refused: {violations} SHACL violation(s); "
                         "see the validation report")
        self.report = report

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.report,))


class QueryFailedError(KgError):
    """A query worker stopped or failed while evaluating (a bug or a resource problem)."""


class QueryTimeoutError(KgError):
    """A query ran past its time limit; its worker was stopped, so it uses no more CPU."""

    def __init__(self, limit_s: float) -> None:
        super().__init__(f"the query was stopped after its time limit of {limit_s:g} s "
                         "(protocol parameter 'timeout', setting query_timeout)")
        self.limit_s = limit_s

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.limit_s,))

    def details(self) -> dict[str, object]:
        return {"limit_s": self.limit_s}


class AccessDeniedError(KgError):
    """The caller may not do this; the message never says whether a graph exists.

    ``reason`` says why, for the audit log only.
    """

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class AuthenticationError(KgError):
    """The request's credentials are missing, malformed, unknown, expired or revoked."""


class RateLimitedError(KgError):
    """The caller sent more than its limit allows; ``retry_after_s`` says when to retry."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class FederationError(KgError):
    """A partner endpoint failed a SERVICE call or a harvest: which one, and why.

    ``kind`` is the outcome label of logs and metrics: timeout, redirect, http 503,
    unreachable, refused, too large, unparsable.
    """

    def __init__(self, message: str, *, kind: str = "failed") -> None:
        super().__init__(message)
        self.kind = kind


class StoreError(KgError):
    """The store could not be opened or read (for example another process holds its lock)."""


def _position_from(message: str) -> tuple[int | None, int | None]:
    """Find ``L:C`` in the messages pyoxigraph builds ("error at 2:21: expected ...")."""
    match = _POSITION.search(message)
    if match is None:
        return None, None
    return int(match.group(1)), int(match.group(2))


def _strip_position(message: str) -> str:
    return _POSITION_PREFIX.sub("", message)
