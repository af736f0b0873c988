"""Writing records: JSON, JSON Lines, and a readable table for people."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO


def write_records(records: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> int:
    n = 0
    if fmt == "jsonl":
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "json":
        recs = list(records)
        json.dump(recs[0] if len(recs) == 1 else recs, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(recs)
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=out, width=160)
    for rec in records:
        n += 1
        table = Table(title=f"{rec['id']}  ({rec.get('lang')}, {rec.get('date') or 'undated'})", show_lines=False)
        for col in ("#", "event", "actor", "recipient", "modality", "topics", "evidence"):
            table.add_column(col, overflow="fold")
        for i, ev in enumerate(rec["events"], 1):
            def who(a: dict[str, Any]) -> str:
                return " ".join(x for x in (a.get("code") or "?", a.get("name") or "", a.get("office") or "") if x)
            table.add_row(str(i), ev["event"] + ("/" + ev["mode"] if ev.get("mode") else ""), who(ev["actor"]),
                          who(ev["recipient"]) + (" ⇄" if ev.get("reciprocal") else ""), ev["modality"],
                          ", ".join(ev.get("topics", [])), ev["evidence"][:140])
        console.print(table)
        for ag in rec.get("agreements", []):
            console.print(escape(f"agreement: {'-'.join(ag['parties'])} [{ag['status']}] "
                                 f"{', '.join(ag['sectors'])}: {ag['title']}"))
        for cm in rec.get("commitments", []):
            console.print(escape(f"commitment: {'+'.join(cm['parties'])} {cm['action']} {cm['object']}"
                                 + (f" ({cm['horizon']})" if cm.get("horizon") else "")))
    return n
