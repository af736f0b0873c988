"""`sambandh ingest` and `sambandh reprocess`: news into the store."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ._store import db_option, open_db


def _progress(enabled: bool):
    """A rich progress line on stderr: documents read, documents/s, events stored."""
    if not enabled:
        return None, None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=False)
    task = bar.add_task("starting", total=None)

    def update(r) -> None:
        bar.update(task, description=f"{r.read} documents read · {r.docs_per_s:.1f} docs/s · {r.stored} new · "
                                     f"{r.skipped} already stored · {r.events} events · {r.rejects} rejected")
    return bar, update


@click.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--batch-size", default=100, show_default=True, help="Documents per transaction.")
@click.option("--no-follow", is_flag=True, help="Feeds: store the entry text instead of fetching each page.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait for a web server.")
@click.option("--max-bytes", default=20 * 1024 * 1024, show_default=True, help="Largest page or file to download.")
@click.option("--delay", default=0.0, show_default=True, help="Seconds between web requests.")
@click.option("--lang", help="Language of every document (hi, en); default: given or detected per document.")
@click.option("--window", default=3, show_default=True, help="Days apart two reports can be and still be one story.")
@click.option("--kb", "kb_paths", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Extra knowledge folder (repeatable).")
@click.option("--jobs", "-j", default=1, show_default=True, help="Extraction processes (0: one per CPU).")
@click.option("--progress/--no-progress", default=None, help="Progress line on stderr (default: when a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def ingest(sources: tuple[str, ...], db: str | None, batch_size: int, no_follow: bool, timeout: float,
           max_bytes: int, delay: float, lang: str | None, window: int, kb_paths: tuple[str, ...],
           jobs: int, progress: bool | None, as_json: bool) -> None:
    """Read news into the store (SQLite ./sambandh.db by default).

    SOURCES are files, folders, globs, - (JSON Lines on standard input) or
    http(s) URLs: JSON Lines or Parquet (articles, or extract records that
    carry events already), text, HTML, RSS/Atom feeds, OPML feed lists, WARC.
    Documents already stored are skipped, so running it again, or after an
    interruption, only adds what is new. Bad sources and documents are
    reported on stderr and skipped; the exit status is 1 only when nothing
    at all could be read.
    """
    from ..store.ingest import Ingester
    from ..store.sources import Fetcher

    store = open_db(db)
    bar, update = _progress(sys.stderr.isatty() if progress is None else progress)
    ing = Ingester(store, kb_paths=[Path(p) for p in kb_paths], batch_size=batch_size, window_days=window,
                   lang=lang, progress=update, jobs=jobs or os.cpu_count() or 1)
    fetcher = Fetcher(timeout=timeout, max_bytes=max_bytes, delay=delay)
    try:
        if bar:
            bar.start()
        res = ing.ingest(list(sources), follow=not no_follow, fetcher=fetcher)
    finally:
        if bar:
            bar.stop()
        store.close()
    summary = res.as_dict()
    if as_json:
        click.echo(json.dumps(summary))
    click.echo(f"sambandh: {res.read} read, {res.stored} new, {res.replaced} updated, {res.skipped} already stored, "
               f"{res.events} events, {res.rejects} rejected, {res.bad_sources} bad source(s) "
               f"in {res.seconds:.1f}s ({res.docs_per_s:.1f} docs/s) -> {store.url}", err=True)
    if res.read == 0 and (res.rejects or res.bad_sources):
        sys.exit(1)


@click.command()
@db_option
@click.option("--all", "everything", is_flag=True, help="Every document, not only those of other extractor versions.")
@click.option("--limit", type=int, help="At most this many documents.")
@click.option("--batch-size", default=100, show_default=True)
@click.option("--kb", "kb_paths", multiple=True, type=click.Path(exists=True, file_okay=False))
@click.option("--jobs", "-j", default=1, show_default=True, help="Extraction processes (0: one per CPU).")
@click.option("--progress/--no-progress", default=None)
def reprocess(db: str | None, everything: bool, limit: int | None, batch_size: int, kb_paths: tuple[str, ...],
              jobs: int, progress: bool | None) -> None:
    """Re-run extraction on stored documents after a lexicon, knowledge or sambandh upgrade.

    By default only documents made by another extractor version; --all for
    every document. Stories, agreements and actors are updated to match.
    """
    from ..store.ingest import Ingester

    store = open_db(db)
    bar, update = _progress(sys.stderr.isatty() if progress is None else progress)
    ing = Ingester(store, kb_paths=[Path(p) for p in kb_paths], batch_size=batch_size, progress=update,
                   jobs=jobs or os.cpu_count() or 1)
    try:
        if bar:
            bar.start()
        res = ing.reprocess(everything=everything, limit=limit)
    finally:
        if bar:
            bar.stop()
        store.close()
    click.echo(f"sambandh: {res.replaced} document(s) reprocessed, {res.events} events, {res.rejects} failed, "
               f"{res.skipped} without text (kept) in {res.seconds:.1f}s", err=True)
