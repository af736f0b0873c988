"""Engines: the ways to run the pipeline over many documents.

An engine is a function `(objs, workers, **options) -> iterator of records`
that yields one record per input object ({"id", "text", ...}), in input
order. Every worker loads the pipeline once. "local" runs in this process;
"process" runs a local pool of processes; "ray" runs Ray actors
(engines_ray.py, imported only when used). A document that fails raises its
SambandhError, or with `on_error=callable(obj, err)` is passed to it and
skipped. Engines register in ENGINES, either as a function or as a lazy
"module:function".

`write_shards(engine, tasks, out, ...)` is the other way to run: the input is
cut into blocks (engines_shards.plan) and each block becomes one shard file
under `out`, the same files whatever the engine (`sambandh extract --out`).
"""

from __future__ import annotations

import importlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from .errors import PipelineError, SambandhError

Engine = Callable[..., Iterator[dict[str, Any]]]


OnError = Callable[[dict[str, Any], SambandhError], None]
_ERROR = "__sambandh_error__"  # a failed document, as a worker sends it back


def _run_one(pipe: Any, obj: dict[str, Any]) -> dict[str, Any]:
    """The record of `obj`, or {_ERROR: message} (workers must not lose a batch for one bad document)."""
    try:
        return pipe.run_obj(obj)
    except SambandhError as err:
        return {_ERROR: str(err), "code": err.code}
    except Exception as exc:  # noqa: BLE001
        return {_ERROR: f"document {obj.get('id', '?') if isinstance(obj, dict) else '?'}: "
                        f"{type(exc).__name__}: {exc}", "code": PipelineError.code}


def deliver(obj: dict[str, Any], rec: dict[str, Any], on_error: OnError | None) -> dict[str, Any] | None:
    """The record, or None after passing a failure to `on_error` (raised when there is none)."""
    if _ERROR not in rec:
        return rec
    err = SambandhError(rec[_ERROR], code=rec.get("code"))
    if on_error is None:
        raise err
    on_error(obj, err)
    return None


def run_local(objs: Iterable[dict[str, Any]], workers: int = 1, *, kb_paths: tuple[str, ...] = (),
              on_error: OnError | None = None, **_: Any) -> Iterator[dict[str, Any]]:
    """This process, one document after another."""
    from .pipeline import load_pipeline

    pipe = load_pipeline([Path(p) for p in kb_paths])
    for obj in objs:
        if on_error is None:
            yield pipe.run_obj(obj)
            continue
        rec = deliver(obj, _run_one(pipe, obj), on_error)
        if rec is not None:
            yield rec


# -- process pool: module-level so that the worker processes can import them --------------------------------------

_WORKER_PIPE: Any = None


def _init_worker(kb_paths: tuple[str, ...]) -> None:
    global _WORKER_PIPE
    from .pipeline import load_pipeline

    _WORKER_PIPE = load_pipeline([Path(p) for p in kb_paths])


def _run_batch(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_run_one(_WORKER_PIPE, obj) for obj in batch]


def run_process(objs: Iterable[dict[str, Any]], workers: int = 0, *, kb_paths: tuple[str, ...] = (),
                batch: int = 8, window: int = 4, on_error: OnError | None = None,
                **_: Any) -> Iterator[dict[str, Any]]:
    """A local pool of `workers` processes (0: one per CPU).

    Documents go out in batches (fewer round trips) and at most `window`
    batches per worker are in flight, so a long input streams instead of
    being read into memory; results come back in input order.
    """
    workers = workers or os.cpu_count() or 1
    it = iter(objs)
    pending: deque[tuple[list[dict[str, Any]], Future[list[dict[str, Any]]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(tuple(kb_paths),)) as pool:
        def fill() -> None:
            while len(pending) < workers * window:
                chunk = list(islice(it, batch))
                if not chunk:
                    return
                pending.append((chunk, pool.submit(_run_batch, chunk)))

        fill()
        while pending:
            chunk, future = pending.popleft()
            records = future.result()
            fill()
            for obj, rec in zip(chunk, records):
                out = deliver(obj, rec, on_error)
                if out is not None:
                    yield out


ENGINES: dict[str, Engine | str] = {
    "local": run_local,
    "process": run_process,
    "ray": "sambandh.engines_ray:run_ray",
}


def get_engine(name: str) -> Engine:
    target = ENGINES.get(name)
    if target is None:
        raise PipelineError(f"unknown engine {name!r}; known: {', '.join(sorted(ENGINES))}")
    if isinstance(target, str):
        module, attr = target.split(":")
        target = getattr(importlib.import_module(module), attr)
    return target


def run_engine(name: str, docs: Iterable[dict[str, Any]], workers: int = 1, **options: Any) -> Iterator[dict[str, Any]]:
    """Records for `docs` ({"id", "text", ...} objects), in input order, from engine `name`."""
    return get_engine(name)(docs, workers, **options)


# -- shards: the same files from every engine ----------------------------------------------------------------------

_WORKER_SHARDS: Any = None


def _init_shard_worker(options: dict[str, Any]) -> None:
    global _WORKER_SHARDS
    from .engines_shards import ShardWriter

    _WORKER_SHARDS = ShardWriter(**options)


def _write_shard(task: dict[str, Any]) -> dict[str, Any]:
    return _WORKER_SHARDS(task)


def write_shards(engine: str, tasks: list[dict[str, Any]], out: str, *, fmt: str = "jsonl", workers: int = 0,
                 kb_paths: tuple[str, ...] = (), lang: str | None = None, address: str | None = None
                 ) -> Iterator[dict[str, Any]]:
    """Write the shard of each task (engines_shards.plan) under `out`; yields one summary per shard as it is
    done ({"shard", "docs", "records", "events", "rejects", "skipped"}), in no set order."""
    options = {"out": str(out), "fmt": fmt, "kb_paths": tuple(kb_paths), "lang": lang,
               # the tests' ways to kill a run midway and to make a worker die
               "delay": float(os.environ.get("SAMBANDH_SHARD_DELAY") or 0),
               "crash_once": os.environ.get("SAMBANDH_SHARD_CRASH_ONCE") or None}
    if engine == "local":
        from .engines_shards import ShardWriter

        writer = ShardWriter(**options)
        for task in tasks:
            yield writer(task)
    elif engine == "process":
        from concurrent.futures import as_completed

        workers = min(workers or os.cpu_count() or 1, max(1, len(tasks)))
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_shard_worker, initargs=(options,)) as pool:
            for future in as_completed([pool.submit(_write_shard, t) for t in tasks]):
                yield future.result()
    elif engine == "ray":
        from .engines_ray import write_shards_ray

        yield from write_shards_ray(tasks, workers=workers, address=address, **options)
    else:
        get_engine(engine)  # the "unknown engine" error
        raise PipelineError(f"engine {engine!r} cannot write shards; use local, process or ray")
