"""`sambandh dyad`: what happened between two actors, period by period."""

from __future__ import annotations

import json
from typing import Any

import click

from ._store import db_option, filter_options, open_db, take_filters


@click.command()
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--by", type=click.Choice(["day", "week", "month", "year", "all"]), default="month", show_default=True)
@click.option("--directed", is_flag=True, help="Only A acting on B.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@filter_options
def dyad(a: str, b: str, db: str | None, by: str, directed: bool, fmt: str, **kwargs: Any) -> None:
    """Counts by event type and quad class, Goldstein mean and topics per period for A and B, with their
    agreements and each agreement's status history.

    \b
    sambandh dyad IND RUS --by month --format json
    """
    filters = take_filters(kwargs)
    filters.pop("dyad", None)
    store = open_db(db)
    try:
        out = store.dyad_series(a, b, by, directed, filters)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160)
    table = Table(title=f"{out['a']} {'→' if directed else '↔'} {out['b']}: {out['events']} events")
    for col in ("period", "events", "stories", f"{out['a']}>{out['b']}", f"{out['b']}>{out['a']}", "goldstein",
                "by type", "by quad", "topics"):
        table.add_column(col, overflow="fold")
    for p in out["periods"]:
        table.add_row(p["period"], str(p["events"]), str(p["stories"]), str(p[f"{out['a']}>{out['b']}"]),
                      str(p[f"{out['b']}>{out['a']}"]),
                      "" if p["goldstein_mean"] is None else f"{p['goldstein_mean']:+.2f}",
                      ", ".join(f"{k} {v}" for k, v in p["by_type"].items()),
                      ", ".join(f"Q{k} {v}" for k, v in p["by_quad"].items()),
                      ", ".join(list(p["topics"])[:5]))
    console.print(table)
    for ag in out["agreements"]:
        steps = " → ".join(f"{h['status']} ({h['date'] or '?'})" for h in ag["history"])
        console.print(f"agreement #{ag['id']} {'-'.join(ag['parties'])} [{ag['status']}] {ag['title'] or ''}: {steps}")
