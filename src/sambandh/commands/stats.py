"""`sambandh stats`: what the store holds."""

from __future__ import annotations

import json

import click

from ._store import db_option, open_db


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--rejects", is_flag=True, help="Also list the rejected inputs and why.")
def stats(db: str | None, fmt: str, rejects: bool) -> None:
    """Counts of documents, events, stories, agreements, actors and rejects; types, dyads, date range."""
    store = open_db(db)
    try:
        out = store.stats()
        if rejects:
            out["rejected"] = store.rejects(1000)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"sambandh store {out['database']} (schema {out['schema']})", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    for key in ("documents", "events", "stories", "agreements", "commitments", "entities", "actors", "sources",
                "rejects"):
        table.add_row(key, str(out[key]))
    table.add_row("dates", f"{out['first_date'] or '?'} … {out['last_date'] or '?'}")
    for key in ("extractors", "languages", "by_type", "by_quad", "top_dyads"):
        table.add_row(key.replace("_", " "), ", ".join(f"{k} {v}" for k, v in out[key].items()))
    Console(width=160).print(table)
    for r in out.get("rejected", []):
        click.echo(f"rejected {r['origin']}" + (f": {r['place']}" if r["place"] else "") + f" [{r['stage']}]: "
                   f"{r['reason']}")
