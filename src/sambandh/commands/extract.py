"""`sambandh extract`: articles in, records out."""

from __future__ import annotations

import contextlib
import glob
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
@click.option("--engine", type=click.Choice(["local", "process", "ray"]), default="local", show_default=True,
              help="Where extraction runs: this process, a local pool of processes, or Ray actors.")
@click.option("--workers", type=int, default=0, help="Workers of the process or ray engine (default: all CPUs).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write shards to this folder (one per block of the input; a rerun skips shards already "
                   "written; bad documents go to DIR/_rejects/). Reads JSON Lines and Parquet.")
@click.option("--shard-format", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True,
              help="Shards as JSON Lines records, or Parquet with columns id, extractor, record (JSON).")
@click.option("--shard-mb", type=float, default=32.0, show_default=True, help="Input megabytes per shard.")
@click.option("--address", help="Ray cluster to use with --engine ray: auto, or ray://HEAD:10001 "
                                "(default: start Ray on this machine).")
def extract(sources: tuple[str, ...], fmt: str | None, output: str | None, force_jsonl: bool, lang: str | None,
            published: str | None, skip_bad: bool, kb_paths: tuple[str, ...], engine: str, workers: int,
            out_dir: str | None, shard_format: str, shard_mb: float, address: str | None) -> None:
    """Extract events, agreements and commitments from articles.

    SOURCES are plain-text files (one article each), JSON Lines files
    ({"id","text"} plus optional title, url, published, lang), folders,
    globs, or - for standard input. With --out, JSON Lines or Parquet files
    become a folder of shards (`sambandh ingest DIR` loads them).
    """
    from ..output import write_records
    from ..pipeline import load_pipeline
    from ..read import read_source

    if workers < 0:
        raise InputError(f"--workers must be 0 (all CPUs) or more, got {workers}")
    if address and engine != "ray":
        raise InputError("--address is for --engine ray")
    if engine == "ray":
        from ..engines_ray import _ray

        _ray()  # without Ray: one line saying how to install it
    if out_dir and (output or fmt):
        raise InputError("--out writes a folder of shards; -o and --format are for records without --out")
    if out_dir:
        _extract_shards(sources, out_dir, engine=engine, workers=workers, fmt=shard_format, shard_mb=shard_mb,
                        kb_paths=kb_paths, lang=lang, address=address)
        return
    paths = _expand(sources)
    pipe = load_pipeline([Path(p) for p in kb_paths])
    bad = 0

    def report(err: SambandhError) -> None:
        nonlocal bad
        bad += 1
        click.echo(f"sambandh: skipped: {err}", err=True)

    def records():
        if engine != "local":
            yield from _engine_records(paths, engine, workers, force_jsonl, published, lang, skip_bad, report,
                                       kb_paths, address)
            return
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
    with open(output, "w", encoding="utf-8") if output else contextlib.nullcontext(sys.stdout) as out:
        write_records(records(), fmt, out)
    if bad:
        click.echo(f"sambandh: {bad} bad document(s) skipped", err=True)


def _engine_records(paths, engine, workers, force_jsonl, published, lang, skip_bad, report, kb_paths, address):
    """Records in input order from the process or ray engine (documents are read here, extracted there)."""
    from ..engines import run_engine
    from ..read import read_source

    def objs():
        for path in paths:
            try:
                for doc in read_source(path, jsonl=force_jsonl or None, on_error=report if skip_bad else None,
                                       published=published):
                    obj = {"id": doc.id, "text": doc.text, **doc.meta}
                    for key in ("title", "url", "published", "lang"):
                        if getattr(doc, key):
                            obj[key] = getattr(doc, key)
                    if lang:
                        obj["lang"] = lang
                    yield obj
            except InputError as err:
                if not skip_bad:
                    raise
                report(err)

    yield from run_engine(engine, objs(), workers, kb_paths=tuple(kb_paths), address=address,
                          on_error=(lambda obj, err: report(err)) if skip_bad else None)


def _extract_shards(sources, out_dir, *, engine, workers, fmt, shard_mb, kb_paths, lang, address) -> None:
    """`extract --out DIR`: every block of the input becomes one shard; shards already written are skipped."""
    import time

    from ..engines import write_shards
    from ..engines_shards import REJECTS, expand_inputs, pending, plan, prepare_out

    t0 = time.perf_counter()
    tasks = plan(expand_inputs(sources), shard_mb)
    prepare_out(out_dir, fmt, shard_mb)
    todo, done = pending(tasks, out_dir, fmt)
    totals = {"docs": 0, "records": 0, "events": 0, "rejects": 0}
    written = 0
    for summary in write_shards(engine, todo, out_dir, fmt=fmt, workers=workers, kb_paths=tuple(kb_paths),
                                lang=lang, address=address):
        if summary.get("skipped"):
            done += 1
            continue
        written += 1
        for key in totals:
            totals[key] += summary.get(key, 0)
    seconds = time.perf_counter() - t0
    rejected = f" (reasons in {Path(out_dir) / REJECTS})" if totals["rejects"] else ""
    click.echo(f"sambandh: {written} shard(s) written, {done} already there; {totals['docs']} documents, "
               f"{totals['records']} records, {totals['events']} events, {totals['rejects']} rejected{rejected} "
               f"in {seconds:.1f}s with engine {engine} -> {out_dir}", err=True)
