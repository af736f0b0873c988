"""Options shared by the store commands: one --db, and the event filters from store.query.FILTERS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..store.query import FILTERS

db_option = click.option("--db", "db", envvar="SAMBANDH_DB", metavar="URL",
                         help="Database: a SQLite file path or a postgresql:// URL "
                              "(default: $SAMBANDH_DB, else ./sambandh.db).")

_CLI_NAMES = {"min_confidence": "--min-confidence", "q": "--grep"}


def filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add one option per event filter; the command receives them as `filters` (a dict)."""
    for name in reversed(list(FILTERS)):
        fn = click.option(_CLI_NAMES.get(name, f"--{name}"), f"f_{name}", metavar=name.upper() if name != "q"
                          else "WORDS", help=FILTERS[name])(fn)
    return fn


def take_filters(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Pop the filter options out of a command's keyword arguments, keeping those given."""
    out = {k[2:]: kwargs.pop(k) for k in [k for k in kwargs if k.startswith("f_")]}
    return {k: v for k, v in out.items() if v not in (None, "")}


def open_db(db: str | None):
    from ..store import open_store

    return open_store(db)
