"""`sambandh extract`: articles in, records out."""

from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

import click

from ..errors import InputError, SambandhError


def _expand(sources: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for s in sources:
        if s != "-" and any(ch in s for ch in "*?["):
            found = sorted(glob.glob(s))
            if not found:
                raise InputError(f"{s}: no files match")
            out.extend(found)
        elif s != "-" and Path(s).is_dir():
            found = sorted(str(p) for p in Path(s).rglob("*") if p.suffix in (".txt", ".jsonl", ".ndjson"))
            if not found:
                raise InputError(f"{s}: folder holds no .txt or .jsonl files")
            out.extend(found)
        else:
            out.append(s)
    return out


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default=None,
              help="json (one document, pretty), jsonl (one record a line) or table. Default: json for one "
                   "plain-text article, jsonl otherwise.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
@click.option("--jsonl", "force_jsonl", is_flag=True, help="Read standard input (or files) as JSON Lines.")
@click.option("--lang", help="Language of every document (hi, en); default: detected per document.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for plain-text input.")
@click.option("--skip-bad", is_flag=True, help="Report bad documents or lines on stderr and go on.")
@click.option("--kb", "kb_paths", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Extra knowledge folder (repeatable).")
def extract(sources: tuple[str, ...], fmt: str | None, output: str | None, force_jsonl: bool, lang: str | None,
            published: str | None, skip_bad: bool, kb_paths: tuple[str, ...]) -> None:
    """Extract events, agreements and commitments from articles.

    SOURCES are plain-text files (one article each), JSON Lines files
    ({"id","text"} plus optional title, url, published, lang), folders,
    globs, or - for standard input.
    """
    from ..output import write_records
    from ..pipeline import load_pipeline
    from ..read import read_source

    paths = _expand(sources)
    pipe = load_pipeline([Path(p) for p in kb_paths])
    bad = 0

    def report(err: SambandhError) -> None:
        nonlocal bad
        bad += 1
        click.echo(f"sambandh: skipped: {err}", err=True)

    def records():
        for path in paths:
            docs = read_source(path, jsonl=force_jsonl or None, on_error=report if skip_bad else None,
                               published=published)
            try:
                for doc in docs:
                    if lang:
                        doc.lang = lang
                    try:
                        yield pipe.record(doc)
                    except SambandhError as err:
                        if not skip_bad:
                            raise
                        report(err)
            except InputError as err:
                if not skip_bad:
                    raise
                report(err)

    single = len(paths) == 1 and paths[0] != "-" and not force_jsonl and not paths[0].endswith((".jsonl", ".ndjson"))
    single = single or (paths == ["-"] and not force_jsonl)
    fmt = fmt or ("json" if single else "jsonl")
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        write_records(records(), fmt, out)
    finally:
        if output:
            out.close()
    if bad:
        click.echo(f"sambandh: {bad} bad document(s) skipped", err=True)
