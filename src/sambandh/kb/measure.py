"""What the knowledge base costs: load time and memory, gazetteer matching speed (`sambandh kb bench`)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

_LOAD_PROBE = r"""
import json, sys, time
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
t0 = time.perf_counter()
from sambandh.kb import load_kb
from sambandh.lexicon import load_lexicon
from sambandh.recognize import build_gazetteer
t1 = time.perf_counter(); m1 = rss(); c1 = time.process_time()
kb = load_kb(tuple(sys.argv[1:]))
t2 = time.perf_counter(); m2 = rss(); c2 = time.process_time()
lex = load_lexicon("hi")
t3 = time.perf_counter(); c3 = time.process_time()
gaz = build_gazetteer(kb, lex)
t4 = time.perf_counter(); m4 = rss(); c4 = time.process_time()
print(json.dumps({"import_s": t1 - t0, "load_kb_s": t2 - t1, "lexicon_s": t3 - t2, "gazetteer_s": t4 - t3,
                  "load_and_gazetteer_s": (t2 - t1) + (t4 - t3),
                  "load_kb_cpu_s": c2 - c1, "gazetteer_cpu_s": c4 - c3, "load_and_gazetteer_cpu_s": (c2 - c1) + (c4 - c3),
                  "rss_before_mb": m1, "rss_kb_mb": m2 - m1,
                  "rss_kb_and_gazetteer_mb": m4 - m1, "holders": len(kb.holders), "terms": gaz.size}))
"""


def measure_load(kb_paths: tuple[str, ...] = (), runs: int = 5) -> dict:
    """load_kb + the Hindi gazetteer, each run in a fresh interpreter; medians."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _LOAD_PROBE, *kb_paths], capture_output=True, text=True,
                             check=True)
        results.append(json.loads(out.stdout))
    keys = [k for k, v in results[0].items() if isinstance(v, float)]
    med = {k: round(statistics.median(r[k] for r in results), 3) for k in keys}
    med.update(holders=results[0]["holders"], terms=results[0]["terms"], runs=runs)
    return med


def measure_matching(corpus: Path, limit: int | None = None, repeats: int = 3) -> dict:
    """The recognize stage alone over a JSONL corpus (normalize/segment done beforehand, untimed):
    megabytes of UTF-8 article text per CPU second, best of `repeats`."""
    from ..model import Document
    from ..pipeline import STAGES, Pipeline

    pipe = Pipeline(("normalize", "language", "segment"))
    docs = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            obj = json.loads(line)
            if not (obj.get("text") or "").strip():
                continue
            docs.append(pipe(Document(id=str(obj.get("id")), text=obj["text"], lang=obj.get("lang") or "hi")))
            if limit and len(docs) >= limit:
                break
    recognize = STAGES["recognize"].fn
    res = pipe.res
    for d in docs[:1]:
        recognize(d, res)  # builds the gazetteer: not part of matching speed
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    best_cpu = best_wall = float("inf")
    mentions = 0
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        mentions = sum(len(recognize(d, res).mentions) for d in docs)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return {"corpus": str(corpus), "documents": len(docs), "mb": round(mb, 3), "mentions": mentions,
            "cpu_s": round(best_cpu, 3), "wall_s": round(best_wall, 3),
            "mb_per_cpu_s": round(mb / best_cpu, 2) if best_cpu else None,
            "mb_per_wall_s": round(mb / best_wall, 2) if best_wall else None}


def measure_lookup(n: int = 200) -> dict:
    """Lookups per second: exact names, misspelled names (fuzzy), titles."""
    from . import load_kb
    from .lookup import index_for, lookup

    kb = load_kb()
    t = time.perf_counter()
    idx = index_for(kb)
    index_s = time.perf_counter() - t
    t = time.perf_counter()
    _ = idx.keys
    keys_s = time.perf_counter() - t
    lookup(kb, "भारत के प्रधानमंत्री", "2020-01-01")
    lookup(kb, "Лаврова")
    out = {"index_s": round(index_s, 3), "fuzzy_keys_s": round(keys_s, 3)}
    for label, q in (("exact", "जयशंकर"), ("fuzzy", "नरेंदर मोदी"), ("title", "भारत के प्रधानमंत्री"),
                     ("russian_case", "Сергею Лаврову")):
        t = time.perf_counter()
        for _ in range(n):
            lookup(kb, q, "2020-01-01")
        out[f"{label}_per_s"] = round(n / (time.perf_counter() - t))
    return out
