"""`sambandh events`: stored events, filtered."""

from __future__ import annotations

import json
from typing import Any

import click

from ._store import db_option, filter_options, open_db, take_filters


@click.command()
@db_option
@filter_options
@click.option("--limit", default=50, show_default=True, help="Events per page.")
@click.option("--cursor", help="Continue after the page that printed this cursor.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "json", "csv"]), default="table",
              show_default=True)
def events(db: str | None, limit: int, cursor: str | None, fmt: str, **kwargs: Any) -> None:
    """Events in the store, in date order, filtered by dyad, actor, type, quad class, topic, modality, dates.

    \b
    sambandh events --dyad IND-RUS --since 2025-01-01 --type CONSULT
    sambandh events --dyad IND>RUS --format jsonl
    """
    filters = take_filters(kwargs)
    store = open_db(db)
    try:
        page = store.query_events(filters, limit, cursor)
    finally:
        store.close()
    evs = page["events"]
    if fmt == "jsonl":
        for ev in evs:
            click.echo(json.dumps(ev, ensure_ascii=False))
    elif fmt == "json":
        click.echo(json.dumps(page, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import sys

        from ..store.export import write_csv

        write_csv(evs, sys.stdout)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for col in ("id", "date", "event", "actor", "recipient", "modality", "story", "evidence"):
            table.add_column(col, overflow="fold")

        def who(a: dict[str, Any]) -> str:
            return " ".join(x for x in (a.get("code") or "?", a.get("name") or a.get("office") or "") if x)

        for ev in evs:
            table.add_row(str(ev["id"]), ev.get("date") or "", ev["event"] + ("/" + ev["mode"] if ev.get("mode") else ""),
                          who(ev.get("actor") or {}), who(ev.get("recipient") or {}), ev.get("modality") or "",
                          str(ev.get("story") or ""), (ev.get("evidence") or "")[:120])
        Console(width=160).print(table)
        if not evs:
            click.echo("no events match", err=True)
    if page["next"] and fmt != "json":
        click.echo(f"more: --cursor {page['next']}", err=True)
