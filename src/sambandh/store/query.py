"""Reading the store: event filters, dyad series, actors, stories, agreements, documents, stats.

Every function takes an open connection and returns plain dicts and lists.
FILTERS is the one table of event filters: the CLI options, the HTTP API's
query parameters and the docs all come from it.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from datetime import date as Date
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from .schema import StoreError, agreement_status, commitments, documents, entities, events, meta
from .schema import actors as actors_t
from .schema import agreements as agreements_t
from .schema import rejects as rejects_t
from .schema import stories as stories_t
from .stories import status_order

FILTERS: dict[str, str] = {
    "dyad": "A-B: events between A and B in either direction; A>B: A acting on B",
    "actor": "actor code(s) in the actor role, comma-separated",
    "recipient": "actor code(s) in the recipient role",
    "country": "code(s) on either side",
    "type": "PLOVER event type(s), e.g. CONSULT,COOPERATE",
    "quad": "quad class(es) 1-4 (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict)",
    "topic": "topic(s); an event matches if it has any of them",
    "modality": "asserted, future, hypothetical, negated, historical",
    "since": "first date, YYYY-MM-DD (inclusive)",
    "until": "last date, YYYY-MM-DD (inclusive)",
    "story": "story id",
    "document": "document id (store key or the input's id)",
    "min_confidence": "lowest confidence, 0-1",
    "q": "words the evidence contains",
}
_CODE = re.compile(r"^[A-Za-z0-9_?]{2,16}$")
_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
BY = ("day", "week", "month", "year", "all")


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, (list, tuple, set)) else str(value).split(",")
    return [str(v).strip() for v in items if str(v).strip()]


def _codes(value: Any, name: str) -> list[str]:
    out = [v.upper() for v in _list(value)]
    bad = [v for v in out if not _CODE.match(v)]
    if bad:
        raise StoreError(f"{name}: {bad[0]!r} is not an actor code (ISO alpha-3 like IND, or an org code)",
                         code="E510")
    return out


def parse_dyad(value: str) -> tuple[str, str, bool]:
    """'IND-RUS' -> (IND, RUS, undirected); 'IND>RUS' -> (IND, RUS, directed)."""
    m = re.match(r"^\s*([A-Za-z0-9_]+)\s*([->])\s*([A-Za-z0-9_]+)\s*$", value or "")
    if not m:
        raise StoreError(f"dyad {value!r}: write A-B (either direction) or A>B (A acting on B), e.g. IND-RUS",
                         code="E511")
    return m.group(1).upper(), m.group(3).upper(), m.group(2) == ">"


def _day(value: Any, name: str, end: bool = False) -> str:
    s = str(value).strip()
    if not _DAY.match(s):
        raise StoreError(f"{name}: {s!r} is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)", code="E512")
    if len(s) == 4:
        return s + ("-12-31" if end else "-01-01")
    if len(s) == 7:
        return s + ("-31" if end else "-01")
    return s


def _number(value: Any, name: str, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise StoreError(f"{name}: {value!r} is not a number", code="E514") from None


def event_conditions(f: dict[str, Any]) -> list[ColumnElement[bool]]:
    unknown = {k for k, v in f.items() if v not in (None, "", [])} - set(FILTERS)
    if unknown:
        raise StoreError(f"unknown filter {min(unknown)!r}; filters: {', '.join(FILTERS)}", code="E513")
    c = events.c
    cond: list[ColumnElement[bool]] = []
    if f.get("dyad"):
        a, b, directed = parse_dyad(f["dyad"])
        fwd = and_(c.actor_code == a, c.recipient_code == b)
        cond.append(fwd if directed else or_(fwd, and_(c.actor_code == b, c.recipient_code == a)))
    if f.get("actor"):
        cond.append(c.actor_code.in_(_codes(f["actor"], "actor")))
    if f.get("recipient"):
        cond.append(c.recipient_code.in_(_codes(f["recipient"], "recipient")))
    if f.get("country"):
        codes = _codes(f["country"], "country")
        cond.append(or_(c.actor_code.in_(codes), c.recipient_code.in_(codes)))
    if f.get("type"):
        cond.append(c.event.in_([t.upper() for t in _list(f["type"])]))
    if f.get("quad"):
        try:
            quads = [int(x) for x in _list(f["quad"])]
        except ValueError:
            raise StoreError(f"quad: {f['quad']!r}: give numbers 1-4", code="E514") from None
        cond.append(c.quad_code.in_(quads))
    if f.get("topic"):
        cond.append(or_(*[c.topics_key.like(f"%|{t}|%") for t in _list(f["topic"])]))
    if f.get("modality"):
        cond.append(c.modality.in_(_list(f["modality"])))
    if f.get("since"):
        cond.append(c.date >= _day(f["since"], "since"))
    if f.get("until"):
        cond.append(c.date <= _day(f["until"], "until", end=True))
    if f.get("story") not in (None, ""):
        cond.append(c.story_id == _number(f["story"], "story", int))
    if f.get("document"):
        d = str(f["document"])
        cond.append(or_(c.doc_id == d, c.doc_id.in_(select(documents.c.id).where(documents.c.source_id == d))))
    if f.get("min_confidence") not in (None, ""):
        cond.append(c.confidence >= _number(f["min_confidence"], "min_confidence", float))
    if f.get("q"):
        cond.extend(c.evidence.like(f"%{w}%") for w in str(f["q"]).split())
    return cond


def _encode(sort: str, ident: int | str) -> str:
    return base64.urlsafe_b64encode(json.dumps([sort, ident]).encode()).decode().rstrip("=")


def _decode(cursor: str, kind: type = int) -> tuple[str, Any]:
    """A cursor's (sort value, id); `kind` converts the id (int for rows, str for document ids)."""
    try:
        sort, ident = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return str(sort), kind(ident)
    except (ValueError, TypeError):
        raise StoreError(f"cursor {cursor!r} is not one this store gave out", code="E515") from None


def event_dict(row: Any) -> dict[str, Any]:
    """The event as the extractor wrote it, plus where it is stored: id, key, document, story, url."""
    ev = dict(row.data)
    key = ev.pop("id", None)
    out = {"id": row.id, "key": key, "document": row.doc_id, "source_id": row.source_id, "story": row.story_id,
           "url": row.url, "published": row.published}
    out.update(ev)
    out["date"] = row.date
    return out


def _event_select():
    return (select(events.c.id, events.c.doc_id, events.c.story_id, events.c.date, events.c.data,
                   documents.c.source_id, documents.c.url, documents.c.published)
            .join(documents, documents.c.id == events.c.doc_id))


def query_events(conn: Connection, filters: dict[str, Any], limit: int = 100,
                 cursor: str | None = None) -> dict[str, Any]:
    limit = max(1, min(int(limit), 10_000))
    sort = func.coalesce(events.c.date, "")
    stmt = _event_select().where(*event_conditions(filters))
    if cursor:
        d, i = _decode(cursor)
        stmt = stmt.where(tuple_(sort, events.c.id) > tuple_(d, i))
    rows = conn.execute(stmt.order_by(sort, events.c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = _encode(rows[-1].date or "", rows[-1].id) if more else None
    return {"events": [event_dict(r) for r in rows], "next": nxt}


def count_events(conn: Connection, filters: dict[str, Any]) -> int:
    return conn.execute(select(func.count()).select_from(events).where(*event_conditions(filters))).scalar_one()


def period(day: str | None, by: str) -> str:
    if not day:
        return "undated"
    if by == "day":
        return day
    if by == "month":
        return day[:7]
    if by == "year":
        return day[:4]
    if by == "week":
        y, w, _ = Date.fromisoformat(day).isocalendar()
        return f"{y}-W{w:02d}"
    return "all"


def _agreement_dict(row: Any, steps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out = {"id": row.id, "title": row.title, "parties": row.parties, "sectors": row.sectors or [],
           "status": row.status, "first_date": row.first_date, "last_date": row.last_date,
           "mentions": row.mentions, "articles": row.articles}
    if steps is not None:
        out["history"] = steps
    return out


def _history(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Status steps of agreements, in order, with repeated statuses folded into the first report of each."""
    s = agreement_status.c
    raw: dict[int, list[dict[str, Any]]] = {}
    q = (select(s.id, s.agreement_id, s.status, s.date, s.doc_id, s.sentence, s.span_start, s.span_end,
                s.evidence, documents.c.source_id, documents.c.url)
         .join(documents, documents.c.id == s.doc_id).where(s.agreement_id.in_(ids)))
    for r in conn.execute(q):
        raw.setdefault(r.agreement_id, []).append(
            {"id": r.id, "status": r.status, "date": r.date, "document": r.doc_id, "source_id": r.source_id,
             "url": r.url, "sentence": r.sentence, "span": [r.span_start, r.span_end], "evidence": r.evidence})
    out: dict[int, list[dict[str, Any]]] = {}
    for aid, steps in raw.items():
        steps.sort(key=status_order)
        folded: list[dict[str, Any]] = []
        for st in steps:
            if folded and folded[-1]["status"] == st["status"]:
                folded[-1]["reports"] += 1
                continue
            folded.append({**st, "reports": 1})
        for st in folded:
            st.pop("id")
        out[aid] = folded
    return out


def agreements(conn: Connection, party: str | None = None, status: str | None = None, limit: int = 1000,
               with_history: bool = True) -> list[dict[str, Any]]:
    stmt = select(agreements_t)
    parties = _codes(party, "party") if party else []
    for p in parties:
        stmt = stmt.where(agreements_t.c.pair.like(f"%{p}%"))
    if status:
        stmt = stmt.where(agreements_t.c.status == status)
    rows = [r for r in conn.execute(stmt.order_by(agreements_t.c.last_date.desc(), agreements_t.c.id).limit(limit))
            if all(p in r.parties for p in parties)]
    hist = _history(conn, [r.id for r in rows]) if with_history and rows else {}
    return [_agreement_dict(r, hist.get(r.id, []) if with_history else None) for r in rows]


def agreement(conn: Connection, agreement_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(agreements_t).where(
        agreements_t.c.id == _number(agreement_id, "agreement", int))).first()
    return _agreement_dict(row, _history(conn, [row.id]).get(row.id, [])) if row else None


def dyad_series(conn: Connection, a: str, b: str, by: str = "month", directed: bool = False,
                filters: dict[str, Any] | None = None) -> dict[str, Any]:
    if by not in BY:
        raise StoreError(f"by: {by!r}; choose one of {', '.join(BY)}", code="E516")
    a, b = _codes(a, "a")[0], _codes(b, "b")[0]
    f = dict(filters or {})
    f["dyad"] = f"{a}{'>' if directed else '-'}{b}"
    c = events.c
    q = select(c.date, c.event, c.quad_code, c.goldstein, c.actor_code, c.data, c.story_id).where(
        *event_conditions(f))
    buckets: dict[str, dict[str, Any]] = {}
    for r in conn.execute(q):
        key = period(r.date, by)
        bk = buckets.setdefault(key, {"period": key, "events": 0, "stories": set(), "by_type": Counter(),
                                      "by_quad": Counter(), "gs": [], "topics": Counter(),
                                      f"{a}>{b}": 0, f"{b}>{a}": 0})
        bk["events"] += 1
        bk["stories"].add(r.story_id)
        bk["by_type"][r.event] += 1
        if r.quad_code is not None:
            bk["by_quad"][str(r.quad_code)] += 1
        if r.goldstein is not None:
            bk["gs"].append(r.goldstein)
        bk["topics"].update((r.data or {}).get("topics") or [])
        bk[f"{a}>{b}" if r.actor_code == a else f"{b}>{a}"] += 1
    periods = []
    for key in sorted(buckets):
        bk = buckets[key]
        gs = bk.pop("gs")
        bk["stories"] = len(bk["stories"] - {None})
        bk["goldstein_mean"] = round(sum(gs) / len(gs), 3) if gs else None
        for k in ("by_type", "by_quad", "topics"):
            bk[k] = dict(bk[k].most_common())
        periods.append(bk)
    ags = agreements(conn, f"{a},{b}")
    total = sum(p["events"] for p in periods)
    return {"a": a, "b": b, "directed": directed, "by": by, "events": total, "periods": periods,
            "agreements": ags, "commitments": commitments_of(conn, f"{a},{b}")}


def commitments_of(conn: Connection, party: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Commitments whose parties include all of `party` (comma-separated codes), latest first."""
    c = commitments.c
    parties = _codes(party, "party") if party else []
    stmt = (select(commitments, documents.c.source_id, documents.c.url)
            .join(documents, documents.c.id == c.doc_id))
    for p in parties:
        stmt = stmt.where(c.pair.like(f"%{p}%"))
    rows = conn.execute(stmt.order_by(c.date.desc(), c.id).limit(limit))
    return [{"id": r.id, "parties": r.parties, "action": r.action, "object": r.object, "topics": r.topics or [],
             "horizon": r.horizon, "modality": r.modality, "date": r.date, "document": r.doc_id,
             "source_id": r.source_id, "url": r.url, "evidence": r.evidence, "span": [r.span_start, r.span_end]}
            for r in rows if all(p in (r.parties or []) for p in parties)]


def documents_list(conn: Connection, limit: int = 100, cursor: str | None = None, source: str | None = None,
                   since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Stored documents without their text, by date then key; `source` is a URL host, feed or file name."""
    d = documents.c
    limit = max(1, min(int(limit), 10_000))
    sort = func.coalesce(d.date, "")
    stmt = select(d.id, d.source_id, d.url, d.title, d.published, d.date, d.lang, d.source, d.extractor,
                  d.n_events, d.ingested_at)
    if source:
        stmt = stmt.where(d.source == source)
    if since:
        stmt = stmt.where(d.date >= _day(since, "since"))
    if until:
        stmt = stmt.where(d.date <= _day(until, "until", end=True))
    if cursor:
        day, ident = _decode(cursor, str)
        stmt = stmt.where(tuple_(sort, d.id) > tuple_(day, ident))
    rows = conn.execute(stmt.order_by(sort, d.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    out = [{"id": r.source_id, "key": r.id, "url": r.url, "title": r.title, "published": r.published,
            "date": r.date, "lang": r.lang, "source": r.source, "extractor": r.extractor, "events": r.n_events,
            "ingested_at": r.ingested_at} for r in rows]
    nxt = _encode(rows[-1].date or "", rows[-1].id)
    return {"documents": out, "next": nxt if more else None}



def actors(conn: Connection, limit: int = 1000) -> list[dict[str, Any]]:
    t = actors_t.c
    rows = conn.execute(select(actors_t).order_by((t.as_actor + t.as_recipient).desc(), t.code).limit(limit))
    return [{"code": r.code, "country": r.country, "as_actor": r.as_actor, "as_recipient": r.as_recipient,
             "events": r.as_actor + r.as_recipient, "first_date": r.first_date, "last_date": r.last_date}
            for r in rows]


def actor(conn: Connection, code: str) -> dict[str, Any] | None:
    code = _codes(code, "code")[0]
    row = conn.execute(select(actors_t).where(actors_t.c.code == code)).first()
    if not row:
        return None
    c = events.c
    partners: Counter[str] = Counter()
    for other, n in conn.execute(select(c.recipient_code, func.count()).where(c.actor_code == code)
                                 .group_by(c.recipient_code)):
        partners[other or "?"] += n
    for other, n in conn.execute(select(c.actor_code, func.count()).where(c.recipient_code == code)
                                 .group_by(c.actor_code)):
        partners[other or "?"] += n
    types: dict[str, int] = dict(conn.execute(select(c.event, func.count()).where(or_(c.actor_code == code, c.recipient_code == code))
                              .group_by(c.event).order_by(func.count().desc())).all())
    people: Counter[tuple[str | None, str | None]] = Counter()
    for name, office, n in conn.execute(select(c.actor_name, c.actor_office, func.count())
                                        .where(c.actor_code == code, or_(c.actor_name.is_not(None),
                                                                         c.actor_office.is_not(None)))
                                        .group_by(c.actor_name, c.actor_office)):
        people[(name, office)] += n
    return {"code": row.code, "country": row.country, "as_actor": row.as_actor, "as_recipient": row.as_recipient,
            "events": row.as_actor + row.as_recipient, "first_date": row.first_date, "last_date": row.last_date,
            "partners": dict(partners.most_common(50)), "by_type": types,
            "people": [{"name": n, "office": o, "events": k} for (n, o), k in people.most_common(50)],
            "agreements": agreements(conn, code, limit=100, with_history=False)}


def _story_dict(r: Any) -> dict[str, Any]:
    return {"id": r.id, "event": r.event, "actor": r.actor, "recipient": r.recipient, "modality": r.modality,
            "mode": r.mode, "first_date": r.first_date, "last_date": r.last_date, "first_seen": r.first_seen,
            "last_seen": r.last_seen, "mentions": r.mentions, "articles": r.articles, "sources": r.sources,
            "goldstein": r.goldstein, "quad_code": r.quad_code, "cameo": r.cameo, "evidence": r.evidence}


def stories(conn: Connection, filters: dict[str, Any], limit: int = 100, cursor: str | None = None,
            min_articles: int = 0) -> dict[str, Any]:
    """Stories with at least one event matching the event filters, in date order."""
    limit = max(1, min(int(limit), 10_000))
    sort = func.coalesce(stories_t.c.first_date, "")
    stmt = select(stories_t)
    cond = event_conditions(filters)
    if cond:
        stmt = stmt.where(stories_t.c.id.in_(select(events.c.story_id).where(*cond)))
    if min_articles:
        stmt = stmt.where(stories_t.c.articles >= min_articles)
    if cursor:
        d, i = _decode(cursor)
        stmt = stmt.where(tuple_(sort, stories_t.c.id) > tuple_(d, i))
    rows = conn.execute(stmt.order_by(sort, stories_t.c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"stories": [_story_dict(r) for r in rows],
            "next": _encode(rows[-1].first_date or "", rows[-1].id) if more else None}


def story(conn: Connection, story_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(stories_t).where(stories_t.c.id == _number(story_id, "story", int))).first()
    if not row:
        return None
    out = _story_dict(row)
    evs = conn.execute(_event_select().where(events.c.story_id == row.id).order_by(events.c.date, events.c.id))
    out["events"] = [event_dict(r) for r in evs]
    return out


def _find_doc(conn: Connection, doc_id: str) -> Any:
    d = documents.c
    row = conn.execute(select(documents).where(d.id == doc_id)).first()
    if row is None:
        row = conn.execute(select(documents).where(d.source_id == doc_id).order_by(d.ingested_at).limit(1)).first()
    return row


def document(conn: Connection, doc_id: str, text: bool = True) -> dict[str, Any] | None:
    """A stored document as an extract record (contract layout) plus its store key, source and text."""
    row = _find_doc(conn, str(doc_id))
    if row is None:
        return None
    out: dict[str, Any] = {"id": row.source_id, "key": row.id, "contract": row.contract, "lang": row.lang,
                           "published": row.published, "date": row.date, "title": row.title, "url": row.url,
                           "source": row.source, "origin": row.origin, "extractor": row.extractor,
                           "ingested_at": row.ingested_at, "countries": row.countries or [],
                           "topics": row.topics or [], "meta": row.meta or {}}
    if text:
        out["text"] = row.text
    e = entities.c
    out["entities"] = [{"text": r.text, "type": r.type, "span": [r.span_start, r.span_end],
                        **{k: v for k, v in (("name", r.name), ("code", r.code), ("country", r.country),
                                             ("office", r.office)) if v}, **(r.extra or {})}
                       for r in conn.execute(select(entities).where(e.doc_id == row.id).order_by(e.id))]
    out["events"] = [event_dict(r) for r in conn.execute(_event_select().where(events.c.doc_id == row.id)
                                                         .order_by(events.c.seq))]
    s = agreement_status.c
    out["agreements"] = [{"agreement": r.agreement_id, "status": r.status, "date": r.date, "sentence": r.sentence,
                          "span": [r.span_start, r.span_end], "evidence": r.evidence}
                         for r in conn.execute(select(agreement_status).where(s.doc_id == row.id).order_by(s.id))]
    c = commitments.c
    out["commitments"] = [{"parties": r.parties, "action": r.action, "object": r.object, "topics": r.topics,
                           "horizon": r.horizon, "modality": r.modality, "evidence": r.evidence,
                           "span": [r.span_start, r.span_end]}
                          for r in conn.execute(select(commitments).where(c.doc_id == row.id).order_by(c.id))]
    return out


def rejects(conn: Connection, limit: int = 100) -> list[dict[str, Any]]:
    r = rejects_t.c
    return [{"origin": x.origin, "place": x.place, "stage": x.stage, "reason": x.reason,
             "created_at": x.created_at} for x in conn.execute(select(rejects_t).order_by(r.id).limit(limit))]


def stats(conn: Connection) -> dict[str, Any]:
    def count(t: Any) -> int:
        return conn.execute(select(func.count()).select_from(t)).scalar_one()

    c = events.c
    lo, hi = conn.execute(select(func.min(c.date), func.max(c.date))).one()
    pair = func.coalesce(c.actor_code, "?") + "-" + func.coalesce(c.recipient_code, "?")
    return {
        "schema": int(conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one()),
        "documents": count(documents), "events": count(events), "stories": count(stories_t),
        "agreements": count(agreements_t), "commitments": count(commitments), "entities": count(entities),
        "actors": count(actors_t), "rejects": count(rejects_t),
        "sources": conn.execute(select(func.count(func.distinct(documents.c.source)))).scalar_one(),
        "first_date": lo, "last_date": hi,
        "extractors": dict(conn.execute(select(documents.c.extractor, func.count()).group_by(documents.c.extractor)
                                        .order_by(documents.c.extractor)).all()),
        "languages": dict(conn.execute(select(func.coalesce(documents.c.lang, "?"), func.count())
                                       .group_by(documents.c.lang).order_by(func.count().desc())).all()),
        "by_type": dict(conn.execute(select(c.event, func.count()).group_by(c.event)
                                     .order_by(func.count().desc(), c.event)).all()),
        "by_quad": {str(k): v for k, v in conn.execute(select(c.quad_code, func.count()).group_by(c.quad_code)
                                                       .order_by(c.quad_code)).all()},
        "top_dyads": dict(conn.execute(select(pair, func.count()).group_by(pair)
                                       .order_by(func.count().desc(), pair).limit(10)).all()),
    }
