"""`sambandh bench --engines local,process,ray`: the engines side by side on one corpus.

Each engine runs in a fresh Python process of its own, so that one engine's
start-up (a process pool, a Ray session and its actors) is not paid or hidden
by another:

* start-up: import sambandh, then the engine's first record for one document
  (for ray: `ray.init` with N CPUs and an actor pool that loads the pipeline;
  for process: a pool of N workers that load it; for local: `load_pipeline()`).
* per run: one document again, in the same process: what every run of the
  engine costs on top of its documents (a new pool of workers, new Ray actors
  that load the pipeline; not a new Ray session).
* corpus: the whole corpus through the same engine, timed from the call to the
  last record, per-run cost included, as a user waits for it; "net docs/s"
  leaves the per-run cost out: (docs - 1) / (corpus s - per run s), the rate
  a long run tends to.
* CPU s: CPU seconds (user + system) spent on the corpus by the benchmarking
  process, the pool's worker processes and Ray's actors (as each reports
  it); Ray's own daemons (raylet, GCS) are not counted. Documents per CPU
  second is the per-core speed that a busy machine does not distort.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .errors import InputError

_RUN = r"""
import json, resource, sys, time
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
t0 = time.perf_counter()
from sambandh.engines import run_engine
from sambandh.bench import load_corpus
t_import = time.perf_counter() - t0
engine, corpus, workers, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) or None
objs = load_corpus(corpus, limit)
t1 = time.perf_counter()
list(run_engine(engine, objs[:1], workers))
startup = t_import + time.perf_counter() - t1
t1 = time.perf_counter()
list(run_engine(engine, objs[:1], workers))
per_run = time.perf_counter() - t1
stats = {}
options = {"stats": stats} if engine == "ray" else {}
t2, c_self, c_kids = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
n, events = 0, 0
for rec in run_engine(engine, objs, workers, **options):
    n += 1
    events += len(rec.get("events") or [])
seconds = time.perf_counter() - t2
# this process, the pool's workers (reaped when the pool closes), Ray's actors (as they report it)
cpu_s = (cpu(resource.RUSAGE_SELF) - c_self) + (cpu(resource.RUSAGE_CHILDREN) - c_kids) + stats.get("worker_cpu_s", 0)
print("@@" + json.dumps({"startup_s": startup, "per_run_s": per_run, "seconds": seconds, "docs": n,
                         "events": events, "cpu_s": cpu_s}))
"""


def run_engine_bench(engine: str, corpus: str | Path, workers: int, limit: int | None = None) -> dict[str, Any]:
    """One engine in a fresh process: start-up, and the corpus right after."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-c", _RUN, engine, str(corpus), str(workers), str(limit or 0)],
                          capture_output=True, text=True, check=False, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("@@")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"engine {engine}: benchmark run failed: {tail}")
    res = json.loads(lines[-1][2:])
    docs, seconds, per_run = res["docs"], res["seconds"], res["per_run_s"]
    net = round((docs - 1) / (seconds - per_run), 2) if docs > 1 and seconds > per_run else None
    return {"engine": engine, "workers": 1 if engine == "local" else workers, "docs": docs,
            "events": res["events"], "startup_s": round(res["startup_s"], 3), "per_run_s": round(per_run, 3),
            "seconds": round(seconds, 3), "docs_per_s": round(docs / max(seconds, 1e-9), 2), "net_docs_per_s": net,
            "cpu_s": round(res["cpu_s"], 3), "docs_per_cpu_s": round(docs / max(res["cpu_s"], 1e-9), 1)}


def run_engines_bench(corpus: str | Path, engines: list[str], workers: int = 2,
                      limit: int | None = None) -> dict[str, Any]:
    """Every engine of `engines` on `corpus`; the dict is what `sambandh bench --engines ... --json` writes."""
    from . import EXTRACTOR_VERSION
    from .bench import load_corpus, machine

    skipped: list[str] = []
    objs = load_corpus(corpus, limit, skipped)
    if not objs:
        raise InputError(f"{corpus}: no documents")
    nbytes = sum(len(o["text"].encode("utf-8")) for o in objs)
    runs = [run_engine_bench(e, corpus, workers, limit) for e in engines]
    return {"extractor": EXTRACTOR_VERSION, "corpus": str(corpus), "machine": machine(),
            "corpus_size": {"docs": len(objs), "mb": round(nbytes / 1e6, 3), "skipped": len(skipped)},
            "engines": runs}


def format_engines_table(res: dict[str, Any]) -> str:
    size, m = res["corpus_size"], res["machine"]
    lines = [f"corpus: {res['corpus']}  ({size['docs']} docs, {size['mb']} MB)",
             f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {res['extractor']}", "",
             (f"{'engine':<10}{'workers':>8}{'start-up s':>12}{'per run s':>11}{'corpus s':>10}{'docs/s':>9}"
              f"{'net docs/s':>12}{'CPU s':>8}{'docs/CPU s':>12}")]
    for r in res["engines"]:
        net = f"{r['net_docs_per_s']:.1f}" if r["net_docs_per_s"] is not None else "-"
        lines.append(f"{r['engine']:<10}{r['workers']:>8}{r['startup_s']:>12.2f}{r['per_run_s']:>11.2f}"
                     f"{r['seconds']:>10.2f}{r['docs_per_s']:>9.1f}{net:>12}{r['cpu_s']:>8.2f}"
                     f"{r['docs_per_cpu_s']:>12.1f}")
    lines += ["", ("start-up: fresh process to the first record of one document (ray: ray.init and actors); "
                   "per run: one document again (new workers); corpus: the whole corpus, per-run cost included; "
                   "net docs/s: without it; CPU s: of this process, the pool's workers and Ray's actors "
                   "while extracting the corpus (Ray's own daemons not counted)")]
    return "\n".join(lines)
