"""A small lexer over SPARQL text, for the few decisions that must not cost a full parse.

Strings, IRIs and comments are recognised as whole tokens so that a keyword inside them is
never mistaken for one; prefixed names (``ex:from``) and variables (``?service``) are single
tokens too. Parsing a query with rdflib costs about 5 ms, 25 times a simple pyoxigraph
query; these scans cost microseconds and run on every request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import FeatureDisabledError

_TOKEN = re.compile(
    r"""
      (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
        | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '(?:[^'\\\n]|\\.)*'
        | "(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<comment>\#[^\n]*)
    | (?P<variable>[?$]\w+)
    | (?P<pname>[\w.-]*:[\w.:%-]*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<punct>[{}();,.])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # braces open before this token

    def is_keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokens(text: str) -> Iterator[Token]:
    """Yield the tokens of ``text`` that matter for keyword decisions, with brace depth.

    >>> [t.text for t in tokens("SELECT * { ?s <http://ex/a#b> 'x' } # from")]
    ['SELECT', '{', '?s', '<http://ex/a#b>', "'x'", '}', '# from']
    """
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        value = match.group()
        if value == "}":
            depth -= 1
        yield Token(kind, value, match.start(), depth)
        if value == "{":
            depth += 1


def has_keyword(text: str, *words: str) -> bool:
    """Whether any of ``words`` occurs as a keyword (case-insensitive) in ``text``.

    >>> has_keyword("SELECT * { ?s ?p 'LOAD' }", "LOAD")
    False
    >>> has_keyword("select * { service <http://ex/> { ?s ?p ?o } }", "SERVICE")
    True
    """
    lowered = text.lower()
    if not any(word.lower() in lowered for word in words):
        return False
    return any(token.is_keyword(*words) for token in tokens(text))


def refuse_fetching(text: str, *, allow_load: bool, allow_service: bool) -> None:
    """Refuse a request that would make the server fetch a URL it was not allowed to.

    pyoxigraph follows ``LOAD <url>`` and ``SERVICE <url>`` by itself, with no allow-list
    and no timeout; unguarded, any request could make the server fetch any URL.

    :raises FeatureDisabledError: naming the feature and the setting that enables it.

    >>> refuse_fetching("LOAD <file:///etc/passwd>", allow_load=False, allow_service=False)
    Traceback (most recent call last):
    ...
    kg.errors.FeatureDisabledError: LOAD is disabled on this server (setting allow_load)
    """
    if not allow_load and has_keyword(text, "LOAD"):
        raise FeatureDisabledError("LOAD is disabled on this server (setting allow_load)")
    if not allow_service and has_keyword(text, "SERVICE"):
        raise FeatureDisabledError("SERVICE is disabled on this server (setting allow_service)")

