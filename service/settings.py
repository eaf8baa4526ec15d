"""Server settings: declared once, parsed strictly, built once per app.

Precedence: defaults < TOML file (``--config`` or ``HTKG_CONFIG``) < ``HTKG_<KEY>``
environment variables < command-line flags. Every value is cast to its declared type, and an
unknown key or a bad value stops the start with a message naming the key, the value and where it
came from. Flask's own loaders are not used: they keep ``"False"`` as a truthy string and drop
lower-case keys without a word.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.curated import DEFAULT_BASE_IRI

ENV_PREFIX = "HTKG_"


class SettingsError(ValueError):
    """A setting is unknown or its value has the wrong type."""


@dataclass(frozen=True)
class Settings:
    """Everything an htkg server or command can be told; see docs/configuration.md."""

    host: str = field(default="127.0.0.1", metadata={"help": "Interface to listen on."})
    port: int = field(default=8000, metadata={"help": "TCP port to listen on."})
    store: str = field(
        default="./var/store",
        metadata={"help": "Directory of the embedded store (created if missing)."},
    )
    base_iri: str = field(
        default=DEFAULT_BASE_IRI,
        metadata={"help": "Base of every htkg IRI: terms, instances and graphs."},
    )
    union_default_graph: bool = field(
        default=True,
        metadata={
            "help": "Queries without FROM see the union of all graphs as their default graph; "
            "false gives the plain (unnamed) default graph, as the W3C suites expect."
        },
    )
    inference: bool = field(
        default=True,
        metadata={
            "help": "Queries see the inferred graph (RDFS and the OWL RL rules the ontology "
            "uses); a query may still say inference=false."
        },
    )
    admin_token: str = field(
        default="",
        metadata={"help": "Bootstrap admin bearer token (empty: no admin token)."},
    )
    allow_load: bool = field(
        default=False,
        metadata={"help": "Allow SPARQL Update LOAD (admins only), from the URLs of "
                  "load_allow_list only."},
    )
    load_allow_list: tuple[str, ...] = field(
        default=(),
        metadata={"help": "URL prefixes LOAD may fetch from (http and https only; a TOML "
                  "list, or space-separated in the environment)."},
    )
    service_allow_list: tuple[str, ...] = field(
        default=(),
        metadata={"help": "SPARQL endpoints a query's SERVICE may call (URL prefixes; empty: "
                  "SERVICE is refused). Registered partners are added."},
    )
    organisation: str = field(
        default="htkg",
        metadata={"help": "This installation's organisation: owner of its own graphs, of "
                  "graphs without a policy, and of the bootstrap admin token."},
    )
    anonymous_read: bool = field(
        default=False,
        metadata={"help": "Let requests without a token read CLEAR graphs (otherwise 401)."},
    )
    cors_origins: tuple[str, ...] = field(
        default=("*",),
        metadata={"help": "Web origins whose pages may call /sparql, /.well-known/void, "
                  "/id/..., /search and /export from a browser (CORS; e.g. "
                  "https://yasgui.org); * for any, empty: CORS off. Never with credentials."},
    )
    tokens_file: str = field(
        default="",
        metadata={"help": "File of token hashes (default: <store>.tokens.json)."},
    )
    audit_log: str = field(
        default="",
        metadata={"help": "JSON-lines audit log of writes and denials (default: "
                  "<store>.audit.jsonl)."},
    )
    query_timeout_s: float = field(
        default=30.0,
        metadata={"help": "Time limit of a query in seconds; a client may ask for less with "
                  "the parameter timeout, never more (503 beyond)."},
    )
    max_result_rows: int = field(
        default=100_000,
        metadata={"help": "Most solutions or triples in one answer; a longer answer is cut "
                  "and says so (header HTKG-Result-Truncated). 0: no limit."},
    )
    max_concurrent_queries: int = field(
        default=4,
        metadata={"help": "Queries one token (or one anonymous address) may run at once "
                  "(429 beyond)."},
    )
    rate_limit_per_minute: int = field(
        default=1200,
        metadata={"help": "Requests per minute per token (or anonymous address), in bursts "
                  "of up to this many (429 beyond). 0: no limit."},
    )
    auth_failures_per_minute: int = field(
        default=20,
        metadata={"help": "Failed authentications per minute per client address before its "
                  "requests are refused without checking (429)."},
    )
    threads: int = field(default=8, metadata={"help": "Worker threads of the HTTP server."})
    query_workers: int = field(
        default=4,
        metadata={
            "help": "Processes evaluating queries in parallel (pyoxigraph holds the GIL while "
            "it evaluates, so threads alone would use one core)."
        },
    )
    query_views: int = field(
        default=8,
        metadata={
            "help": "Views kept per store state: copies holding only the graphs one audience "
            "may read, on which its queries run as fast as an admin's (0: none; docs/access.md)."
        },
    )
    max_query_bytes: int = field(
        default=1_000_000,
        metadata={"help": "Largest accepted query or update text, in bytes (413 beyond)."},
    )
    max_body_bytes: int = field(
        default=128 * 1024 * 1024,
        metadata={"help": "Largest accepted request body, in bytes (413 beyond)."},
    )
    log_level: str = field(
        default="INFO", metadata={"help": "Logging level: DEBUG, INFO, WARNING or ERROR."}
    )


    def tokens_path(self) -> Path:
        """Where token hashes are kept: beside the store unless ``tokens_file`` says."""
        return Path(self.tokens_file or f"{self.store.rstrip('/')}.tokens.json")

    def quarantine_path(self) -> Path:
        """Where harvested data that failed validation is kept, with its report."""
        return Path(f"{self.store.rstrip('/')}.quarantine")

    def audit_path(self) -> Path:
        return Path(self.audit_log or f"{self.store.rstrip('/')}.audit.jsonl")


def own_url(settings: Settings) -> str:
    """How this server reaches itself: its query workers call back through it for SERVICE."""
    host = settings.host if settings.host not in ("0.0.0.0", "", "::") else "127.0.0.1"
    return f"http://{'[' + host + ']' if ':' in host else host}:{settings.port}"


def setting_fields() -> tuple[dataclasses.Field[object], ...]:
    return dataclasses.fields(Settings)


def load_settings(
    config_file: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Settings:
    """Build the settings from defaults, a TOML file, the environment and explicit overrides.

    :raises SettingsError: naming the key, the value and its origin.
    """
    environ = {} if environ is None else environ
    values: dict[str, object] = {}
    config_file = config_file or environ.get(f"{ENV_PREFIX}CONFIG") or None
    if config_file:
        values.update(_from_toml(Path(config_file)))
    known = {f.name: f for f in setting_fields()}
    for key, raw in environ.items():
        if not key.startswith(ENV_PREFIX) or key == f"{ENV_PREFIX}CONFIG":
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name not in known:
            raise SettingsError(f"unknown setting {key} in the environment")
        values[name] = _cast(known[name], raw, origin=f"environment variable {key}")
    for name, value in (overrides or {}).items():
        if value is None:
            continue
        if name not in known:
            raise SettingsError(f"unknown setting '{name}'")
        values[name] = _cast(known[name], value, origin=f"option --{name.replace('_', '-')}")
    return Settings(**values)  # type: ignore[arg-type]


def _from_toml(path: Path) -> dict[str, object]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"cannot read the configuration file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"configuration file {path} is not valid TOML: {exc}") from exc
    known = {f.name: f for f in setting_fields()}
    values = {}
    for name, raw in data.items():
        if name not in known:
            raise SettingsError(f"unknown setting '{name}' in {path}")
        values[name] = _cast(known[name], raw, origin=str(path))
    return values


def _cast(spec: dataclasses.Field[object], raw: object, *, origin: str) -> object:
    expected = _field_type(spec)
    try:
        if expected is bool:
            return _as_bool(raw)
        if expected is int or expected is float:
            if isinstance(raw, bool):
                raise ValueError
            return expected(raw)  # type: ignore[call-overload]
        if expected is tuple:
            items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
            if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
                raise ValueError
            return tuple(items)
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            return str(raw)
        raise ValueError
    except ValueError:
        raise SettingsError(
            f"setting '{spec.name}' has value {raw!r} from {origin}; "
            f"expected {expected.__name__}"
        ) from None


def _field_type(spec: dataclasses.Field[object]) -> type:
    hints = typing.get_type_hints(Settings)
    hint = hints[spec.name]
    if isinstance(hint, types.UnionType):
        hint = next(a for a in hint.__args__ if a is not type(None))
    return typing.get_origin(hint) or hint  # type: ignore[no-any-return]


def _as_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(raw)
