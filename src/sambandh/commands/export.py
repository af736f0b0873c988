"""`sambandh export`: stored events to JSON Lines, CSV, Parquet or a GDELT-style TSV."""

from __future__ import annotations

import sys
from typing import Any

import click

from ._store import db_option, filter_options, open_db, take_filters


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "gdelt"]), default="jsonl",
              show_default=True, help="gdelt: one row per story in the GDELT 2.0 event columns.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (required for parquet).")
@click.option("--header", is_flag=True, help="gdelt: write a header row.")
@filter_options
def export(db: str | None, fmt: str, output: str | None, header: bool, **kwargs: Any) -> None:
    """Export events (all, or those matching the filters).

    \b
    sambandh export --format parquet -o events.parquet --dyad IND-RUS
    sambandh export --format csv --since 2025-01-01 > events.csv
    """
    from ..store.export import export as run

    filters = take_filters(kwargs)
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet needs -o FILE")
    store = open_db(db)
    try:
        if fmt == "parquet":
            assert output
            n = run(store, fmt, output, filters)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                n = run(store, fmt, fh, filters, header)
        else:
            n = run(store, fmt, sys.stdout, filters, header)
    finally:
        store.close()
    click.echo(f"sambandh: {n} {'stories' if fmt == 'gdelt' else 'events'} written"
               + (f" to {output}" if output else ""), err=True)
