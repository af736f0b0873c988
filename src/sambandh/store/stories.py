"""One story per real-world event, one agreement record across reports.

Stories: an event joins a story with the same type, the same pair of actors
(either direction: reports disagree on who did it to whom), the same modality,
a date within WINDOW_DAYS of the story's dates, and no conflicting evidence
(a different mode, as visit vs phone call, or a different place country). Among
several candidates the one whose evidence shares most words wins, then the
nearest in time. An event without any date joins only a story its own
document opened. Matching is greedy in ingest order, so ingesting the same
documents in the same order gives the same stories.

Agreements: a mention joins an agreement of the same parties when their
titles share words or their sectors overlap (sectors are language-neutral,
so a Hindi and an English report of one deal meet). Each mention adds a
status step with its evidence; the agreement's status is the latest step.
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Any

from sqlalchemy import bindparam, delete, distinct, func, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from .schema import agreement_status, agreements, documents, events, stories

WINDOW_DAYS = 3
STATUS_RANK = {s: i for i, s in enumerate(["proposed", "negotiating", "drafting", "finalized", "signed",
                                           "in force", "implemented"])}
_WORD = re.compile(r"\w+")


def _day(s: str | None) -> int | None:
    if not s:
        return None
    try:
        return Date.fromisoformat(s[:10]).toordinal()
    except ValueError:
        return None


def words(text: str | None) -> set[str]:
    return {w for w in _WORD.findall((text or "").casefold()) if len(w) > 2}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pair_of(a: str | None, b: str | None) -> str:
    return "|".join(sorted([a or "?", b or "?"]))


def assign_stories(conn: Connection, rows: list[dict[str, Any]], window_days: int = WINDOW_DAYS) -> set[int]:
    """Set `story_id` on each event row, creating stories as needed; returns the stories touched."""
    pairs = sorted({pair_of(r["actor_code"], r["recipient_code"]) for r in rows})
    cands: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    days = [d for d in (_day(r["date"]) for r in rows) if d is not None]
    recent: ColumnElement[bool] = stories.c.last_date.is_(None)
    if days:  # only stories that can still be within the window: keeps the candidate list short
        recent = or_(recent, stories.c.last_date >= Date.fromordinal(min(days) - window_days).isoformat())
    for i in range(0, len(pairs), 500):
        q = select(stories.c.id, stories.c.event, stories.c.pair, stories.c.modality, stories.c.first_date,
                   stories.c.last_date, stories.c.evidence, stories.c.origin_doc, stories.c.mode,
                   stories.c.loc_country).where(
            stories.c.pair.in_(pairs[i:i + 500]), recent).order_by(stories.c.id)
        for sid, ev, pair, mod, lo, hi, evidence, origin, mode, loc in conn.execute(q):
            cands.setdefault((ev, pair, mod), []).append(
                {"id": sid, "rank": sid, "lo": _day(lo), "hi": _day(hi), "evidence": evidence, "words": None,
                 "origin": origin, "mode": mode, "loc": loc})
    created: list[dict[str, Any]] = []
    new_rows: list[dict[str, Any]] = []
    for r in rows:
        key = (r["event"], pair_of(r["actor_code"], r["recipient_code"]), r["modality"] or "asserted")
        day, ws = _day(r["date"]), None
        best, best_score = None, None
        for c in cands.get(key, []):
            if c["mode"] and r["mode"] and c["mode"] != r["mode"]:
                continue
            if c["loc"] and r["loc_country"] and c["loc"] != r["loc_country"]:
                continue
            if day is None or c["lo"] is None:
                if c["origin"] != r["doc_id"]:
                    continue
                gap = 0
            else:
                gap = max(c["lo"] - day, day - c["hi"], 0)
                if gap > window_days:
                    continue
            if ws is None:
                ws = words(r["evidence"])
            if c["words"] is None:
                c["words"] = words(c["evidence"])
            score = (jaccard(ws, c["words"]), -gap, -c["rank"])
            if best_score is None or score > best_score:
                best, best_score = c, score
        if best is None:
            new_rows.append({
                "event": key[0], "pair": key[1], "modality": key[2], "actor": r["actor_code"],
                "recipient": r["recipient_code"], "first_date": r["date"], "last_date": r["date"], "mentions": 0,
                "articles": 0, "sources": 0, "quad_code": r["quad_code"], "cameo": r["cameo"],
                "evidence": r["evidence"], "origin_doc": r["doc_id"], "mode": r["mode"],
                "loc_country": r["loc_country"]})
            best = {"id": None, "rank": 1 << 62 | len(created), "lo": day, "hi": day, "evidence": r["evidence"],
                    "words": ws, "origin": r["doc_id"], "mode": r["mode"], "loc": r["loc_country"]}
            created.append(best)
            cands.setdefault(key, []).append(best)
        elif day is not None and best["lo"] is not None:
            best["lo"], best["hi"] = min(best["lo"], day), max(best["hi"], day)
        r["_story"] = best
    if new_rows:  # one round trip for all new stories, ids back in order
        ids = conn.execute(stories.insert().returning(stories.c.id, sort_by_parameter_order=True),
                           new_rows).scalars().all()
        for c, sid in zip(created, ids, strict=True):
            c["id"] = sid
    touched: set[int] = set()
    for r in rows:
        r["story_id"] = r.pop("_story")["id"]
        touched.add(r["story_id"])
    return touched


def refresh_stories(conn: Connection, ids: set[int]) -> None:
    """Recompute counts and dates of these stories from their events; drop stories left empty."""
    ids_l = sorted(i for i in ids if i is not None)
    if not ids_l:
        return
    seen = func.coalesce(documents.c.published, func.substr(documents.c.ingested_at, 1, 10))
    q = (select(events.c.story_id, func.count(), func.count(distinct(events.c.doc_id)),
                func.count(distinct(documents.c.source)), func.min(events.c.date), func.max(events.c.date),
                func.min(seen), func.max(seen), func.avg(events.c.goldstein))
         .join(documents, documents.c.id == events.c.doc_id)
         .where(events.c.story_id.in_(ids_l)).group_by(events.c.story_id))
    rows = [{"b_id": sid, "mentions": n, "articles": na, "sources": max(ns, 1), "first_date": lo,
             "last_date": hi, "first_seen": fs, "last_seen": ls,
             "goldstein": round(float(g), 3) if g is not None else None}
            for sid, n, na, ns, lo, hi, fs, ls, g in conn.execute(q)]
    if rows:
        conn.execute(update(stories).where(stories.c.id == bindparam("b_id")), rows)
    empty = set(ids_l) - {r["b_id"] for r in rows}
    if empty:
        conn.execute(delete(stories).where(stories.c.id.in_(sorted(empty))))


def _parties(ag: dict[str, Any]) -> list[str]:
    return sorted({p for p in ag.get("parties") or [] if p})


def assign_agreements(conn: Connection, mentions: list[tuple[str, str | None, dict[str, Any]]]) -> set[int]:
    """Store each (doc_id, date, agreement) mention as status steps of a matching or new agreement."""
    pairs = sorted({"|".join(_parties(ag)) for _, _, ag in mentions})
    cands: dict[str, list[dict[str, Any]]] = {}
    for i in range(0, len(pairs), 500):
        q = (select(agreements.c.id, agreements.c.pair, agreements.c.title, agreements.c.sectors)
             .where(agreements.c.pair.in_(pairs[i:i + 500])).order_by(agreements.c.id))
        for aid, pair, title, sectors in conn.execute(q):
            cands.setdefault(pair, []).append({"id": aid, "words": words(title), "sectors": set(sectors or [])})
    touched: set[int] = set()
    steps: list[dict[str, Any]] = []
    for doc_id, day, ag in mentions:
        parties = _parties(ag)
        pair = "|".join(parties)
        ws, sectors = words(ag.get("title")), set(ag.get("sectors") or [])
        best, best_score = None, 0.0
        for c in cands.get(pair, []):
            score = jaccard(ws, c["words"]) + (0.5 if sectors & c["sectors"] else 0.0)
            if not sectors and not c["sectors"] and not (ws and c["words"]):
                score = 0.5  # nothing to tell them apart: same parties is all we know
            if score >= 0.5 and score > best_score:
                best, best_score = c, score
        if best is None:
            aid = conn.execute(agreements.insert().returning(agreements.c.id).values(
                pair=pair, parties=parties, title=ag.get("title"), sectors=sorted(sectors), status=ag.get("status"),
                first_date=day, last_date=day, mentions=0, articles=0, origin_doc=doc_id)).scalar_one()
            best = {"id": aid, "words": ws, "sectors": set(sectors)}
            cands.setdefault(pair, []).append(best)
        elif not sectors <= best["sectors"]:
            best["sectors"] |= sectors
            conn.execute(update(agreements).where(agreements.c.id == best["id"])
                         .values(sectors=sorted(best["sectors"])))
        history = ag.get("history") or [ag]
        for h in history:
            span = h.get("span") or [None, None]
            steps.append({"agreement_id": best["id"], "doc_id": doc_id, "status": h.get("status") or "proposed",
                          "date": h.get("date") or day, "sentence": h.get("sentence"), "span_start": span[0],
                          "span_end": span[1] if len(span) > 1 else None, "evidence": h.get("evidence")})
        touched.add(best["id"])
    if steps:
        conn.execute(agreement_status.insert(), steps)
    return touched


def status_order(step: dict[str, Any]) -> tuple[str, int, int]:
    return (step.get("date") or "", STATUS_RANK.get(step["status"], len(STATUS_RANK)), step.get("id") or 0)


def refresh_agreements(conn: Connection, ids: set[int]) -> None:
    """Current status (the latest step), dates and counts of these agreements; drop ones left unmentioned."""
    ids_l = sorted(ids)
    if not ids_l:
        return
    by_id: dict[int, list[dict[str, Any]]] = {}
    q = (select(agreement_status.c.id, agreement_status.c.agreement_id, agreement_status.c.status,
                agreement_status.c.date, agreement_status.c.doc_id)
         .where(agreement_status.c.agreement_id.in_(ids_l)))
    for sid, aid, status, day, doc in conn.execute(q):
        by_id.setdefault(aid, []).append({"id": sid, "status": status, "date": day, "doc": doc})
    rows = []
    for aid, steps in by_id.items():
        steps.sort(key=status_order)
        dates = [s["date"] for s in steps if s["date"]]
        rows.append({"b_id": aid, "status": steps[-1]["status"], "first_date": min(dates) if dates else None,
                     "last_date": max(dates) if dates else None, "mentions": len(steps),
                     "articles": len({s["doc"] for s in steps})})
    if rows:
        conn.execute(update(agreements).where(agreements.c.id == bindparam("b_id")), rows)
    empty = set(ids_l) - set(by_id)
    if empty:
        conn.execute(delete(agreements).where(agreements.c.id.in_(sorted(empty))))
