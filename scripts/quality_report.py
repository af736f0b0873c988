"""Print docs/quality.md's "Extraction quality" tables from `sambandh eval --format json` runs.

    python scripts/quality_report.py > /tmp/tables.md

Runs the two evaluations the quality gate runs (Hindi and English settled gold against ../shared)
and prints Markdown: the main score, the optional events, per event type, and the commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {
    "hi": ["corpus/bbc-hindi-intl-dev.jsonl", "corpus/bbc-hindi-dev.jsonl", "examples/india-russia-moscow-talks.hi.txt"],
    "en": ["corpus/case2021-task2.en.jsonl"],
}
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]


def run(lang: str) -> dict:
    args = [sys.executable, "-m", "sambandh.cli", "eval", str(ROOT / "gold" / lang / "gold.jsonl"), "--format", "json"]
    for t in SETS[lang]:
        args += ["--texts", str(SHARED / t)]
    return json.loads(subprocess.run(args, capture_output=True, check=True, text=True).stdout)


def f(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def main() -> None:
    res = {lang: run(lang) for lang in SETS}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    print(f"Commit: `{commit}`. Main score:\n")
    print("| set | directed P | directed R | directed F1 | undirected P | undirected R | undirected F1 | tp/fp/fn (undirected) | modality acc. | countries P / R |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for lang, r in res.items():
        d, u, c = r["directed"], r["undirected"], r["countries"]
        print(f"| {lang} | {f(d['precision'])} | {f(d['recall'])} | {f(d['f1'])} | {f(u['precision'])} | {f(u['recall'])} "
              f"| {f(u['f1'])} | {u['tp']}/{u['fp']}/{u['fn']} | {f(r['modality']['accuracy'])} "
              f"| {f(c['precision'])} / {f(c['recall'])} |")
    print("\nOptional events (hypothetical, negated, historical), undirected, scored on their own:\n")
    print("| set | P | R | F1 | tp/fp/fn |\n|---|---|---|---|---|")
    for lang, r in res.items():
        o = r["optional_undirected"]
        print(f"| {lang} | {f(o['precision'])} | {f(o['recall'])} | {f(o['f1'])} | {o['tp']}/{o['fp']}/{o['fn']} |")
    print("\nPer event type (main score, undirected F1, with tp/fp/fn):\n")
    print("| event | hi | en |\n|---|---|---|")
    for t in TYPES:
        cells = []
        for lang in SETS:
            s = (res[lang]["by_type"].get(t) or {}).get("undirected")
            cells.append("—" if not s or not (s["tp"] + s["fp"] + s["fn"]) else
                         f"{f(s['f1'])} ({s['tp']}/{s['fp']}/{s['fn']})")
        print(f"| {t} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
