"""Engines: the ways to run the pipeline over many documents.

An engine is a function `(objs, workers, **options) -> iterator of records`
that yields one record per input object ({"id", "text", ...}), in input
order. Every worker loads the pipeline once. "local" runs in this process;
"process" runs a local pool of processes. Other engines (Ray) register in
ENGINES the same way, either as a function or as a lazy "module:function".
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

from .errors import PipelineError

Engine = Callable[..., Iterator[dict[str, Any]]]


def run_local(objs: Iterable[dict[str, Any]], workers: int = 1, *, kb_paths: tuple[str, ...] = (),
              **_: Any) -> Iterator[dict[str, Any]]:
    """This process, one document after another."""
    from .pipeline import load_pipeline

    pipe = load_pipeline([Path(p) for p in kb_paths])
    for obj in objs:
        yield pipe.run_obj(obj)


# -- process pool: module-level so that the worker processes can import them --------------------------------------

_WORKER_PIPE: Any = None


def _init_worker(kb_paths: tuple[str, ...]) -> None:
    global _WORKER_PIPE
    from .pipeline import load_pipeline

    _WORKER_PIPE = load_pipeline([Path(p) for p in kb_paths])


def _run_batch(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_WORKER_PIPE.run_obj(obj) for obj in batch]


def run_process(objs: Iterable[dict[str, Any]], workers: int = 0, *, kb_paths: tuple[str, ...] = (),
                batch: int = 8, window: int = 4, **_: Any) -> Iterator[dict[str, Any]]:
    """A local pool of `workers` processes (0: one per CPU).

    Documents go out in batches (fewer round trips) and at most `window`
    batches per worker are in flight, so a long input streams instead of
    being read into memory; results come back in input order.
    """
    workers = workers or os.cpu_count() or 1
    it = iter(objs)
    pending: deque[Future[list[dict[str, Any]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(tuple(kb_paths),)) as pool:
        def fill() -> None:
            while len(pending) < workers * window:
                chunk = list(islice(it, batch))
                if not chunk:
                    return
                pending.append(pool.submit(_run_batch, chunk))

        fill()
        while pending:
            records = pending.popleft().result()
            fill()
            yield from records


ENGINES: dict[str, Engine | str] = {
    "local": run_local,
    "process": run_process,
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
