"""Bearer tokens: created once, stored only as a slow salted hash, checked on every request.

A token reads ``htkg_<id>_<secret>``. The id finds the record without hashing anything, so
a token of another installation or a random string costs a dictionary lookup; only a known id
pays for scrypt (about 50 ms, 16 MiB: slow on purpose, against offline guessing of a stolen
file). A token already verified is remembered by its SHA-256 for the life of the process, so
a client pays scrypt once, not on every request; revocation and expiry are checked each time.

Tokens live in a JSON file beside the store (``<store>.tokens.json``), not in the store: the
CLI can create or revoke a token while a server runs (the server notices the file changed),
and dumps and exports never carry them. Writes take an exclusive lock and replace the file
atomically.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from kg.access import ORG_PATTERN, Actor, Role
from kg.errors import AuthenticationError

PREFIX = "htkg_"
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
MAX_TOKEN_CHARS = 200


@dataclass(frozen=True)
class TokenRecord:
    """What is kept of a token: never the token itself."""

    id: str
    role: str
    org: str
    created: str
    expires: str | None  # an ISO date: the token works until the end of that day (UTC)
    revoked: str | None
    salt: str
    hash: str

    def public(self) -> dict[str, object]:
        """The record without its salt and hash, as the CLI and the admin API show it."""
        shown = asdict(self)
        del shown["salt"], shown["hash"]
        return shown

    def expired(self, today: date) -> bool:
        return self.expires is not None and date.fromisoformat(self.expires) < today


class TokenRegistry:
    """The tokens of one installation, read from and written to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._records: dict[str, TokenRecord] = {}
        self._stamp: tuple[int, int] | None = None
        self._verified: dict[bytes, str] = {}  # sha256(token) -> token id

    def create(self, *, role: Role, org: str, expires: date | None = None
               ) -> tuple[str, TokenRecord]:
        """Make a token; the token is returned here and never again."""
        if not ORG_PATTERN.match(org):
            raise ValueError(f"organisation {org!r}: use lower-case letters, digits and '-'")
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_bytes(16)
        record = TokenRecord(
            id=token_id, role=role.value, org=org,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            expires=expires.isoformat() if expires else None, revoked=None,
            salt=salt.hex(), hash=_hash(secret, salt).hex(),
        )
        with self._editing() as records:
            records[token_id] = record
        return f"{PREFIX}{token_id}_{secret}", record

    def revoke(self, token_id: str) -> TokenRecord:
        """Revoke a token for good; it stays listed, marked revoked.

        :raises KeyError: when no token has this id.
        """
        with self._editing() as records:
            record = records[token_id]
            if record.revoked is None:
                record = TokenRecord(**{**asdict(record),
                                        "revoked": datetime.now(UTC).isoformat(timespec="seconds")})
                records[token_id] = record
        return record

    def records(self) -> list[TokenRecord]:
        self._refresh()
        return sorted(self._records.values(), key=lambda r: r.created)

    def authenticate(self, token: str, *, verified_only: bool = False) -> Actor:
        """The actor a bearer token stands for.

        ``verified_only`` accepts only a token this process has verified before (no scrypt):
        what a client address that keeps failing still gets.

        :raises AuthenticationError: for a malformed, unknown, wrong, expired or revoked token,
            with a message that says which, and nothing about other tokens.
        """
        if len(token) > MAX_TOKEN_CHARS or not token.startswith(PREFIX):
            raise AuthenticationError("the bearer token is not an htkg token")
        token_id, _, secret = token[len(PREFIX):].partition("_")
        self._refresh()
        record = self._records.get(token_id)
        if record is None or not secret:
            raise AuthenticationError("the bearer token is not known to this server")
        digest = hashlib.sha256(token.encode()).digest()
        if self._verified.get(digest) != token_id:
            if verified_only:
                raise AuthenticationError("too many failed authentications from this address")
            expected = bytes.fromhex(record.hash)
            if not hmac.compare_digest(_hash(secret, bytes.fromhex(record.salt)), expected):
                raise AuthenticationError("the bearer token is not known to this server")
            self._verified[digest] = token_id
        if record.revoked is not None:
            raise AuthenticationError("the bearer token was revoked")
        if record.expired(datetime.now(UTC).date()):
            raise AuthenticationError(f"the bearer token expired on {record.expires}")
        return Actor(token_id=record.id, role=Role(record.role), org=record.org)

    def _refresh(self) -> None:
        """Re-read the file when another process (the CLI) changed it."""
        try:
            status = self.path.stat()
        except FileNotFoundError:
            stamp = None
        else:
            stamp = (status.st_mtime_ns, status.st_size)
        if stamp == self._stamp:
            return
        with self._lock:
            self._records = _read(self.path)  # proofs stay: a record's hash never changes
            self._stamp = stamp

    @contextmanager
    def _editing(self) -> Iterator[dict[str, TokenRecord]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            records = _read(self.path)
            yield records
            temporary = self.path.with_name(self.path.name + ".tmp")
            with open(temporary, "w", encoding="utf-8") as out:
                json.dump({"tokens": [asdict(r) for r in records.values()]}, out, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        self._stamp = None  # re-read on next use


def _read(path: Path) -> dict[str, TokenRecord]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {item["id"]: TokenRecord(**item) for item in data["tokens"]}


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, **SCRYPT)  # type: ignore[arg-type]
