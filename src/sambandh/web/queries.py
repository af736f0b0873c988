"""Queries the web face needs beyond the store's own: partner balance, event places, top stories, names.

Each function takes a `Store` and returns plain dicts and lists, built on the
store's tables and its `event_conditions` (so the filters mean the same as
everywhere else).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, or_, select

from ..store import Store
from ..store.query import event_conditions
from ..store.schema import events, stories


def partners(store: Store, code: str, limit: int = 50) -> list[dict[str, Any]]:
    """Partners of `code` with volume, cooperation and conflict counts, balance and mean Goldstein."""
    c = events.c
    other = case((c.actor_code == code, c.recipient_code), else_=c.actor_code)
    coop = func.sum(case((c.quad_code.in_([1, 2]), 1), else_=0))
    conf = func.sum(case((c.quad_code.in_([3, 4]), 1), else_=0))
    stmt = (select(other.label("partner"), func.count().label("n"), coop.label("coop"), conf.label("conf"),
                   func.avg(c.goldstein).label("gs"))
            .where(or_(c.actor_code == code, c.recipient_code == code), other.is_not(None), other != code)
            .group_by(other).order_by(func.count().desc(), other).limit(limit))
    out = []
    with store.connect() as conn:
        for r in conn.execute(stmt):
            n, co, cf = int(r.n), int(r.coop or 0), int(r.conf or 0)
            out.append({"code": r.partner, "events": n, "cooperation": co, "conflict": cf,
                        "balance": round((co - cf) / n, 3) if n else 0.0,
                        "goldstein_mean": round(float(r.gs), 3) if r.gs is not None else None})
    return out


def locations(store: Store, filters: dict[str, Any], limit: int = 500) -> list[dict[str, Any]]:
    """Places where matching events happened (those with coordinates), with counts per quad class."""
    c = events.c
    stmt = (select(c.loc_name, c.loc_country, c.latitude, c.longitude, c.quad_code, func.count().label("n"))
            .where(*event_conditions(filters), c.latitude.is_not(None), c.longitude.is_not(None))
            .group_by(c.loc_name, c.loc_country, c.latitude, c.longitude, c.quad_code))
    places: dict[tuple[Any, ...], dict[str, Any]] = {}
    with store.connect() as conn:
        for r in conn.execute(stmt):
            key = (r.loc_name, r.loc_country, r.latitude, r.longitude)
            p = places.setdefault(key, {"name": r.loc_name, "country": r.loc_country, "latitude": r.latitude,
                                        "longitude": r.longitude, "events": 0, "by_quad": {}})
            p["events"] += r.n
            if r.quad_code is not None:
                p["by_quad"][str(r.quad_code)] = p["by_quad"].get(str(r.quad_code), 0) + r.n
    return sorted(places.values(), key=lambda p: (-p["events"], p["name"] or ""))[:limit]


def top_stories(store: Store, filters: dict[str, Any], limit: int = 20) -> list[dict[str, Any]]:
    """The most-reported stories with an event matching the filters (articles, then mentions)."""
    s = stories.c
    stmt = (select(stories).where(s.id.in_(select(events.c.story_id).where(*event_conditions(filters))))
            .order_by(s.articles.desc(), s.mentions.desc(), s.first_date.desc(), s.id).limit(limit))
    with store.connect() as conn:
        return [{"id": r.id, "event": r.event, "actor": r.actor, "recipient": r.recipient, "modality": r.modality,
                 "mode": r.mode, "first_date": r.first_date, "last_date": r.last_date, "mentions": r.mentions,
                 "articles": r.articles, "sources": r.sources, "goldstein": r.goldstein, "quad_code": r.quad_code,
                 "evidence": r.evidence} for r in conn.execute(stmt)]


@lru_cache(maxsize=1)
def _kb() -> Any:
    from ..kb import load_kb

    return load_kb()


def names(code: str | None) -> dict[str, str]:
    """{"en": ..., "hi": ...} for a country or organisation code, from the knowledge base."""
    if not code:
        return {}
    kb = _kb()
    item = kb.countries.get(code) or kb.orgs.get(code)
    if item is None:
        return {"en": code}
    return {lang: item.names[lang][0] for lang in ("en", "hi") if item.names.get(lang)}


def countries(store: Store) -> list[dict[str, Any]]:
    """Every country and organisation the knowledge base knows, with its names and its events in the store."""
    kb = _kb()
    with store.connect() as conn:
        counts = {r.code: r.n for r in conn.execute(
            select(events.c.actor_code.label("code"), func.count().label("n")).group_by(events.c.actor_code))}
        for r in conn.execute(select(events.c.recipient_code.label("code"), func.count().label("n"))
                              .group_by(events.c.recipient_code)):
            counts[r.code] = counts.get(r.code, 0) + r.n
    out = []
    for code, c in kb.countries.items():
        out.append({"code": code, "kind": "country", "names": {k: v[:3] for k, v in c.names.items() if k in ("en", "hi")},
                    "lat": c.lat, "lon": c.lon, "events": counts.get(code, 0)})
    for code, o in kb.orgs.items():
        out.append({"code": code, "kind": o.kind, "names": {k: v[:3] for k, v in o.names.items() if k in ("en", "hi")},
                    "lat": None, "lon": None, "events": counts.get(code, 0)})
    out.sort(key=lambda x: (-x["events"], x["code"]))
    return out


def marks(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every entity and event span of a stored document, as marks on its original text, in text order."""
    out: list[dict[str, Any]] = []
    text_len = len(doc.get("text") or "")

    def add(span: Any, kind: str, **kw: Any) -> None:
        if not (isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span)):
            return
        if 0 <= span[0] < span[1] and (not text_len or span[1] <= text_len):
            out.append({"start": span[0], "end": span[1], "kind": kind, **{k: v for k, v in kw.items() if v}})

    for i, e in enumerate(doc.get("entities") or []):
        add(e.get("span"), "entity", type=e.get("type"), code=e.get("code") or e.get("country"),
            label=e.get("name") or e.get("office"), entity=i)
    for i, ev in enumerate(doc.get("events") or []):
        add(ev.get("span"), "event", type=ev.get("event"), event=i, label=ev.get("event"))
        for role in ("actor", "recipient"):
            who = ev.get(role) or {}
            add(who.get("span"), role, code=who.get("code"), event=i, label=who.get("name") or who.get("code"))
        add(ev.get("trigger"), "trigger", event=i, type=ev.get("event"), label=ev.get("event"))
    for i, ag in enumerate(doc.get("agreements") or []):
        add(ag.get("span"), "agreement", type=ag.get("status"), agreement=ag.get("agreement"), label=ag.get("status"))
    out.sort(key=lambda m: (m["start"], -m["end"]))
    return out
