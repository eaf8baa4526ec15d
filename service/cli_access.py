"""``htkg token ...`` and ``htkg graph policy ...``: identities and sharing from the shell.

Tokens live in a file beside the store, so ``htkg token`` works while a server runs (the
server sees the change at its next request). Graph policies live in the store, which a
running server holds locked: ``htkg graph policy`` then says so, and the admin API
(``PUT /admin/policies?graph=IRI``) does the same job.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from kg.access import ORG_PATTERN, GraphPolicy, Role, Tlp
from kg.policy_store import save_policy
from kg.store import EmbeddedStore
from kg.tokens import TokenRegistry
from service.cli_options import store_options
from service.settings import Settings


@click.group()
def token() -> None:
    """Create, list and revoke bearer tokens (docs/access.md).

    \b
    Example:
        htkg token create --role analyst --org cted
    """


@token.command("create")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]),
              help="reader, analyst, partner or admin (docs/access.md).")
@click.option("--org", required=True, help="The organisation the token acts for.")
@click.option("--expires", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last day the token works (UTC), e.g. 2027-06-30.")
@store_options
def create(settings: Settings, role: str, org: str, expires: Any, **_: Any) -> None:
    """Create a token and print it, alone, on the last line: it is shown only this once.

    \b
    Example:
        htkg token create --role partner --org fiu-ke --expires 2027-06-30
        created token 3f9c2a1b7d4e (partner of fiu-ke, expires 2027-06-30)
        htkg_3f9c2a1b7d4e_...
    """
    if not ORG_PATTERN.match(org):
        raise click.BadParameter("lower-case letters, digits and '-'", param_hint="--org")
    expiry: date | None = expires.date() if expires is not None else None
    secret, record = TokenRegistry(settings.tokens_path()).create(
        role=Role(role), org=org, expires=expiry)
    until = f", expires {record.expires}" if record.expires else ""
    click.echo(f"created token {record.id} ({role} of {org}{until})", err=True)
    click.echo(secret)


@token.command("list")
@store_options
def list_tokens(settings: Settings, **_: Any) -> None:
    """List tokens as JSON lines (never the tokens themselves).

    \b
    Example:
        htkg token list
        {"id": "3f9c2a1b7d4e", "role": "partner", "org": "fiu-ke", ...}
    """
    for record in TokenRegistry(settings.tokens_path()).records():
        click.echo(json.dumps(record.public()))


@token.command("revoke")
@click.argument("token_id")
@store_options
def revoke(settings: Settings, token_id: str, **_: Any) -> None:
    """Revoke a token by its id; requests with it get 401 from then on.

    \b
    Example:
        htkg token revoke 3f9c2a1b7d4e
    """
    try:
        TokenRegistry(settings.tokens_path()).revoke(token_id)
    except KeyError:
        raise click.ClickException(f"there is no token {token_id!r}") from None
    click.echo(f"revoked token {token_id}", err=True)


@click.group()
def graph() -> None:
    """Graph policies: owner, sharing level and grants (docs/access.md).

    \b
    Example:
        htkg graph policy https://w3id.org/htkg/graph/org/cted/links --owner cted --tlp GREEN
    """


@graph.command("policy")
@click.argument("graph_iri")
@click.option("--owner", required=True, help="Owner organisation.")
@click.option("--tlp", required=True, type=click.Choice([t.value for t in Tlp]),
              help="TLP 2.0 sharing level.")
@click.option("--grant", "grants", multiple=True,
              help="An organisation or token id that may also read (AMBER; RED: tokens).")
@store_options
def policy(settings: Settings, graph_iri: str, owner: str, tlp: str,
           grants: tuple[str, ...], **_: Any) -> None:
    """Set a graph's owner, sharing level and grants (the server must be stopped).

    \b
    Example:
        htkg graph policy https://w3id.org/htkg/graph/org/fiu-ke/cases \\
            --owner fiu-ke --tlp AMBER --grant cted
    """
    if not ORG_PATTERN.match(owner):
        raise click.BadParameter("lower-case letters, digits and '-'", param_hint="--owner")
    store = EmbeddedStore.open(settings.store)
    save_policy(store, GraphPolicy(graph_iri, owner, Tlp(tlp), frozenset(grants)),
                base_iri=settings.base_iri)
    click.echo(f"{graph_iri}: owner {owner}, {tlp}, grants {', '.join(grants) or 'none'}",
               err=True)
