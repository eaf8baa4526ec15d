"""Refuse RDF/XML whose entity declarations would expand without bound ("billion laughs").

pyoxigraph 0.5.13's RDF/XML parser expands internal entities: a 1 KB document declaring ten
nested entities parses into a 3 GB literal (measured: 26 s, 9 GB of memory). Entities are
legitimate in RDF/XML (``&rdf;`` for namespaces), so they are not refused outright: their
expanded sizes are computed from the DTD's internal subset before parsing, and a document
whose entities would expand past a bound is refused.
"""

from __future__ import annotations

import re

from kg.errors import RdfSyntaxError

MAX_ENTITY_BYTES = 64 * 1024
MAX_EXPANSION_BYTES = 16 * 1024 * 1024
PROLOG_BYTES = 1024 * 1024  # the DTD must end within the first MB

_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S)
_ENTITY = re.compile(
    rb"<!ENTITY\s+(%\s+)?([^\s%;&<>\"']+)\s+(?:\"([^\"]*)\"|'([^']*)'|(\w+))", re.S)
_REFERENCE = re.compile(rb"&([^\s;&#]+);")


def check_entity_expansion(head: bytes, *, source: str | None = None) -> None:
    """Refuse a document whose DTD entities expand past the bounds; ``head`` is its start.

    :raises RdfSyntaxError: naming the entity, when one would expand too far.

    >>> check_entity_expansion(b'<!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>')
    >>> bomb = b'<!DOCTYPE r [<!ENTITY a "xxxxxxxxxx">' + b"".join(
    ...     b'<!ENTITY a%d "%s">' % (i + 1, (b"&a%d;" % i if i else b"&a;") * 10)
    ...     for i in range(9)) + b']><r>&a9;</r>'
    >>> check_entity_expansion(bomb)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.RdfSyntaxError: RDF syntax error: entity 'a4' would expand to 100000 bytes; ...
    """
    if b"<!DOCTYPE" not in head[:PROLOG_BYTES]:
        return
    match = _DOCTYPE.search(head[:PROLOG_BYTES])
    if match is None:
        raise RdfSyntaxError(f"the DTD does not end within the first {PROLOG_BYTES} bytes",
                             source=source)
    definitions: dict[bytes, bytes | None] = {}
    for entity in _ENTITY.finditer(match.group(1)):
        value = entity.group(3) if entity.group(3) is not None else entity.group(4)
        definitions[entity.group(2)] = value  # None: an external entity, never fetched
    sizes: dict[bytes, int] = {}
    for name in definitions:
        _size(name, definitions, sizes, source)
    body = head[match.end():]
    total = sum(sizes.get(ref, 0) for ref in _REFERENCE.findall(body))
    if total > MAX_EXPANSION_BYTES:
        raise RdfSyntaxError(
            f"entity references would expand to {total} bytes; the limit is "
            f"{MAX_EXPANSION_BYTES}", source=source)


def _size(name: bytes, definitions: dict[bytes, bytes | None], sizes: dict[bytes, int],
          source: str | None, depth: int = 0) -> int:
    if name in sizes:
        return sizes[name]
    value = definitions.get(name)
    if value is None or depth > 20:
        sizes[name] = 0
        return 0
    sizes[name] = 0  # a cycle counts as nothing here; the parser rejects it
    size = len(_REFERENCE.sub(b"", value)) + sum(
        _size(ref, definitions, sizes, source, depth + 1) for ref in _REFERENCE.findall(value))
    if size > MAX_ENTITY_BYTES:
        raise RdfSyntaxError(
            f"entity '{name.decode(errors='replace')}' would expand to {size} bytes; "
            f"the limit is {MAX_ENTITY_BYTES}", source=source)
    sizes[name] = size
    return size
