"""A small lexer over SPARQL text, for the few decisions that must not cost a full parse.

Strings, IRIs and comments are recognised as whole tokens so that a keyword inside them is
never mistaken for one; prefixed names (``ex:from``) and variables (``?service``) are single
tokens too. Parsing a query with rdflib costs about 5 ms, 25 times a simple pyoxigraph
query; these scans cost microseconds and run on every request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urljoin

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


class Token(NamedTuple):
    """A token with its position; a named tuple because a lexer makes many (a frozen
    dataclass costs 0.8 us each to build, the tuple a tenth of that)."""

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



class IriResolver:
    """Turns the IRI and prefixed-name tokens of a text into absolute IRIs, as its parser would.

    >>> resolver = IriResolver("BASE <http://ex/a/> PREFIX g: <http://ex/g/> ASK {}", None)
    >>> resolver.resolve(Token("pname", "g:x", 0, 0)), resolver.resolve(Token("iri", "<b>", 0, 0))
    ('http://ex/g/x', 'http://ex/a/b')
    """

    def __init__(self, text: str, base_iri: str | None) -> None:
        self.base = base_iri or ""
        self.prefixes: dict[str, str] = {}
        found = [t for t in tokens(text) if t.kind != "comment"]
        for i, token in enumerate(found[:-1]):
            following = found[i + 1]
            if token.is_keyword("BASE") and following.kind == "iri":
                self.base = urljoin(self.base, following.text[1:-1])
            elif (token.is_keyword("PREFIX") and following.kind == "pname"
                  and i + 2 < len(found) and found[i + 2].kind == "iri"):
                self.prefixes[following.text[:-1]] = urljoin(self.base, found[i + 2].text[1:-1])

    def resolve(self, token: Token) -> str | None:
        """The absolute IRI a token stands for; ``None`` when it is not an IRI (a variable)."""
        if token.kind == "iri":
            return urljoin(self.base, token.text[1:-1])
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + local
        return None


def iris_after(text: str, keyword: str, *, base_iri: str | None,
               skipping: tuple[str, ...] = ()) -> list[tuple[str, str | None]]:
    """For each ``keyword`` in ``text``: the word after it (one of ``skipping``, or "") and the
    IRI that follows, resolved (``None`` when it is a variable or anything but an IRI).

    >>> iris_after("SELECT * FROM <http://ex/a> FROM NAMED <http://ex/b> {}", "FROM",
    ...            base_iri=None, skipping=("NAMED",))
    [('', 'http://ex/a'), ('NAMED', 'http://ex/b')]
    """
    if keyword.lower() not in text.lower():
        return []
    resolver: IriResolver | None = None
    found = [t for t in tokens(text) if t.kind != "comment"]
    targets: list[tuple[str, str | None]] = []
    for i, token in enumerate(found):
        if not token.is_keyword(keyword):
            continue
        j = i + 1
        modifier = ""
        if j < len(found) and found[j].is_keyword(*skipping):
            modifier = found[j].text.upper()
            j += 1
        resolver = resolver or IriResolver(text, base_iri)
        targets.append((modifier, resolver.resolve(found[j]) if j < len(found) else None))
    return targets
