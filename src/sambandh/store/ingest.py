"""Ingest and reprocess: sources -> extraction -> the store, one transaction per batch.

Resuming is re-running: a document already stored is recognised by its key
before it is extracted, so an interrupted ingest started again skips what the
committed batches hold and stores the rest, in the same order, which gives
the same stories. A document whose extraction fails goes to the rejects table
with its reason and the batch goes on; a bad source is reported and skipped.
A feed's conditional-GET state is saved only after its entries are committed,
so a killed ingest never loses feed entries.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import EXTRACTOR_VERSION
from ..errors import SambandhError
from ..read import document_from_obj
from .core import Store
from .schema import documents, feeds
from .sources import Fetcher, Item, Reader, host
from .stories import WINDOW_DAYS
from .write import (
    Prepared,
    content_key,
    delete_derived,
    existing_keys,
    ident_key,
    keys_by_ident,
    keys_by_url,
    now,
    record_key,
    reject_row,
    update_documents,
    write_batch,
    write_derived,
    write_rejects,
)

_WORKER_PIPELINE: Any = None


def _init_worker(kb_paths: tuple[Any, ...]) -> None:
    global _WORKER_PIPELINE
    from ..pipeline import load_pipeline

    _WORKER_PIPELINE = load_pipeline(kb_paths)


def _extract_with(pipeline: Any, doc: Any) -> dict[str, Any] | str:
    try:
        return pipeline.record(doc)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        return str(exc) if isinstance(exc, SambandhError) else f"{type(exc).__name__}: {exc}"


def _extract_one(doc: Any) -> dict[str, Any] | str:
    return _extract_with(_WORKER_PIPELINE, doc)


@dataclass
class IngestResult:
    read: int = 0  # items read from the sources
    stored: int = 0  # new documents
    replaced: int = 0  # documents updated (new record version, or new text at a known URL)
    skipped: int = 0  # already stored
    events: int = 0
    rejects: int = 0  # items that failed (read, extract or store)
    bad_sources: int = 0
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "stored": self.stored, "replaced": self.replaced, "skipped": self.skipped,
                "events": self.events, "rejects": self.rejects, "bad_sources": self.bad_sources,
                "seconds": round(self.seconds, 3), "docs_per_s": round(self.docs_per_s, 1)}


Progress = Callable[[IngestResult], None]


class Ingester:
    def __init__(self, store: Store, *, pipeline: Any = None, kb_paths: Iterable[Any] = (), batch_size: int = 100,
                 window_days: int = WINDOW_DAYS, lang: str | None = None, report: Callable[[str], None] | None = None,
                 progress: Progress | None = None, jobs: int = 1) -> None:
        self.store = store
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._pipeline = pipeline
        self.kb_paths = tuple(kb_paths)
        self.batch_size = max(1, batch_size)
        self.window_days = window_days
        self.lang = lang
        self.report = report or (lambda msg: print(f"sambandh: {msg}", file=sys.stderr))
        self.progress = progress
        self.result = IngestResult()
        self.carried = 0  # rejects carried over from extract shard folders
        self._rejects: list[dict[str, Any]] = []

    @property
    def pipeline(self) -> Any:
        if self._pipeline is None:  # loading knowledge takes a moment: only when something needs extracting
            from ..pipeline import load_pipeline

            self._pipeline = load_pipeline(self.kb_paths)
        return self._pipeline

    # -- errors ------------------------------------------------------------------------------------
    def on_error(self, origin: str | None, place: str | None, stage: str, reason: str, raw: Any = None) -> None:
        where = f"{origin}: {place}" if place else f"{origin}"
        self.report(f"skipped {where}: {reason}")
        if stage == "source":
            self.result.bad_sources += 1
        else:
            self.result.rejects += 1
        self._rejects.append(reject_row(origin, place, stage, reason, raw))

    # -- ingest ------------------------------------------------------------------------------------
    def reader(self, *, follow: bool = True, fetcher: Fetcher | None = None, stdin: Any = None) -> Reader:
        def feed_state(url: str) -> tuple[str | None, str | None]:
            with self.store.connect() as conn:
                row = conn.execute(select(feeds.c.etag, feeds.c.modified).where(feeds.c.url == url)).first()
            return (row[0], row[1]) if row else (None, None)

        def known_url(url: str) -> bool:
            with self.store.connect() as conn:
                return conn.execute(select(documents.c.id).where(documents.c.url == url).limit(1)).first() is not None

        return Reader(self.on_error, fetcher or Fetcher(), follow, feed_state, known_url, stdin)

    def ingest(self, specs: list[str], *, follow: bool = True, fetcher: Fetcher | None = None,
               stdin: Any = None) -> IngestResult:
        start = time.monotonic()
        reader = self.reader(follow=follow, fetcher=fetcher, stdin=stdin)
        pending: list[Item] = []
        try:
            for item in reader.items(specs):
                if item.kind == "feed":
                    self.flush(pending)
                    pending = []
                    self._save_feed(item.obj)
                    continue
                if item.kind == "reject":
                    r = item.obj
                    self.result.rejects += 1
                    self.carried += 1
                    self._rejects.append(reject_row(item.origin, item.place, str(r.get("stage") or "extract"),
                                                    str(r.get("reason") or "rejected by extract"), r.get("input")))
                    continue
                self.result.read += 1
                pending.append(item)
                if len(pending) >= self.batch_size:
                    self.flush(pending)
                    pending = []
                    self._tick(start)
            self.flush(pending)
        finally:
            reader.fetcher.close()
            self.close()
        if self.carried:
            self.report(f"{self.carried} reject(s) of the extract run kept in the rejects table")
        self._tick(start)
        return self.result

    def ingest_objects(self, objs: Iterable[dict[str, Any]], origin: str = "<api>") -> IngestResult:
        """Store input objects ({"id","text",...}: extracted here) or extract records (carrying "events":
        stored as they are), e.g. from a Ray engine's output."""
        start = time.monotonic()
        pending: list[Item] = []
        for n, obj in enumerate(objs, 1):
            self.result.read += 1
            kind = "record" if isinstance(obj, dict) and isinstance(obj.get("events"), list) else "input"
            url = obj.get("url") if isinstance(obj, dict) else None
            pending.append(Item(kind, obj, origin, f"item {n}", host(url) or origin))
            if len(pending) >= self.batch_size:
                self.flush(pending)
                pending = []
                self._tick(start)
        self.flush(pending)
        self.close()
        self._tick(start)
        return self.result

    def _tick(self, start: float) -> None:
        self.result.seconds = time.monotonic() - start
        if self.progress:
            self.progress(self.result)

    def _save_feed(self, state: dict[str, Any]) -> None:
        row = {"url": state["url"], "etag": state.get("etag"), "modified": state.get("modified"),
               "title": state.get("title"), "checked_at": now(), "status": state.get("status")}
        with self.store.begin() as conn:
            if conn.execute(select(feeds.c.url).where(feeds.c.url == row["url"])).first():
                if row["status"] == 304:  # nothing new: keep what the last full response said
                    conn.execute(feeds.update().where(feeds.c.url == row["url"])
                                 .values(checked_at=row["checked_at"], status=304))
                else:
                    conn.execute(feeds.update().where(feeds.c.url == row["url"]).values(**row))
            else:
                conn.execute(feeds.insert().values(**row))

    def _prepare(self, item: Item) -> Prepared | None:
        obj = item.obj
        if item.kind == "record":
            raw = obj.get("text")
            text = raw if isinstance(raw, str) and raw.strip() else None
            rec = {k: v for k, v in obj.items() if k != "text"}
            rec.setdefault("extractor", "unknown")
            known = {"id", "contract", "lang", "published", "date", "title", "url", "countries", "topics",
                     "entities", "events", "agreements", "commitments", "extractor"}
            return Prepared(content_key(text) if text else record_key(rec), rec, text, item.origin, item.source,
                            obj.get("lang"), {k: v for k, v in rec.items() if k not in known})
        try:
            doc = document_from_obj(obj, f"{item.origin}: {item.place}" if item.place else item.origin)
        except SambandhError as err:
            self.on_error(item.origin, item.place, "read", str(err).rsplit(": ", 1)[-1], obj)
            return None
        if self.lang:
            doc.lang = self.lang
        p = Prepared(content_key(doc.text), {}, doc.text, item.origin, item.source, doc.lang, doc.meta)
        p.record = {"_doc": doc}  # extracted later, only if new
        return p

    def flush(self, items: list[Item]) -> None:
        batch: dict[str, Prepared] = {}
        places: dict[str, Item] = {}
        for item in items:
            p = self._prepare(item)
            if p is None:
                continue
            if p.key in batch:
                self.result.skipped += 1
                continue
            batch[p.key] = p
            places[p.key] = item
        for attempt in (1, 2):
            try:
                self._store(batch, places)
                break
            except IntegrityError:  # another ingest stored some of them meanwhile: look again, once
                if attempt == 2:
                    raise
        if self._rejects:
            with self.store.begin() as conn:
                write_rejects(conn, self._rejects)
            self._rejects = []

    def _store(self, batch: dict[str, Prepared], places: dict[str, Item]) -> None:
        idents = {key: _ident(p) for key, p in batch.items()}
        with self.store.connect() as conn:
            have = existing_keys(conn, list(batch))
            urls = keys_by_url(conn, [p.record["_doc"].url if "_doc" in p.record else p.record.get("url")
                                      for p in batch.values()])
            by_ident = keys_by_ident(conn, sorted(set(idents.values())))
        new: list[Prepared] = []
        redo: list[Prepared] = []  # a stored record whose extractor version changed
        drop: list[str] = []  # stored documents whose URL now has new text
        todo: list[Prepared] = []
        adopt: list[tuple[str, Prepared]] = []  # text for a stored record that came without it
        for key, p in batch.items():
            known = by_ident.get(idents[key])
            if key not in have and known and "_doc" not in p.record and not p.text:
                key = p.key = known[0]  # a record of a document stored with its text
                have[key] = known[2]
            if key in have:
                if "_doc" not in p.record and have[key] != p.record.get("extractor"):
                    redo.append(p)
                else:
                    self.result.skipped += 1
            elif "_doc" in p.record and known and not known[1]:
                adopt.append((known[0], p))
                self.result.skipped += 1
            elif "_doc" in p.record:
                todo.append(p)
        done = self._extract([p.record["_doc"] for p in todo])
        for p, out in zip(todo, done, strict=True):
            doc = p.record["_doc"]
            if isinstance(out, str):
                item = places[p.key]
                self.on_error(item.origin, item.place or doc.id, "extract", f"extraction failed: {out}", item.obj)
                p.key = ""  # not stored
                continue
            p.record, p.meta = out, doc.meta
        for key, p in batch.items():
            if key in have or p.key in have or not p.key or "_doc" in p.record:
                continue
            url = p.record.get("url")
            if url and url in urls and urls[url] != key:
                drop.append(urls[url])
            new.append(p)
        if not (new or redo or adopt):
            return
        with self.store.begin() as conn:
            for stored, p in adopt:
                conn.execute(documents.update().where(documents.c.id == stored)
                             .values(text=p.text, lang_in=p.lang_in, origin=p.origin))
            if drop:
                delete_derived(conn, sorted(set(drop)), drop_documents=True)
            if redo:
                delete_derived(conn, [p.key for p in redo])
                update_documents(conn, redo)
                write_derived(conn, redo, window_days=self.window_days)
            res = write_batch(conn, new, window_days=self.window_days)
        self.result.stored += len(new) - len(set(drop))
        self.result.replaced += len(redo) + len(set(drop))
        self.result.events += res.events + sum(len(p.record.get("events") or []) for p in redo)

    def _extract(self, docs: list[Any]) -> list[dict[str, Any] | str]:
        """Records for these documents, or for each failure its reason; in parallel with jobs > 1."""
        if self.jobs > 1 and self._pipeline is None and len(docs) > 1:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(self.kb_paths,))
            return list(self._pool.map(_extract_one, docs, chunksize=max(1, len(docs) // (self.jobs * 4))))
        return [_extract_with(self.pipeline, d) for d in docs]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    # -- reprocess ---------------------------------------------------------------------------------
    def reprocess(self, *, everything: bool = False, limit: int | None = None) -> IngestResult:
        """Re-run extraction on stored documents made by another extractor version (or all of them)."""
        start = time.monotonic()
        d = documents.c
        q = select(d.id).where(d.text.is_not(None)).order_by(d.ingested_at, d.id)
        if not everything:
            q = q.where((d.extractor != EXTRACTOR_VERSION) | d.extractor.is_(None))
        with self.store.connect() as conn:
            ids = list(conn.execute(q).scalars())
            self.result.skipped = conn.execute(select(func.count()).where(d.text.is_(None))).scalar_one()
        if limit is not None:
            ids = ids[:limit]
        for i in range(0, len(ids), self.batch_size):
            chunk = ids[i:i + self.batch_size]
            with self.store.connect() as conn:
                rows = conn.execute(select(documents).where(d.id.in_(chunk))).all()
            done: list[Prepared] = []
            order = {k: i for i, k in enumerate(chunk)}
            rows = sorted(rows, key=lambda r: order[r.id])
            docs = [document_from_obj({"id": row.source_id or row.id, "text": row.text, "title": row.title,
                                       "url": row.url, "published": row.published, "lang": row.lang_in,
                                       **(row.meta or {})}, row.id) for row in rows]
            for row, rec in zip(rows, self._extract(docs), strict=True):
                self.result.read += 1
                if isinstance(rec, str):
                    self.on_error(row.origin, row.source_id, "extract", f"reprocess failed, kept as it was: {rec}",
                                  None)
                    continue
                done.append(Prepared(row.id, rec, row.text, row.origin, row.source, row.lang_in, row.meta or {}))
            with self.store.begin() as conn:
                delete_derived(conn, [p.key for p in done])
                update_documents(conn, done)
                res = write_derived(conn, done, window_days=self.window_days)
                write_rejects(conn, self._rejects)
                self._rejects = []
            self.result.replaced += len(done)
            self.result.events += res.events
            self._tick(start)
        self.close()
        self._tick(start)
        return self.result


def _ident(p: Prepared) -> str:
    if "_doc" in p.record:
        doc = p.record["_doc"]
        return ident_key(doc.id, doc.url, doc.title, doc.published)
    return record_key(p.record)


def ingest_records(store: Store, objs: Iterable[dict[str, Any]], origin: str = "<api>",
                   **kwargs: Any) -> IngestResult:
    """Store extract records (or input objects, extracted on the way) from Python."""
    return Ingester(store, **kwargs).ingest_objects(objs, origin)


def ingest(store: Store, specs: list[str], **kwargs: Any) -> IngestResult:
    """Ingest sources into `store`; keyword arguments as for Ingester (plus follow, fetcher, stdin)."""
    run = {k: kwargs.pop(k) for k in ("follow", "fetcher", "stdin") if k in kwargs}
    return Ingester(store, **kwargs).ingest(specs, **run)
