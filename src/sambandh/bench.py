"""How fast extraction runs: documents, sentences and megabytes per second on one core and with a pool of
workers, peak memory, and start-up time. commands/bench.py prints and writes what `run_bench` returns.

* start-up: a fresh Python process imports sambandh, loads the pipeline and extracts the first document;
  timed inside that process, so it is what a user waits for on the command line.
* one core: the "local" engine in this process, after one untimed warm-up document (so lazily loaded
  lexicons are not counted twice).
* pool: the chosen engine (default "process") with N workers, timed from start to the last record, worker
  start-up included.
* CPU seconds (user + system, this process or the pool's children) beside wall seconds: sentences per
  CPU second is the per-core speed even on a machine where other jobs compete for the cores.
* memory: the peak resident set of this process (one core) and of the largest child (a pool worker or the
  start-up process), from getrusage.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .errors import InputError

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = "../shared/corpus/bbc-hindi-dev.jsonl"


def default_corpus() -> Path:
    """The dev corpus beside the repository (or beside the working folder); an error says to pass one."""
    for base in (ROOT, Path.cwd()):
        path = (base / DEFAULT_CORPUS).resolve()
        if path.exists():
            return path
    raise InputError(f"no corpus given and {DEFAULT_CORPUS} (relative to the repository) is not there; "
                     "pass one: sambandh bench CORPUS.jsonl")


def load_corpus(path: str | Path, limit: int | None = None, skipped: list[str] | None = None
                ) -> list[dict[str, Any]]:
    """Input objects ({"id", "text", ...}) from a JSON Lines file or a plain-text article; bad lines are
    skipped (and their errors appended to `skipped`)."""
    from .read import read_source

    objs: list[dict[str, Any]] = []
    bad = skipped if skipped is not None else []
    for doc in read_source(str(path), on_error=lambda err: bad.append(str(err))):
        obj: dict[str, Any] = {"id": doc.id, "text": doc.text}
        for key in ("title", "url", "published", "lang"):
            if getattr(doc, key):
                obj[key] = getattr(doc, key)
        objs.append(obj)
        if limit and len(objs) >= limit:
            break
    return objs


def count_sentences(objs: list[dict[str, Any]]) -> int:
    """Sentences as the pipeline splits them (normalize, language, segment only)."""
    from .pipeline import Pipeline, load_pipeline
    from .read import document_from_obj

    seg = Pipeline(("normalize", "language", "segment"), resources=load_pipeline().res)
    return sum(len(seg(document_from_obj(obj, str(obj.get("id")))).sentences) for obj in objs)


_STARTUP = """
import json, resource, sys, time
t0 = time.perf_counter()
from sambandh.pipeline import load_pipeline
t1 = time.perf_counter()
pipe = load_pipeline()
t2 = time.perf_counter()
pipe.run_obj(json.loads(sys.stdin.read()))
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "first_doc_s": t3 - t2, "total_s": t3 - t0,
                  "process_s": time.time() - float(sys.argv[1]),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure_startup(first: dict[str, Any]) -> dict[str, Any]:
    """Start-up of a fresh interpreter: import, load_pipeline(), first document."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])  # importable even when not installed
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-c", _STARTUP, repr(time.time())], input=json.dumps(first),
                          capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"start-up measurement failed: {tail}")
    return {k: round(v, 4) for k, v in json.loads(proc.stdout).items()}


def _rates(seconds: float, cpu: float, docs: int, sentences: int, nbytes: int) -> dict[str, Any]:
    s = max(seconds, 1e-9)
    return {"seconds": round(seconds, 4), "docs_per_s": round(docs / s, 2),
            "sentences_per_s": round(sentences / s, 1), "mb_per_s": round(nbytes / 1e6 / s, 4),
            "cpu_s": round(cpu, 4), "sentences_per_cpu_s": round(sentences / max(cpu, 1e-9), 1)}


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed_run(engine: str, objs: list[dict[str, Any]], workers: int) -> tuple[float, float, int, int]:
    """Wall seconds and CPU seconds to extract every object, records and events seen.

    CPU seconds are what a shared or busy machine does not distort: sentences per CPU second is the
    per-core speed even when other jobs compete for the cores."""
    from .engines import run_engine

    t0, c0 = time.perf_counter(), _cpu()
    n = events = 0
    for rec in run_engine(engine, objs, workers):
        n += 1
        events += len(rec.get("events") or [])
    return time.perf_counter() - t0, _cpu() - c0, n, events


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb, "python": platform.python_version(),
            "platform": platform.platform()}


def run_bench(corpus: str | Path, *, workers: int = 2, limit: int | None = None, engine: str = "process",
              startup: bool = True) -> dict[str, Any]:
    """Measure; the dict is what `sambandh bench --json` writes."""
    from . import EXTRACTOR_VERSION
    from .pipeline import load_pipeline

    skipped: list[str] = []
    objs = load_corpus(corpus, limit, skipped)
    if not objs:
        raise InputError(f"{corpus}: no documents")
    out: dict[str, Any] = {"extractor": EXTRACTOR_VERSION, "corpus": str(corpus), "machine": machine()}
    if startup:
        out["startup"] = measure_startup(objs[0])
    nbytes = sum(len(o["text"].encode("utf-8")) for o in objs)
    pipe = load_pipeline()
    pipe.run_obj(objs[0])  # warm-up, untimed
    sentences = count_sentences(objs)
    out["corpus_size"] = {"docs": len(objs), "sentences": sentences, "mb": round(nbytes / 1e6, 3),
                          "skipped": len(skipped)}
    seconds, cpu, n, events = timed_run("local", objs, 1)
    out["one_core"] = {"engine": "local", "workers": 1, "events": events,
                       **_rates(seconds, cpu, n, sentences, nbytes)}
    if workers > 1:
        seconds, cpu, n, events = timed_run(engine, objs, workers)
        pool = {"engine": engine, "workers": workers, "events": events,
                **_rates(seconds, cpu, n, sentences, nbytes)}
        pool["speedup"] = round(out["one_core"]["seconds"] / max(seconds, 1e-9), 2)
        out["pool"] = pool
    out["memory"] = {
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_child_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
    return out


def format_table(res: dict[str, Any]) -> str:
    """The result as a small plain-text table for people."""
    size = res["corpus_size"]
    skipped = f", {size['skipped']} bad lines skipped" if size.get("skipped") else ""
    lines = [f"corpus: {res['corpus']}  ({size['docs']} docs, {size['sentences']} sentences, {size['mb']} MB{skipped})",
             (f"machine: {res['machine']['cpu']}, {res['machine']['cores']} cores, "
              f"{res['machine']['memory_gb']} GB; {res['extractor']}"),
             "",
             (f"{'run':<18}{'workers':>8}{'seconds':>10}{'docs/s':>10}{'sent/s':>10}{'MB/s':>9}{'speedup':>9}"
              f"{'cpu s':>9}{'sent/cpu s':>12}")]
    for key in ("one_core", "pool"):
        r = res.get(key)
        if not r:
            continue
        name = "one core" if key == "one_core" else f"pool ({r['engine']})"
        lines.append(f"{name:<18}{r['workers']:>8}{r['seconds']:>10.3f}{r['docs_per_s']:>10.1f}"
                     f"{r['sentences_per_s']:>10.0f}{r['mb_per_s']:>9.3f}{r.get('speedup', 1.0):>9.2f}"
                     f"{r['cpu_s']:>9.2f}{r['sentences_per_cpu_s']:>12.0f}")
    mem = res["memory"]
    lines.append("")
    lines.append(f"peak memory: {mem['peak_rss_mb']} MB this process, {mem['peak_child_rss_mb']} MB largest child")
    if "startup" in res:
        s = res["startup"]
        lines.append(f"start-up: {s['total_s']:.3f} s (import {s['import_s']:.3f}, load_pipeline {s['load_s']:.3f}, "
                     f"first document {s['first_doc_s']:.3f}; {s['process_s']:.3f} s from exec); "
                     f"{s['peak_rss_mb']:.0f} MB")
    return "\n".join(lines)
