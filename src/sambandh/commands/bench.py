"""`sambandh bench`: how fast extraction runs, on one core and on a pool of workers."""

from __future__ import annotations

import json
import os

import click


@click.command()
@click.argument("corpus", required=False)
@click.option("--workers", type=int, default=lambda: os.cpu_count() or 1, show_default="number of CPUs",
              help="Workers of the pool run; 1 measures one core only.")
@click.option("--limit", type=int, help="Use only the first N documents.")
@click.option("--engine", default="process", show_default=True,
              help="Engine of the pool run: process or ray (see sambandh.engines.ENGINES).")
@click.option("--engines", "engine_list",
              help="Compare engines instead, side by side, each in a fresh process with its start-up cost: "
                   "a comma list such as local,process,ray (process and ray get --workers workers/CPUs).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the results here as JSON.")
@click.option("--no-startup", is_flag=True, help="Skip the start-up measurement (a fresh interpreter).")
def bench(corpus: str | None, workers: int, limit: int | None, engine: str, engine_list: str | None,
          json_out: str | None, no_startup: bool) -> None:
    """Documents/s, sentences/s and MB/s of extraction, peak memory and start-up time.

    CORPUS is JSON Lines ({id, text}) or a plain-text article; default ../shared/corpus/bbc-hindi-dev.jsonl
    beside the repository.
    """
    from ..bench import default_corpus, format_table, run_bench
    from ..engines import get_engine
    from ..errors import InputError

    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1, got {limit}")
    if engine_list:
        from ..engines_bench import format_engines_table, run_engines_bench

        names = [e.strip() for e in engine_list.split(",") if e.strip()]
        for name in names:
            get_engine(name)
        res = run_engines_bench(corpus or default_corpus(), names, workers=workers, limit=limit)
        click.echo(format_engines_table(res))
    else:
        get_engine(engine)  # an unknown engine fails before any work
        res = run_bench(corpus or default_corpus(), workers=workers, limit=limit, engine=engine,
                        startup=not no_startup)
        click.echo(format_table(res))
    if json_out:
        with open(json_out, "w", encoding="utf-8") as fh:
            json.dump(res, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        click.echo(f"written: {json_out}")
