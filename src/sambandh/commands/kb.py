"""`sambandh kb`: look up, measure, check and extend the knowledge base."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import InputError

_KB_OPTION = click.option("--kb", "kb_paths", multiple=True, type=click.Path(exists=True, file_okay=False),
                          help="Extra knowledge folder (repeatable), as for extract.")
_FORMAT = click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table",
                       show_default=True)


def _date(value: str | None, what: str = "--date") -> str | None:
    from ..kb.coverage import parse_date

    if value and parse_date(value) is None:
        raise InputError(f"{what} {value!r}: expected YYYY-MM-DD")
    return value


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


@click.group()
def kb() -> None:
    """Look up, measure, check and extend the knowledge base (office-holders, countries, organisations)."""


@kb.command()
@click.argument("name")
@click.option("--date", help="Resolve on this day (YYYY-MM-DD); default: today's holders first.")
@click.option("--country", help="Only this country or organisation code (with a bare title: its holder).")
@click.option("--office", help="Only this office code.")
@click.option("--lang", help="Language of NAME (hi, en, ru); default: from its script.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@_FORMAT
@_KB_OPTION
def lookup(name: str, date: str | None, country: str | None, office: str | None, lang: str | None, limit: int,
           fmt: str, kb_paths: tuple[str, ...]) -> None:
    """Who NAME (a person or a title, in Hindi, English or Russian) is: candidates, best first."""
    from ..kb import load_kb
    from ..kb.lookup import lookup as do_lookup

    date = _date(date)
    knowledge = load_kb(tuple(Path(p) for p in kb_paths))
    cands = do_lookup(knowledge, name, date, lang=lang, limit=limit, country=country.upper() if country else None,
                      office=office)
    if fmt == "json":
        click.echo(json.dumps({"query": name, "date": date, "candidates": [c.to_dict() for c in cands]},
                              ensure_ascii=False, indent=2))
    else:
        if not cands:
            click.echo("no candidates")
        else:
            click.echo(_table([[f"{c.score:g}", c.name, c.country, c.office, c.title, c.start, c.end or "-", c.how]
                               for c in cands],
                              ["score", "name", "country", "office", "title", "start", "end", "how"]))
    if not cands:
        sys.exit(1)


@kb.command()
@click.option("--since", default="2000-01-01", show_default=True, help="First day counted.")
@click.option("--until", help="Last day counted (default: today).")
@click.option("--max-gap", default=0, show_default=True, type=click.IntRange(0, 3650),
              help="Count a stretch of up to this many days between two terms as covered (a handover).")
@_FORMAT
@_KB_OPTION
def stats(since: str, until: str | None, max_gap: int, fmt: str, kb_paths: tuple[str, ...]) -> None:
    """Coverage of the office-holder data: per country and office, and per year the number of countries
    whose head of state, head of government, foreign minister and defence minister are all known on
    every day."""
    from ..kb import load_kb
    from ..kb.coverage import FOUR, coverage

    _date(since, "--since")
    _date(until, "--until")
    knowledge = load_kb(tuple(Path(p) for p in kb_paths))
    cov = coverage(knowledge, since, until, max_gap)
    if fmt == "json":
        click.echo(json.dumps(cov.to_dict(), ensure_ascii=False, indent=2))
        return
    short = {"head_of_state": "HoS", "head_of_government": "HoG", "foreign_minister": "FM",
             "defence_minister": "DM"}
    rows = []
    for c in cov.countries():
        others = sorted({o for cc, o in cov.holders if cc == c and o not in FOUR})
        rows.append([c, cov.names.get(c, c)[:28]]
                    + [f"{100 * cov.share(c, o):.0f}%" if (c, o) in cov.holders else "-" for o in FOUR]
                    + ["yes" if all(cov.full(c, o) for o in FOUR) else "", ",".join(others)])
    click.echo(_table(rows, ["code", "name", *[short[o] for o in FOUR], "all4", "other offices"]))
    click.echo("")
    click.echo(_table([[str(y), str(len(cov.all_four(lo, hi)))] for y, lo, hi in cov.years()],
                      ["year", "countries with all four offices covered every day"]))
    click.echo("")
    click.echo(f"{len(knowledge.holders)} office terms, {len({h.person for h in knowledge.holders})} people, "
               f"{len(cov.countries())} countries and organisations")
    click.echo(cov.summary())


@kb.command()
@click.option("--no-shipped", is_flag=True, help="Report problems in the --kb folders only.")
@click.option("--today", help="Check start dates against this day instead of today (YYYY-MM-DD).")
@_KB_OPTION
def validate(no_shipped: bool, today: str | None, kb_paths: tuple[str, ...]) -> None:
    """Check the knowledge files: overlapping terms of one office, missing names in a language,
    impossible dates, unknown office and country codes. Exit 1 with the list, or print "ok"."""
    from ..kb.validate import validate as do_validate

    _date(today, "--today")
    problems = do_validate(tuple(Path(p) for p in kb_paths), shipped=not no_shipped, today=today)
    if not problems:
        click.echo("ok")
        return
    for p in problems:
        click.echo(str(p))
    kinds: dict[str, int] = {}
    for p in problems:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    click.echo(f"{len(problems)} problem(s): " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
               err=True)
    sys.exit(1)


@kb.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "folder", default="kb-user", show_default=True, type=click.Path(file_okay=False),
              help="Knowledge folder to write holders/<FILE name>.tsv into (use it with --kb).")
@click.option("--positions", "position_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra position table (qid, country, office, title), repeatable.")
@_KB_OPTION
def import_(file: str, folder: str, position_files: tuple[str, ...], kb_paths: tuple[str, ...]) -> None:
    """Import office-holders from Wikidata-style JSON (entities with P39 position held, P580/P582
    qualifiers, labels and aliases in hi/en/ru) into a holders TSV usable with --kb."""
    from ..kb import load_kb
    from ..kb.wikidata import import_file

    extra = [Path(p) / "wikidata_positions.tsv" for p in kb_paths] + [Path(p) for p in position_files]
    out, report = import_file(Path(file), Path(folder), extra, kb=load_kb(tuple(Path(p) for p in kb_paths)))
    for line in report.lines():
        click.echo(line, err=True)
    click.echo(str(out))


@kb.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--runs", default=5, show_default=True, type=click.IntRange(1, 50),
              help="Fresh interpreters for the load measurement (median reported).")
@click.option("--limit", type=int, help="Only the first N documents of CORPUS.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the numbers here.")
@_KB_OPTION
def bench(corpus: str | None, runs: int, limit: int | None, json_out: str | None, kb_paths: tuple[str, ...]) -> None:
    """Load time and memory of the knowledge base (load_kb + the Hindi gazetteer, fresh interpreters),
    matching speed of the recognize stage over CORPUS (default ../shared/corpus/bbc-hindi-dev.jsonl) in MB
    of text per CPU second, and lookups per second."""
    from ..kb.measure import measure_load, measure_lookup, measure_matching

    if corpus is None:
        default = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "bbc-hindi-dev.jsonl"
        if not default.exists():
            raise InputError("no corpus given and ../shared/corpus/bbc-hindi-dev.jsonl is missing; pass CORPUS")
        corpus = str(default)
    load = measure_load(kb_paths, runs)
    click.echo(f"load_kb {load['load_kb_s']:.3f} s + Hindi gazetteer {load['gazetteer_s']:.3f} s = "
               f"{load['load_and_gazetteer_s']:.3f} s wall, {load['load_and_gazetteer_cpu_s']:.3f} CPU s "
               f"(load_kb {load['load_kb_cpu_s']:.3f}, gazetteer {load['gazetteer_cpu_s']:.3f}; median of {runs} "
               f"fresh interpreters; import {load['import_s']:.3f} s); memory "
               f"+{load['rss_kb_and_gazetteer_mb']:.1f} MB RSS ({load['holders']} office terms, "
               f"{load['terms']} gazetteer terms)")
    match = measure_matching(Path(corpus), limit)
    click.echo(f"recognize: {match['documents']} documents, {match['mb']:.2f} MB in {match['cpu_s']:.2f} CPU s = "
               f"{match['mb_per_cpu_s']:.2f} MB/s per core ({match['mb_per_wall_s']:.2f} MB/s wall), "
               f"{match['mentions']} mentions")
    look = measure_lookup()
    click.echo("lookup: " + ", ".join(f"{k} {v}" for k, v in look.items()))
    if json_out:
        Path(json_out).write_text(json.dumps({"load": load, "matching": match, "lookup": look}, indent=2),
                                  encoding="utf-8")
