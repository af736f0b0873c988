"""The "ray" engine: the same pipeline on Ray actors, on this machine or on a cluster.

Ray is an optional extra (`pip install 'sambandh[ray]'`); this module is
imported only when `--engine ray` is asked for, and says how to install Ray
when it is missing.

Both ways to run go through Ray Data's `map_batches` with an actor pool
(`ActorPoolStrategy`): each actor is a callable class that loads the
pipeline and its knowledge once, in `__init__`, and is then called with
batches. The stages stay plain functions and know nothing of Ray.

* `run_ray(objs, workers)`: input objects in, records out in input order
  (the engine interface of engines.py; used by `bench` and by `extract`
  without `--out`). Each object travels as a JSON string column and each
  record comes back as one JSON string plus its id and extractor version,
  so the Arrow schema of a batch is the same whatever the records hold.
* `write_shards_ray(tasks, out)`: one row per block of the input
  (engines_shards.plan); the actor reads its block, extracts it and writes
  the shard itself, so records never travel through the driver. Blocks are
  planned by sambandh rather than by `ray.data.read_json`/`read_parquet`
  because the shard names must not depend on how Ray cuts the input (a rerun
  skips shards already written), and because one bad line must become a
  reject, not a failed read.

A worker that dies is restarted by Ray and its block is retried (Ray Data
retries actor tasks); a retried block whose shard already exists is skipped.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import PipelineError

INSTALL = "pip install 'sambandh[ray]'"


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise PipelineError(f"the ray engine needs Ray, which is not installed here: {INSTALL}",
                            code="E401") from None
    return ray


def connect(address: str | None = None, num_cpus: int = 0) -> Any:
    """Ray, initialised: the session this process already has, the cluster at `address` ("auto",
    "ray://head:10001", or RAY_ADDRESS), or a local Ray with `num_cpus` CPUs (0: all)."""
    ray = _ray()
    if not ray.is_initialized():
        address = address or os.environ.get("RAY_ADDRESS") or None
        common = {"logging_level": logging.WARNING, "log_to_driver": True}
        if address:
            ray.init(address=address, **common)
        else:
            ray.init(address="local", num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False, **common)
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ray.data.DataContext.get_current().enable_progress_bars = False
    return ray


def _pool_size(ray: Any, workers: int, tasks: int) -> int:
    if not workers:
        workers = int(ray.cluster_resources().get("CPU", 1)) or 1
    return max(1, min(workers, tasks))


def _actor_pool(ray: Any, size: int) -> Any:
    return ray.data.ActorPoolStrategy(size=size)


# -- records in, records out ---------------------------------------------------------------------------------


class RecordActor:
    """One Ray actor: loads the pipeline once, then extracts batches of JSON-encoded input objects."""

    def __init__(self, kb_paths: tuple[str, ...] = ()) -> None:
        from .pipeline import load_pipeline

        self.pipe = load_pipeline([Path(p) for p in kb_paths])

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import time

        import numpy as np

        from .engines import _run_one

        cpu = time.process_time()
        ids, versions, records = [], [], []
        for raw in batch["obj"]:
            rec = _run_one(self.pipe, json.loads(raw))
            ids.append(str(rec.get("id", "")))
            versions.append(rec.get("extractor") or "")
            records.append(json.dumps(rec, ensure_ascii=False))
        cpu = (time.process_time() - cpu) / max(1, len(records))  # this actor's CPU seconds, shared out per row
        return {"i": np.asarray(batch["i"]), "id": np.array(ids, dtype=object),
                "extractor": np.array(versions, dtype=object), "record": np.array(records, dtype=object),
                "cpu_s": np.full(len(records), cpu)}


def run_ray(objs: Iterable[dict[str, Any]], workers: int = 0, *, kb_paths: tuple[str, ...] = (),
            address: str | None = None, batch: int = 8, on_error: Any = None, stats: dict[str, float] | None = None,
            **_: Any) -> Iterator[dict[str, Any]]:
    """Records of `objs` from a pool of `workers` Ray actors (0: one per CPU of the cluster), in input order.
    `stats`, when given, gets "worker_cpu_s": the CPU seconds the actors spent extracting."""
    from .engines import deliver

    ray = connect(address, workers)
    items = [{"i": i, "obj": json.dumps(obj, ensure_ascii=False, default=str)} for i, obj in enumerate(objs)]
    if not items:
        return
    size = _pool_size(ray, workers, -(-len(items) // batch))
    ds = ray.data.from_items(items, override_num_blocks=min(len(items), size * 4))
    ds = ds.map_batches(RecordActor, fn_constructor_kwargs={"kb_paths": tuple(kb_paths)}, batch_size=batch,
                        compute=_actor_pool(ray, size), num_cpus=1)
    waiting: dict[int, dict[str, Any]] = {}
    nxt = 0
    for row in ds.iter_rows():
        if stats is not None:
            stats["worker_cpu_s"] = stats.get("worker_cpu_s", 0.0) + float(row["cpu_s"])
        waiting[int(row["i"])] = json.loads(row["record"])
        while nxt in waiting:
            rec = deliver(json.loads(items[nxt]["obj"]), waiting.pop(nxt), on_error)
            nxt += 1
            if rec is not None:
                yield rec


# -- shards ---------------------------------------------------------------------------------------------------


class ShardActor:
    """One Ray actor: a ShardWriter (pipeline loaded once) called with batches of JSON-encoded tasks."""

    def __init__(self, **options: Any) -> None:
        from .engines_shards import ShardWriter

        self.writer = ShardWriter(**options)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        return {"summary": np.array([json.dumps(self.writer(json.loads(t))) for t in batch["task"]], dtype=object)}


def write_shards_ray(tasks: list[dict[str, Any]], *, workers: int = 0, address: str | None = None,
                     **options: Any) -> Iterator[dict[str, Any]]:
    """Write the shard of each task on a pool of Ray actors; one summary per shard as each is done."""
    if not tasks:
        return
    ray = connect(address, workers)
    options["out"] = os.path.abspath(options["out"])  # actors do not share the driver's working folder
    size = _pool_size(ray, workers, len(tasks))
    ds = ray.data.from_items([{"task": json.dumps(t)} for t in tasks], override_num_blocks=len(tasks))
    ds = ds.map_batches(ShardActor, fn_constructor_kwargs=options, batch_size=1, compute=_actor_pool(ray, size),
                        num_cpus=1)
    for row in ds.iter_rows():
        yield json.loads(row["summary"])

