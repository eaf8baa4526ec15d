"""The HTTP-in-RDF vocabulary of the Protocol and Graph Store manifests (``ht:``, ``cnt:``).

Both suites describe a test as a list of ``ht:Request`` nodes, each with the response it must
get (status class or exact status, format, boolean, headers, body). Reading them into plain
dataclasses keeps the two suite runners about what to send, not how the manifest says it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib.term import Node

from .manifest import CNT, HT, MF, Case

HTS = "http://www.w3.org/2011/http-statusCodes#"
_STATUS_NUMBERS = {
    "OK": 200, "Created": 201, "Accepted": 202, "NoContent": 204, "MovedPermanently": 301,
    "Found": 302, "SeeOther": 303, "BadRequest": 400, "Unauthorized": 401, "Forbidden": 403,
    "NotFound": 404, "MethodNotAllowed": 405, "NotAcceptable": 406, "Conflict": 409,
    "UnsupportedMediaType": 415, "InternalServerError": 500,
}


@dataclass(frozen=True)
class ExpectedResponse:
    statuses: tuple[str, ...]
    format: str | None = None
    boolean: bool | None = None
    location_variable: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    charset: str
    expect: ExpectedResponse

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def encoded_body(self, text: str | None = None) -> bytes | None:
        """The body in the manifest's ``cnt:characterEncoding`` (UTF-16 for some bad requests)."""
        body = self.body if text is None else text
        return None if body is None else body.encode(self.charset)


def status_matches(statuses: tuple[str, ...], code: int) -> bool:
    """Whether ``code`` is one of the ``hts:`` statuses or status classes (``StatusCode4xx``)."""
    for status in statuses:
        name = status.removeprefix(HTS)
        match = re.fullmatch(r"StatusCode(\d)xx", name)
        if (match and code // 100 == int(match[1])) or _STATUS_NUMBERS.get(name) == code:
            return True
    return False


def describe(statuses: tuple[str, ...]) -> str:
    return " or ".join(s.removeprefix(HTS) for s in statuses)


def _headers(case: Case, node: Node) -> tuple[tuple[str, str], ...]:
    head = case.one(HT.headers, node)
    if head is None:
        return ()
    return tuple((str(case.one(HT.fieldName, h)), str(case.one(HT.fieldValue, h)))
                 for h in case.items(head))


def _body(case: Case, node: Node) -> tuple[str | None, str]:
    body = case.one(HT.body, node)
    if body is None:
        return None, "utf-8"
    chars = case.one(CNT.chars, body)
    charset = case.one(CNT.characterEncoding, body)
    return (None if chars is None else str(chars)), (str(charset) if charset else "utf-8")


def _expected(case: Case, node: Node | None) -> ExpectedResponse:
    if node is None:
        return ExpectedResponse(statuses=())
    boolean = case.one(MF.expectedBoolean, node)
    fmt = case.one(MF.expectedFormat, node)
    location = case.one(MF.expectedLocation, node)
    return ExpectedResponse(
        statuses=tuple(sorted(str(s) for s in case.all(MF.expectedStatus, node))),
        format=None if fmt is None else str(fmt),
        boolean=None if boolean is None else str(boolean).lower() == "true",
        location_variable=None if location is None else str(location),
        headers=_headers(case, node),
        body=_body(case, node)[0],
    )


def read_requests(case: Case) -> list[HttpRequest]:
    """The ordered ``ht:requests`` of a test's ``ht:Connection``."""
    action = case.one(MF.action)
    head = case.one(HT.requests, action) if action is not None else None
    if head is None:
        raise ValueError(f"{case.iri}: no ht:requests")
    requests = []
    for node in case.items(head):
        body, charset = _body(case, node)
        requests.append(HttpRequest(
            method=str(case.one(HT.methodName, node)),
            path=str(case.one(HT.absolutePath, node)),
            headers=_headers(case, node),
            body=body,
            charset=charset,
            expect=_expected(case, case.one(HT.resp, node)),
        ))
    return requests
