"""The little the runner needs to know about a query's text, found without a SPARQL parser.

Three facts: the top-level ORDER BY variables (to know whether and where order matters), the
IRIs of FROM / FROM NAMED (to preload the test files they name), and whether the request
would need the network (SERVICE, LOAD). A full parser would tie the runner to one engine's
idea of the grammar; a scanner that blanks out comments, strings and IRIs is enough here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEXEME = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)',
    re.S,
)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7-\uFFFF]+)")
_SIMPLE_KEY = re.compile(r"(?:(?:ASC|DESC)\s*\(\s*)?[?$]\w+\s*\)?", re.I)


@dataclass(frozen=True)
class QueryFacts:
    """What ``scan`` found; ``order_vars`` is None when there is no top-level ORDER BY."""

    order_vars: list[str] | None
    order_vars_complete: bool
    from_iris: list[str]
    needs_network: bool


def _skeleton(text: str) -> str:
    """The text with comments and strings blanked and IRIs kept, so braces can be counted."""
    def blank(match: re.Match[str]) -> str:
        if match["comment"] is not None:
            return " " * len(match[0])
        if match["string"] is not None:
            return '""' + " " * (len(match[0]) - 2)
        return match[0]

    return _LEXEME.sub(blank, text)


def _top_level_order_by(skeleton: str) -> str | None:
    depth = 0
    start = None
    for match in re.finditer(r"[{}]|\bORDER\s+BY\b", skeleton, re.I):
        token = match[0]
        if token == "{":
            depth += 1
            start = None
        elif token == "}":
            depth -= 1
        elif depth == 0:
            start = match.end()
    if start is None:
        return None
    clause = re.split(r"\b(?:LIMIT|OFFSET|VALUES)\b", skeleton[start:], maxsplit=1,
                      flags=re.I)[0]
    return clause


def _order_keys(clause: str) -> tuple[list[str], bool]:
    """Variables in the ORDER BY keys, and whether every key is a plain (ASC/DESC) variable."""
    names = _VARIABLE.findall(_LEXEME.sub(" ", clause))
    keys = [k for k in re.split(r"(?<=\))\s+|\s+(?=[?$(A-Za-z])", clause.strip()) if k]
    simple = all(_SIMPLE_KEY.fullmatch(k.strip()) for k in keys)
    return list(dict.fromkeys(names)), simple


def scan(text: str) -> QueryFacts:
    """Scan a query or update.

    >>> facts = scan("SELECT ?x FROM <d.ttl> { ?x ?p ?o } ORDER BY DESC(?x) LIMIT 2")
    >>> facts.order_vars, facts.order_vars_complete, facts.from_iris
    (['x'], True, ['d.ttl'])
    >>> scan("SELECT * { { SELECT ?x {} ORDER BY ?x } }").order_vars is None
    True
    """
    skeleton = _skeleton(text)
    clause = _top_level_order_by(skeleton)
    order_vars, complete = _order_keys(clause) if clause is not None else (None, True)
    from_iris = re.findall(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", skeleton, re.I)
    network = re.search(r"\b(?:SERVICE|LOAD)\b", skeleton, re.I) is not None
    return QueryFacts(order_vars, complete, from_iris, network)


def with_base(text: str, base: str) -> str:
    """Prefix ``BASE <base>`` so relative IRIs resolve against the test file's location.

    The SPARQL Protocol has no parameter for a base IRI, and servers would otherwise resolve
    against something of their own choosing. A later BASE in the text still applies, resolved
    against this one, exactly as if the file had been read from that location.
    """
    return f"BASE <{base}>\n{text.removeprefix(chr(0xFEFF))}"
