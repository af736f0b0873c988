"""Shards: what `sambandh extract --out DIR` writes, the same for every engine.

The input (JSON Lines, gzipped JSON Lines or Parquet files) is cut into blocks
that depend only on the files and the block size, never on the engine or the
number of workers:

* JSON Lines: byte ranges of `shard_mb` megabytes; a line belongs to the block
  in which it starts (the usual split of text files), so no line is lost or
  read twice, and a worker reads its block without reading what comes before.
* gzipped JSON Lines: one block per file (gzip cannot seek).
* Parquet: runs of consecutive row groups of about `shard_mb` megabytes.

Each block becomes one shard with a deterministic name
`<file stem>-<8 hex of the file's absolute path>-<block number>`:

    DIR/<name>.jsonl              one record a line, exactly as `extract --format jsonl` writes it
    DIR/<name>.parquet            (--shard-format parquet) columns id, extractor, record (the record as JSON)
    DIR/_rejects/<name>.jsonl     one line per bad document: id, origin, place, stage, reason, input
    DIR/_sambandh.json            how the folder was cut (format, block size, extractor version)

A shard is written to a temporary name and renamed into place (atomic on one
file system) after its rejects are written, so a shard that exists is
complete. A rerun plans the same blocks and skips every shard that exists:
killing a run and running it again writes each shard once.

`ShardWriter` is the work on one block; the engines only decide where it runs
(this process, a process pool, Ray actors). It never raises for a bad
document: bad JSON, a document without text and a failing stage each become a
reject with the reason.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import InputError, SambandhError

SHARD_FORMATS = ("jsonl", "parquet")
INPUT_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".parquet")
MANIFEST = "_sambandh.json"
REJECTS = "_rejects"
DEFAULT_SHARD_MB = 32.0


# -- planning --------------------------------------------------------------------------------------------------


def expand_inputs(sources: Iterable[str]) -> list[str]:
    """Files, folders (searched for JSON Lines and Parquet) and globs into a sorted list of input files."""
    out: list[str] = []
    for s in sources:
        if s == "-":
            raise InputError("--out reads files, not standard input; save it to a .jsonl file first")
        if any(ch in s for ch in "*?["):
            found = sorted(p for p in glob.glob(s, recursive=True) if Path(p).is_file())
            if not found:
                raise InputError(f"{s}: no files match")
        elif Path(s).is_dir():
            found = sorted(str(p) for p in Path(s).rglob("*") if p.is_file() and p.name.endswith(INPUT_SUFFIXES))
            if not found:
                raise InputError(f"{s}: folder holds no {', '.join(INPUT_SUFFIXES)} files")
        elif not Path(s).exists():
            raise InputError(f"{s}: no such file")
        else:
            found = [s]
        for p in found:
            if not p.endswith(INPUT_SUFFIXES):
                raise InputError(f"{p}: --out reads JSON Lines or Parquet ({', '.join(INPUT_SUFFIXES)})")
        out.extend(found)
    seen: set[str] = set()
    return [p for p in out if not (os.path.abspath(p) in seen or seen.add(os.path.abspath(p)))]


def _stem(path: str) -> str:
    name = Path(path).name
    for suffix in sorted(INPUT_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "input"


def plan(paths: Iterable[str], shard_mb: float = DEFAULT_SHARD_MB) -> list[dict[str, Any]]:
    """The blocks of `paths`: [{"name", "path", "kind", "start", "stop" | "row_groups"}], in input order."""
    if shard_mb <= 0:
        raise InputError(f"--shard-mb must be positive, got {shard_mb}")
    size = max(1, int(shard_mb * 1024 * 1024))
    tasks: list[dict[str, Any]] = []
    for path in paths:
        absolute = os.path.abspath(path)
        prefix = f"{_stem(path)}-{hashlib.sha1(absolute.encode('utf-8')).hexdigest()[:8]}"
        if path.endswith(".parquet"):
            import pyarrow.parquet as pq

            try:
                meta = pq.ParquetFile(path).metadata
            except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds; the reason is what matters
                raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
            groups: list[list[int]] = []
            current: list[int] = []
            nbytes = 0
            for i in range(meta.num_row_groups):
                rg = meta.row_group(i).total_byte_size
                if current and nbytes + rg > size:
                    groups.append(current)
                    current, nbytes = [], 0
                current.append(i)
                nbytes += rg
            if current or not groups:
                groups.append(current)
            for k, rgs in enumerate(groups):
                tasks.append({"name": f"{prefix}-{k:05d}", "path": absolute, "kind": "parquet", "row_groups": rgs})
        elif path.endswith(".gz"):
            tasks.append({"name": f"{prefix}-00000", "path": absolute, "kind": "jsonl.gz", "start": 0, "stop": None})
        else:
            total = os.path.getsize(path)
            for k in range(max(1, -(-total // size))):
                tasks.append({"name": f"{prefix}-{k:05d}", "path": absolute, "kind": "jsonl",
                              "start": k * size, "stop": (k + 1) * size})
    names = [t["name"] for t in tasks]
    if len(set(names)) != len(names):  # two inputs with the same absolute path were given; expand_inputs drops them
        raise InputError("two inputs map to the same shard name")
    return tasks


def shard_path(out: str | Path, name: str, fmt: str) -> Path:
    return Path(out) / f"{name}.{fmt}"


def prepare_out(out: str | Path, fmt: str, shard_mb: float) -> None:
    """Create DIR and its manifest; refuse a folder that was cut differently (a rerun must plan the same shards)."""
    from . import EXTRACTOR_VERSION

    if fmt not in SHARD_FORMATS:
        raise InputError(f"unknown shard format {fmt!r}; known: {', '.join(SHARD_FORMATS)}")
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    (root / REJECTS).mkdir(parents=True, exist_ok=True)
    for stale in root.glob(".tmp-*"):  # left by a killed run; this run rewrites their shards
        stale.unlink(missing_ok=True)
    want = {"format": fmt, "shard_mb": shard_mb, "extractor": EXTRACTOR_VERSION}
    manifest = root / MANIFEST
    if manifest.exists():
        try:
            have = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            have = {}
        diff = [f"{k} {have.get(k)!r} (now {v!r})" for k, v in want.items() if have.get(k) != v]
        if diff:
            raise InputError(f"{out} holds shards made with {', '.join(diff)}; rerun with the same options "
                             "or write to a new --out folder")
        return
    _atomic_write_text(manifest, json.dumps(want, indent=2) + "\n")


def pending(tasks: list[dict[str, Any]], out: str | Path, fmt: str) -> tuple[list[dict[str, Any]], int]:
    """The tasks whose shard is not written yet, and how many are."""
    todo = [t for t in tasks if not shard_path(out, t["name"], fmt).exists()]
    return todo, len(tasks) - len(todo)


# -- reading one block -----------------------------------------------------------------------------------------


def _jsonl_lines(task: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    """(place, raw line) of the lines that start inside the task's byte range."""
    if task["kind"] == "jsonl.gz":
        with gzip.open(task["path"], "rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                yield f"line {lineno}", raw
        return
    start, stop = task["start"], task["stop"]
    with open(task["path"], "rb") as fh:
        if start > 0:
            fh.seek(start - 1)
            fh.readline()  # the rest of the line that started before this block (or just its newline)
        pos = fh.tell()
        while stop is None or pos < stop:
            raw = fh.readline()
            if not raw:
                return
            yield ("line 1" if pos == 0 else f"byte {pos}"), raw
            pos += len(raw)


def read_block(task: dict[str, Any]) -> Iterator[tuple[str, Any, str | None]]:
    """(place, input object or raw text, error) for each document of a block; a bad line has an error."""
    if task["kind"] == "parquet":
        import pyarrow.parquet as pq

        table = pq.ParquetFile(task["path"]).read_row_groups(task["row_groups"]) if task["row_groups"] else None
        first = 0
        meta = pq.ParquetFile(task["path"]).metadata
        for i in range(task["row_groups"][0] if task["row_groups"] else 0):
            first += meta.row_group(i).num_rows
        for n, row in enumerate(table.to_pylist() if table is not None else [], first + 1):
            yield f"row {n}", row, None
        return
    for place, raw in _jsonl_lines(task):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if place == "line 1" else "utf-8")
        except UnicodeDecodeError:
            yield place, raw.decode("utf-8", "replace"), "not UTF-8"
            continue
        try:
            yield place, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield place, line.rstrip("\n"), f"invalid JSON ({exc.msg} at column {exc.colno})"


# -- writing one shard -----------------------------------------------------------------------------------------


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.parent / f".tmp-{path.name}-{uuid.uuid4().hex[:8]}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _write_parquet(path: Path, records: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.string()), ("extractor", pa.string()), ("record", pa.string())])
    table = pa.table({"id": [str(r.get("id")) for r in records],
                      "extractor": [r.get("extractor") for r in records],
                      "record": [json.dumps(r, ensure_ascii=False) for r in records]}, schema=schema)
    tmp = path.parent / f".tmp-{path.name}-{uuid.uuid4().hex[:8]}"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def read_shard(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of one shard (JSON Lines or Parquet) as dicts."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(columns=["record"]):
            for value in batch.column(0).to_pylist():
                yield json.loads(value)
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_shards(out: str | Path) -> Iterator[dict[str, Any]]:
    """Every record of a shard folder (rejects and temporary files left out)."""
    root = Path(out)
    for path in sorted(list(root.glob("*.jsonl")) + list(root.glob("*.parquet"))):
        yield from read_shard(path)


def read_rejects(out: str | Path) -> Iterator[dict[str, Any]]:
    for path in sorted((Path(out) / REJECTS).glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


class ShardWriter:
    """Loads the pipeline once; called with a task, extracts its block and writes its shard."""

    def __init__(self, out: str, fmt: str = "jsonl", kb_paths: tuple[str, ...] = (), lang: str | None = None,
                 pipeline: Any = None, delay: float = 0.0, crash_once: str | None = None) -> None:
        from .pipeline import load_pipeline

        self.out = Path(out)
        self.fmt = fmt
        self.lang = lang
        self.pipe = pipeline or load_pipeline([Path(p) for p in kb_paths])
        self.delay = delay  # seconds to wait before writing each shard: lets the tests kill a run midway
        self.crash_once = crash_once  # a file: the first worker to create it dies (tests: Ray retries the block)

    def __call__(self, task: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        target = shard_path(self.out, task["name"], self.fmt)
        summary = {"shard": target.name, "docs": 0, "records": 0, "events": 0, "rejects": 0, "skipped": False}
        if target.exists():  # written by an earlier run, or by a retried worker
            summary["skipped"] = True
            return summary
        records: list[dict[str, Any]] = []
        rejects: list[dict[str, Any]] = []
        origin = task["path"]
        for place, obj, error in read_block(task):
            summary["docs"] += 1
            stage = "read"
            if error is None:
                try:
                    if self.lang and isinstance(obj, dict):
                        obj = {**obj, "lang": self.lang}
                    rec = self.pipe.run_obj(obj)
                    records.append(rec)
                    summary["events"] += len(rec.get("events") or [])
                    continue
                except SambandhError as err:
                    stage, error = ("read" if isinstance(err, InputError) else "extract"), str(err)
                except Exception as exc:  # noqa: BLE001 - a bug must cost one document, not the shard
                    stage, error = "extract", f"{type(exc).__name__}: {exc}"
            rejects.append({"id": obj.get("id") if isinstance(obj, dict) else None, "origin": origin,
                            "place": place, "stage": stage, "reason": error, "input": obj})
        if self.delay:
            time.sleep(self.delay)
        if self.crash_once:
            try:
                with open(self.crash_once, "x"):
                    pass
            except FileExistsError:
                pass
            else:
                os._exit(70)  # a worker that dies in the middle of a block
        rej_path = self.out / REJECTS / f"{task['name']}.jsonl"
        if rejects:  # before the shard: a shard that exists has its rejects written
            _atomic_write_text(rej_path, "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n"
                                                 for r in rejects))
        if self.fmt == "parquet":
            _write_parquet(target, records)
        else:
            _atomic_write_text(target, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        summary.update(records=len(records), rejects=len(rejects), seconds=round(time.perf_counter() - t0, 4))
        return summary
