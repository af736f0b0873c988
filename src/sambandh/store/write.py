"""Writing extract records into the store: one batch, one transaction.

A document's key is the hash of its text (whitespace folded, NFC), or of its
identity (id, url, title, published) for an extract record that carries no
text. Events join stories and agreement mentions join agreements here (see
stories.py); the counts on stories, agreements and actors are recomputed for
what a batch touched, so they stay right after deletes and reprocessing.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection

from . import stories as st
from .schema import (
    actors,
    agreement_status,
    agreements,
    commitments,
    documents,
    entities,
    events,
    rejects,
    stories,
)

RAW_LIMIT = 200_000  # characters of a rejected input kept in the rejects table


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_key(text: str) -> str:
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def ident_key(doc_id: Any, url: Any, title: Any, published: Any) -> str:
    """Identity of a document apart from its text: how a record without text is known."""
    ident = json.dumps([None if doc_id is None else str(doc_id), url or None, title or None, published or None],
                       ensure_ascii=False)
    return "r" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:31]


def record_key(rec: dict[str, Any]) -> str:
    return ident_key(rec.get("id"), rec.get("url"), rec.get("title"), rec.get("published"))


@dataclass(slots=True)
class Prepared:
    """One document ready to store: its extract record plus where it came from."""

    key: str
    record: dict[str, Any]
    text: str | None = None
    origin: str | None = None  # file path, URL or feed it was read from
    source: str | None = None  # what "sources" counts: URL host, feed or file name
    lang_in: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class BatchResult:
    documents: int = 0
    events: int = 0
    replaced: int = 0
    rejects: int = 0


def reject_row(origin: str | None, place: str | None, stage: str, reason: str, raw: Any = None) -> dict[str, Any]:
    key = hashlib.sha1(f"{origin}\x00{place}\x00{reason}".encode()).hexdigest()
    if raw is not None and not isinstance(raw, str):
        raw = json.dumps(raw, ensure_ascii=False, default=str)
    return {"key": key, "origin": origin, "place": place, "stage": stage, "reason": reason,
            "raw": raw[:RAW_LIMIT] if raw else None, "created_at": now()}


def write_rejects(conn: Connection, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    uniq = {r["key"]: r for r in rows}
    have = set(conn.execute(select(rejects.c.key).where(rejects.c.key.in_(list(uniq)))).scalars())
    new = [r for k, r in uniq.items() if k not in have]
    if new:
        conn.execute(rejects.insert(), new)
    return len(new)


def _span(obj: dict[str, Any]) -> tuple[int | None, int | None]:
    span = obj.get("span") or [None, None]
    return (span[0], span[1]) if len(span) >= 2 else (None, None)


def _doc_date(rec: dict[str, Any]) -> str | None:
    return rec.get("date") or rec.get("published")


def _event_row(ev: dict[str, Any], doc_id: str, seq: int, rec: dict[str, Any]) -> dict[str, Any]:
    a, r, loc = ev.get("actor") or {}, ev.get("recipient") or {}, ev.get("event_loc") or {}
    s, e = _span(ev)
    topics = ev.get("topics") or []
    return {
        "doc_id": doc_id, "key": (str(ev["id"])[:128] if ev.get("id") is not None else None), "seq": seq,
        "event": ev.get("event") or "?", "mode": ev.get("mode"), "reciprocal": bool(ev.get("reciprocal")),
        "modality": ev.get("modality") or "asserted", "quad_code": ev.get("quad_code"), "cameo": ev.get("cameo"),
        "goldstein": ev.get("goldstein"),
        "actor_code": a.get("code"), "actor_country": a.get("country"), "actor_sector": a.get("sector"),
        "actor_office": a.get("office"), "actor_name": a.get("name"),
        "recipient_code": r.get("code"), "recipient_country": r.get("country"),
        "recipient_sector": r.get("sector"), "recipient_office": r.get("office"), "recipient_name": r.get("name"),
        "topics_key": "|" + "|".join(topics) + "|" if topics else None,
        "loc_name": loc.get("name"), "loc_country": loc.get("country"),
        "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
        "date": ev.get("date") or _doc_date(rec), "sentence": ev.get("sentence"), "span_start": s, "span_end": e,
        "evidence": ev.get("evidence"), "rule": ev.get("rule"), "confidence": ev.get("confidence"),
        "extractor": rec.get("extractor"), "data": ev,
    }


def _entity_row(ent: dict[str, Any], doc_id: str) -> dict[str, Any]:
    s, e = _span(ent)
    known = {"text", "type", "span", "name", "code", "country", "office"}
    return {"doc_id": doc_id, "type": ent.get("type"), "text": ent.get("text"), "name": ent.get("name"),
            "code": ent.get("code"), "country": ent.get("country"), "office": ent.get("office"),
            "span_start": s, "span_end": e, "extra": {k: v for k, v in ent.items() if k not in known} or None}


def _commitment_row(cm: dict[str, Any], doc_id: str, rec: dict[str, Any]) -> dict[str, Any]:
    s, e = _span(cm)
    parties = [p for p in cm.get("parties") or [] if p]
    return {"doc_id": doc_id, "pair": "|".join(sorted(set(parties))) or None, "parties": parties,
            "action": cm.get("action"), "object": cm.get("object"), "topics": cm.get("topics") or [],
            "horizon": cm.get("horizon"), "modality": cm.get("modality"), "date": _doc_date(rec),
            "span_start": s, "span_end": e, "evidence": cm.get("evidence")}


def _doc_row(p: Prepared) -> dict[str, Any]:
    rec = p.record
    return {"id": p.key, "source_id": (str(rec["id"])[:512] if rec.get("id") is not None else None),
            "ident": record_key(rec),
            "url": rec.get("url"), "title": rec.get("title"), "published": rec.get("published"),
            "date": _doc_date(rec), "lang": rec.get("lang"), "lang_in": p.lang_in, "source": p.source,
            "origin": p.origin, "text": p.text, "meta": p.meta or None, "countries": rec.get("countries") or [],
            "topics": rec.get("topics") or [], "extractor": rec.get("extractor"), "contract": rec.get("contract"),
            "n_events": len(rec.get("events") or []), "ingested_at": now()}


def write_batch(conn: Connection, docs: list[Prepared], *, window_days: int = st.WINDOW_DAYS) -> BatchResult:
    """Insert new documents with everything extracted from them. The caller holds the transaction."""
    res = BatchResult()
    if not docs:
        return res
    conn.execute(documents.insert(), [_doc_row(p) for p in docs])
    res.documents = len(docs)
    write_derived(conn, docs, window_days=window_days, res=res)
    return res


def write_derived(conn: Connection, docs: list[Prepared], *, window_days: int = st.WINDOW_DAYS,
                  res: BatchResult | None = None) -> BatchResult:
    """Entities, events (joined to stories), agreements, commitments of documents already in `documents`."""
    res = res or BatchResult()
    ent_rows = [_entity_row(e, p.key) for p in docs for e in p.record.get("entities") or []]
    if ent_rows:
        conn.execute(entities.insert(), ent_rows)
    ev_rows = [_event_row(ev, p.key, i, p.record) for p in docs for i, ev in enumerate(p.record.get("events") or [])]
    if ev_rows:
        touched = st.assign_stories(conn, ev_rows, window_days)
        conn.execute(events.insert(), ev_rows)
        st.refresh_stories(conn, touched)
        add_to_actors(conn, ev_rows)
        res.events += len(ev_rows)
    cm_rows = [_commitment_row(c, p.key, p.record) for p in docs for c in p.record.get("commitments") or []]
    if cm_rows:
        conn.execute(commitments.insert(), cm_rows)
    mentions = [(p.key, _doc_date(p.record), ag) for p in docs for ag in p.record.get("agreements") or []]
    if mentions:
        st.refresh_agreements(conn, st.assign_agreements(conn, mentions))
    return res


def delete_derived(conn: Connection, doc_ids: list[str], *, drop_documents: bool = False) -> None:
    """Remove what was extracted from these documents (and the documents too, if asked), keeping stories,
    agreements and actors consistent."""
    if not doc_ids:
        return
    story_ids = set(conn.execute(select(events.c.story_id).where(events.c.doc_id.in_(doc_ids))).scalars())
    codes: set[str] = set()
    for col in (events.c.actor_code, events.c.recipient_code):
        codes |= set(conn.execute(select(col).where(events.c.doc_id.in_(doc_ids))).scalars())
    ag_ids = set(conn.execute(select(agreement_status.c.agreement_id)
                              .where(agreement_status.c.doc_id.in_(doc_ids))).scalars())
    for table in (events, entities, commitments, agreement_status):
        conn.execute(delete(table).where(table.c.doc_id.in_(doc_ids)))
    # A story or agreement that such a document opened keeps its row while others still mention it.
    st.refresh_stories(conn, story_ids - {None})
    st.refresh_agreements(conn, ag_ids)
    refresh_actors(conn, codes)
    if drop_documents:
        conn.execute(update(stories).where(stories.c.origin_doc.in_(doc_ids)).values(origin_doc=None))
        conn.execute(update(agreements).where(agreements.c.origin_doc.in_(doc_ids)).values(origin_doc=None))
        conn.execute(delete(documents).where(documents.c.id.in_(doc_ids)))


def add_to_actors(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Count new events into the actors table (recounting every event of a busy actor per batch is slow)."""
    delta: dict[str, dict[str, Any]] = {}
    for r in rows:
        for role, name in (("actor", "as_actor"), ("recipient", "as_recipient")):
            code = r[f"{role}_code"]
            if not code:
                continue
            d = delta.setdefault(code, {"code": code, "as_actor": 0, "as_recipient": 0, "first_date": None,
                                        "last_date": None, "country": None})
            d[name] += 1
            d["country"] = d["country"] or r[f"{role}_country"]
            if r["date"]:
                d["first_date"] = min(d["first_date"] or r["date"], r["date"])
                d["last_date"] = max(d["last_date"] or r["date"], r["date"])
    if not delta:
        return
    have = {row.code: row for row in conn.execute(select(actors).where(actors.c.code.in_(sorted(delta))))}
    fresh = [d for c, d in delta.items() if c not in have]
    if fresh:
        conn.execute(actors.insert(), fresh)
    upd = []
    for code, old in have.items():
        d = delta[code]
        upd.append({"b_code": code, "as_actor": old.as_actor + d["as_actor"],
                    "as_recipient": old.as_recipient + d["as_recipient"], "country": old.country or d["country"],
                    "first_date": min(x for x in (old.first_date, d["first_date"], "9999") if x) if
                    (old.first_date or d["first_date"]) else None,
                    "last_date": max(x for x in (old.last_date, d["last_date"], "") if x) if
                    (old.last_date or d["last_date"]) else None})
    if upd:
        conn.execute(update(actors).where(actors.c.code == bindparam("b_code")), upd)


def refresh_actors(conn: Connection, codes: set[str] | set[str | None]) -> None:
    """Recount these actors from their events (after deletes)."""
    codes_l = sorted(c for c in codes if c)
    if not codes_l:
        return
    stats: dict[str, dict[str, Any]] = {c: {"code": c, "as_actor": 0, "as_recipient": 0, "first_date": None,
                                            "last_date": None, "country": None} for c in codes_l}
    for col, ccol, name in ((events.c.actor_code, events.c.actor_country, "as_actor"),
                            (events.c.recipient_code, events.c.recipient_country, "as_recipient")):
        q = (select(col, func.count(), func.min(events.c.date), func.max(events.c.date), func.max(ccol))
             .where(col.in_(codes_l)).group_by(col))
        for code, n, lo, hi, country in conn.execute(q):
            s = stats[code]
            s[name] = n
            s["country"] = s["country"] or country
            s["first_date"] = min(x for x in (s["first_date"], lo) if x) if (s["first_date"] or lo) else None
            s["last_date"] = max(x for x in (s["last_date"], hi) if x) if (s["last_date"] or hi) else None
    conn.execute(delete(actors).where(actors.c.code.in_(codes_l)))
    keep = [s for s in stats.values() if s["as_actor"] or s["as_recipient"]]
    if keep:
        conn.execute(actors.insert(), keep)


def existing_keys(conn: Connection, keys: list[str]) -> dict[str, str | None]:
    """Stored document key -> its extractor version, for the keys given."""
    out: dict[str, str | None] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        out.update(conn.execute(select(documents.c.id, documents.c.extractor)
                                .where(documents.c.id.in_(chunk))).all())
    return out


def keys_by_ident(conn: Connection, idents: list[str]) -> dict[str, tuple[str, bool, str | None]]:
    """ident -> (stored key, has text, extractor) for the idents given."""
    out: dict[str, tuple[str, bool, str | None]] = {}
    for i in range(0, len(idents), 500):
        q = (select(documents.c.ident, documents.c.id, documents.c.text.is_not(None), documents.c.extractor)
             .where(documents.c.ident.in_(idents[i:i + 500])).order_by(documents.c.ingested_at))
        for ident, key, has_text, ext in conn.execute(q):
            out.setdefault(ident, (key, bool(has_text), ext))
    return out


def keys_by_url(conn: Connection, urls: list[str | None]) -> dict[str, str]:
    out: dict[str, str] = {}
    given = [u for u in urls if u]
    for i in range(0, len(given), 500):
        out.update(conn.execute(select(documents.c.url, documents.c.id)
                                .where(documents.c.url.in_(given[i:i + 500]))).all())
    return out


def update_documents(conn: Connection, docs: list[Prepared]) -> None:
    """Refresh the document rows of re-extracted documents (record fields and extractor version)."""
    rows = [{"b_id": p.key, "lang": p.record.get("lang"), "date": _doc_date(p.record),
             "countries": p.record.get("countries") or [], "topics": p.record.get("topics") or [],
             "extractor": p.record.get("extractor"), "contract": p.record.get("contract"),
             "n_events": len(p.record.get("events") or [])} for p in docs]
    if rows:
        conn.execute(update(documents).where(documents.c.id == bindparam("b_id"))
                     .values(lang=bindparam("lang"), date=bindparam("date"), countries=bindparam("countries"),
                             topics=bindparam("topics"), extractor=bindparam("extractor"),
                             contract=bindparam("contract"), n_events=bindparam("n_events")), rows)
