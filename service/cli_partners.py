"""``htkg partner add|list|remove`` and ``htkg harvest``: the partner registry from the shell.

Both open the store, which a running server holds locked: they then say so, and the admin
API (``PUT /admin/partners/{id}``, ``POST /admin/partners/{id}/harvest``) does the same job.
"""

from __future__ import annotations

import json
from typing import Any

import click

from kg.access import Tlp
from kg.partners import Partner, PartnerRegistry, SharedGraph
from kg.store import EmbeddedStore
from service.cli_options import store_options
from service.settings import Settings


@click.group()
def partner() -> None:
    """Register the partner organisations whose endpoints htkg may query and harvest.

    \b
    Example:
        htkg partner add fiu-ke --org fiu-ke --endpoint https://fiu.example/sparql
    """


@partner.command("add")
@click.argument("partner_id")
@click.option("--org", required=True, help="The partner's organisation.")
@click.option("--endpoint", "endpoints", multiple=True, required=True,
              help="Its SPARQL endpoint URL (repeat for more).")
@click.option("--header", "headers", multiple=True,
              help='A header to send it, "Name: value" (credentials).')
@click.option("--timeout", "timeout_s", type=float, default=10.0, show_default=True,
              help="Time limit of one call, seconds.")
@click.option("--max-rows", type=int, default=10_000, show_default=True,
              help="Most solutions taken from one call.")
@click.option("--share", "shares", multiple=True,
              help="NAME=GRAPH-IRI[@TLP]: a graph of the partner to harvest into "
                   "graph/partner/{org}/NAME (TLP default AMBER).")
@store_options
def add(settings: Settings, partner_id: str, org: str, endpoints: tuple[str, ...],
        headers: tuple[str, ...], timeout_s: float, max_rows: int, shares: tuple[str, ...],
        **_: Any) -> None:
    """Register (or replace) a partner; its endpoints join the SERVICE allow-list.

    \b
    Example:
        htkg partner add fiu-ke --org fiu-ke --endpoint https://fiu.example/sparql \\
            --header "Authorization: Bearer s3cret" --timeout 5 \\
            --share cases=https://fiu.example/graph/cases@AMBER
    """
    try:
        registered = Partner(partner_id, org, endpoints, tuple(_header(h) for h in headers),
                             timeout_s, max_rows, tuple(_share(s) for s in shares))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    PartnerRegistry(EmbeddedStore.open(settings.store), base_iri=settings.base_iri).save(
        registered)
    click.echo(f"registered partner {partner_id} ({len(endpoints)} endpoint(s))", err=True)


@partner.command("list")
@store_options
def list_partners(settings: Settings, **_: Any) -> None:
    """List partners as JSON lines (header names only, never their values).

    \b
    Example:
        htkg partner list
    """
    registry = PartnerRegistry(EmbeddedStore.open(settings.store), base_iri=settings.base_iri)
    for registered in registry.all():
        click.echo(json.dumps(registered.public()))


@partner.command("remove")
@click.argument("partner_id")
@store_options
def remove(settings: Settings, partner_id: str, **_: Any) -> None:
    """Remove a partner; its endpoints leave the allow-list (harvested graphs stay).

    \b
    Example:
        htkg partner remove fiu-ke
    """
    registry = PartnerRegistry(EmbeddedStore.open(settings.store), base_iri=settings.base_iri)
    if not registry.remove(partner_id):
        raise click.ClickException(f"there is no partner {partner_id!r}")
    click.echo(f"removed partner {partner_id}", err=True)


@click.command()
@click.argument("partner_id")
@store_options
def harvest(settings: Settings, partner_id: str, **_: Any) -> None:
    """Copy a partner's shared graphs into graph/partner/{org}/..., validated.

    Prints one JSON line per graph: written, unchanged (nothing written), quarantined (it
    violated the shapes: kept aside with its report, see GET /admin/quarantine) or failed.
    Exits 1 unless every graph was written or unchanged.

    \b
    Example:
        htkg harvest fiu-ke
        {"partner": "fiu-ke", "graph": ".../graph/partner/fiu-ke/cases", "outcome": "written", ...}
    """
    from service.app import create_app

    app = create_app(settings)
    state = app.extensions["htkg"]
    try:
        found = state.federation.registry.get(partner_id)
        if found is None:
            raise click.ClickException(f"there is no partner {partner_id!r}")
        outcomes = state.harvester.harvest(found)
    finally:
        state.workers.shutdown()
    for outcome in outcomes:
        click.echo(json.dumps(outcome.as_json()))
    if any(o.outcome not in ("written", "unchanged") for o in outcomes):
        raise SystemExit(1)


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise click.BadParameter(f'{text!r} is not "Name: value"', param_hint="--header")
    return name.strip(), value.strip()


def _share(text: str) -> SharedGraph:
    name, equals, rest = text.partition("=")
    remote, _, level = rest.partition("@")
    if not equals or not name or not remote:
        raise click.BadParameter(f"{text!r} is not NAME=GRAPH-IRI[@TLP]", param_hint="--share")
    try:
        return SharedGraph(name, remote, Tlp(level or "AMBER"))
    except ValueError:
        raise click.BadParameter(f"{level!r} is not a TLP level", param_hint="--share") from None
