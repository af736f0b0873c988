"""The API's routes. Thin: parameters in, store queries out (store.query and web.queries do the work).

URL grammar after datasette: `/events.json` and `/events.csv` choose the
form, `_size` the page size, `_next` continues after a page, `_stream=on`
exports every match. The event filters come from store.query.FILTERS, so
the CLI options, these parameters and the docs cannot drift apart.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date as Date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool

from ..errors import SambandhError
from ..store import Store
from ..store.export import COLUMNS, flat
from ..store.query import BY, FILTERS
from . import queries
from .app import Settings, bearer, token_ok

router = APIRouter()

CODE = r"^[A-Za-z0-9_?]{2,16}$"
_CODE_PATH = Path(pattern=CODE, description="actor code: ISO 3166 alpha-3 (IND) or an organisation code")
_TYPES = {"story": int, "min_confidence": float}
PAGE_PARAMS = ("_size", "_next", "_stream")


def store_of(request: Request) -> Store:
    return request.app.state.store


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def _filter_dependency(exclude: tuple[str, ...] = (), extra: tuple[str, ...] = ()):
    """A dependency taking every event filter of FILTERS as a query parameter; unknown parameters are refused."""
    names = [n for n in FILTERS if n not in exclude]
    allowed = set(names) | set(extra)
    params = []
    for name in names:
        kind = _TYPES.get(name, str)
        constraints: dict[str, Any] = {}
        if kind is int:
            constraints = {"ge": 0, "le": 2**62}
        elif kind is float:
            constraints = {"ge": 0.0, "le": 1.0}
        else:
            constraints = {"max_length": 500}
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                        annotation=Annotated[kind | None, Query(description=FILTERS[name],
                                                                                **constraints)],
                                        default=None))
    request_param = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)

    def dep(request: Request, **kw: Any) -> dict[str, Any]:
        bad = sorted(set(request.query_params) - allowed)
        if bad:
            raise HTTPException(400, f"unknown parameter {bad[0]!r}; parameters: {', '.join(sorted(allowed))}")
        out = {k: v for k, v in kw.items() if v not in (None, "")}
        if "quad" in out:
            try:
                quads = [int(x) for x in str(out["quad"]).split(",") if x.strip()]
            except ValueError:
                raise HTTPException(400, f"quad: {out['quad']!r}: give numbers 1-4, e.g. 3,4") from None
            if any(q not in (1, 2, 3, 4) for q in quads):
                raise HTTPException(400, f"quad: {out['quad']!r}: give numbers 1-4, e.g. 3,4")
        for key in ("since", "until"):
            if key in out:
                _check_day(key, out[key])
        return out

    dep.__signature__ = inspect.Signature([request_param, *params])  # type: ignore[attr-defined]
    return dep


def _check_day(name: str, value: str) -> None:
    s = value.strip()
    try:
        if len(s) == 10:
            Date.fromisoformat(s)
        elif len(s) == 7:
            Date.fromisoformat(s + "-01")
        elif not (len(s) == 4 and s.isdigit()):
            raise ValueError
    except ValueError:
        raise HTTPException(400, f"{name}: {value!r} is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)") from None


EventFilters = Annotated[dict[str, Any], Depends(_filter_dependency(extra=PAGE_PARAMS))]
DyadFilters = Annotated[dict[str, Any], Depends(_filter_dependency(exclude=("dyad",),
                                                                   extra=("by", "directed", "_size")))]
PlaceFilters = Annotated[dict[str, Any], Depends(_filter_dependency(extra=("_size",)))]
StoryFilters = Annotated[dict[str, Any], Depends(_filter_dependency(extra=("_size", "_next", "_sort")))]
SizeParam = Annotated[int | None, Query(alias="_size", ge=1, le=10_000,
                                        description="items per page (at most the server's max_page)")]
NextParam = Annotated[str | None, Query(alias="_next", max_length=200,
                                        description="cursor from the previous page's `next`")]


def _size(request: Request, size: int | None, default: int | None = None) -> int:
    s = settings_of(request)
    if size is None:
        return default or s.default_page
    if size > s.max_page:
        raise HTTPException(400, f"_size: {size} is over this server's page limit {s.max_page}; "
                                 "follow next_url, or use _stream=on to export everything")
    return size


def _next_url(request: Request, cursor: str | None) -> str | None:
    return str(request.url.include_query_params(_next=cursor)) if cursor else None


# -- events ---------------------------------------------------------------------------------------------------
def _csv_rows(events: Iterator[dict[str, Any]] | list[dict[str, Any]], header: bool = True) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    if header:
        w.writerow([c for c, _ in COLUMNS])
    for ev in events:
        row = flat(ev)
        w.writerow(["|".join(v) if isinstance(v, list) else ("" if v is None else v)
                    for v in (row[c] for c, _ in COLUMNS)])
        if buf.tell() > 64_000:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _json_stream(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield '{"events": ['
    first = True
    for ev in events:
        yield ("" if first else ",\n") + json.dumps(ev, ensure_ascii=False)
        first = False
    yield '], "next": null}\n'


def _events(request: Request, fmt: str, filters: dict[str, Any], size: int | None, cursor: str | None,
            stream: str | None) -> Response:
    store = store_of(request)
    if stream not in (None, "", "off", "on", "1", "0", "true", "false"):
        raise HTTPException(400, f"_stream: {stream!r}; write _stream=on")
    if stream in ("on", "1", "true"):
        store.count_events(filters)  # bad filters fail here, as a 400, before the stream starts
        name = "events.csv" if fmt == "csv" else "events.json"
        body = _csv_rows(store.iter_events(filters)) if fmt == "csv" else _json_stream(store.iter_events(filters))
        return StreamingResponse(body, media_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})
    page = store.query_events(filters, _size(request, size), cursor)
    nxt = _next_url(request, page["next"])
    if fmt == "csv":
        headers = {"Link": f'<{nxt}>; rel="next"'} if nxt else {}
        return Response("".join(_csv_rows(page["events"])), media_type="text/csv; charset=utf-8", headers=headers)
    return JSONResponse({"events": page["events"], "next": page["next"], "next_url": nxt,
                         "filters": filters})


_EVENTS_DOC = ("Stored events in date order (then id), filtered. A page holds `_size` events; `next_url` "
               "continues. `_stream=on` returns every match in one streamed response.")
StreamParam = Annotated[str | None, Query(alias="_stream", max_length=8,
                                          description="on: every matching event, streamed (an export)")]


@router.get("/events", tags=["events"], summary="Events (JSON)", description=_EVENTS_DOC)
def get_events(request: Request, filters: EventFilters, size: SizeParam = None, cursor: NextParam = None,
               stream: StreamParam = None) -> Response:
    return _events(request, "json", filters, size, cursor, stream)


@router.get("/events.json", tags=["events"], summary="Events (JSON)", description=_EVENTS_DOC)
def get_events_json(request: Request, filters: EventFilters, size: SizeParam = None, cursor: NextParam = None,
                    stream: StreamParam = None) -> Response:
    return _events(request, "json", filters, size, cursor, stream)


@router.get("/events.csv", tags=["events"], summary="Events (CSV)",
            description=_EVENTS_DOC + " The next page is in the `Link` header.",
            responses={200: {"content": {"text/csv": {}}}})
def get_events_csv(request: Request, filters: EventFilters, size: SizeParam = None, cursor: NextParam = None,
                   stream: StreamParam = None) -> Response:
    return _events(request, "csv", filters, size, cursor, stream)


# -- dyads ----------------------------------------------------------------------------------------------------
@router.get("/dyads/{a}/{b}", tags=["dyads"], summary="How two countries' relations moved")
def get_dyad(request: Request, filters: DyadFilters, a: Annotated[str, _CODE_PATH],
             b: Annotated[str, _CODE_PATH],
             by: Annotated[Literal["day", "week", "month", "year", "all"], Query(description="period")] = "month",
             directed: Annotated[bool, Query(description="only a acting on b")] = False,
             stories: Annotated[int, Query(alias="_size", ge=0, le=200,
                                           description="most-reported stories to list")] = 20) -> dict[str, Any]:
    """Time series (per period: counts per event type and quad class, mean Goldstein, topics, direction),
    totals, the agreements between the two with their status history, and the most-reported stories."""
    assert by in BY
    store = store_of(request)
    series = store.dyad_series(a, b, by, directed, filters)
    totals: dict[str, Counter[str]] = {"by_type": Counter(), "by_quad": Counter(), "topics": Counter()}
    gs_sum, gs_n = 0.0, 0
    for p in series["periods"]:
        for k, counter in totals.items():
            counter.update(p[k])
        if p["goldstein_mean"] is not None:
            gs_sum += p["goldstein_mean"] * p["events"]
            gs_n += p["events"]
    f = dict(filters, dyad=f"{series['a']}{'>' if directed else '-'}{series['b']}")
    series["names"] = {series["a"]: queries.names(series["a"]), series["b"]: queries.names(series["b"])}
    series["totals"] = {k: dict(v.most_common()) for k, v in totals.items()}
    series["totals"]["goldstein_mean"] = round(gs_sum / gs_n, 3) if gs_n else None
    series["stories"] = queries.top_stories(store, f, stories) if stories else []
    return series


# -- actors ---------------------------------------------------------------------------------------------------
@router.get("/actors", tags=["actors"], summary="Actors in the store, by volume")
def get_actors(request: Request, size: SizeParam = None) -> dict[str, Any]:
    rows = store_of(request).actors(_size(request, size, 1000))
    for r in rows:
        r["names"] = queries.names(r["code"])
    return {"actors": rows}


@router.get("/actors/{code}", tags=["actors"], summary="One actor: partners by volume and by balance")
def get_actor(request: Request, code: Annotated[str, _CODE_PATH]) -> dict[str, Any]:
    """Partners ranked by volume, and by cooperation/conflict balance ((cooperation - conflict) / events,
    from +1 all cooperation to -1 all conflict); event types, people, agreements."""
    store = store_of(request)
    out = store.actor(code)
    if out is None:
        raise HTTPException(404, f"no events with actor {code.upper()!r} in this store; see /actors")
    ranked = queries.partners(store, out["code"])
    for p in ranked:
        p["names"] = queries.names(p["code"])
    out["names"] = queries.names(out["code"])
    out["partners"] = ranked
    out["partners_by_balance"] = sorted(ranked, key=lambda p: (-p["balance"], -p["events"], p["code"]))
    return out


@router.get("/countries", tags=["actors"], summary="Country and organisation names (English, Hindi) for pickers")
def get_countries(request: Request) -> dict[str, Any]:
    return {"countries": queries.countries(store_of(request))}


# -- agreements, stories, documents ------------------------------------------------------------------------
@router.get("/agreements", tags=["agreements"], summary="Agreements with their status history")
def get_agreements(request: Request,
                   party: Annotated[str | None, Query(max_length=200, description="party code(s), comma-separated: "
                                                                                  "agreements with all of them")] = None,
                   status: Annotated[str | None, Query(max_length=32, description="current status")] = None,
                   size: SizeParam = None) -> dict[str, Any]:
    return {"agreements": store_of(request).agreements(party or None, status or None, _size(request, size, 1000))}


@router.get("/agreements/{agreement_id}", tags=["agreements"], summary="One agreement")
def get_agreement(request: Request, agreement_id: Annotated[int, Path(ge=0, le=2**62)]) -> dict[str, Any]:
    out = store_of(request).agreement(agreement_id)
    if out is None:
        raise HTTPException(404, f"no agreement {agreement_id}; see /agreements")
    return out


@router.get("/stories", tags=["stories"], summary="Stories (one per real-world event) with matching events")
def get_stories(request: Request, filters: StoryFilters, size: SizeParam = None, cursor: NextParam = None,
                sort: Annotated[Literal["date", "reports"], Query(
                    alias="_sort", description="date order (paged), or most reported first (one page)")] = "date",
                ) -> dict[str, Any]:
    store = store_of(request)
    n = _size(request, size)
    if sort == "reports":
        return {"stories": queries.top_stories(store, filters, n), "next": None, "next_url": None}
    page = store.stories(filters, n, cursor)
    return {"stories": page["stories"], "next": page["next"], "next_url": _next_url(request, page["next"])}


@router.get("/stories/{story_id}", tags=["stories"], summary="One story and every event (report) in it")
def get_story(request: Request, story_id: Annotated[int, Path(ge=0, le=2**62)]) -> dict[str, Any]:
    out = store_of(request).story(story_id)
    if out is None:
        raise HTTPException(404, f"no story {story_id}; see /stories")
    out["names"] = {c: queries.names(c) for c in (out["actor"], out["recipient"]) if c}
    return out


@router.get("/documents/{doc_id}", tags=["documents"], summary="A document, its text and every span marked")
def get_document(request: Request, doc_id: Annotated[str, Path(max_length=512)]) -> dict[str, Any]:
    """The stored document (extract record layout) with its original text, and `marks`: every entity,
    event, actor, recipient, trigger and agreement span as {start, end, kind, ...} offsets into `text`."""
    out = store_of(request).document(doc_id)
    if out is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    out["marks"] = queries.marks(out)
    return out


@router.get("/locations", tags=["events"], summary="Where matching events happened (for a map)")
def get_locations(request: Request, filters: PlaceFilters, size: SizeParam = None) -> dict[str, Any]:
    return {"locations": queries.locations(store_of(request), filters, _size(request, size, 500))}


@router.get("/stats", tags=["store"], summary="What the store holds")
def get_stats(request: Request) -> dict[str, Any]:
    out = store_of(request).stats()
    out.pop("database", None)  # a file path or host is the operator's business
    return out


# -- extract and ingest ---------------------------------------------------------------------------------------
class Article(BaseModel):
    """One input article, the `sambandh extract` input contract."""

    id: str | None = Field(None, max_length=512)
    text: str = Field(..., min_length=1)
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    published: str | None = Field(None, max_length=40, description="YYYY-MM-DD (or an ISO date-time)")
    lang: Literal["hi", "en", "ru"] | None = Field(None, description="default: detected")

    @field_validator("id", "text", "title", "url", "published")
    @classmethod
    def _no_nul(cls, v: str | None) -> str | None:
        if v is not None and "\x00" in v:
            raise ValueError("contains a NUL character")
        return v

    @field_validator("published")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v:
            try:
                Date.fromisoformat(v[:10])
            except ValueError:
                raise ValueError("published: write YYYY-MM-DD") from None
        return v or None


class Documents(BaseModel):
    documents: list[Article] = Field(..., min_length=1)


def _objs(articles: list[Article], settings: Settings) -> list[dict[str, Any]]:
    if len(articles) > settings.max_documents:
        raise HTTPException(413, f"{len(articles)} documents; at most {settings.max_documents} per request")
    for a in articles:
        if len(a.text) > settings.max_text:
            raise HTTPException(413, f"text of {len(a.text)} characters; at most {settings.max_text}")
        if not a.text.strip():
            raise HTTPException(400, "text: empty")
    return [a.model_dump(exclude_none=True) for a in articles]


@router.post("/extract", tags=["extract"], summary="Extract events from text (nothing is stored)")
async def post_extract(request: Request, body: Article | Documents) -> Any:
    """One article in, one record out (the extract contract); or {"documents": [...]} in,
    {"records": [...]} out. Texts over max_text characters are refused with 413."""
    settings = settings_of(request)
    many = isinstance(body, Documents)
    objs = _objs(body.documents if isinstance(body, Documents) else [body], settings)
    ex = request.app.state.extractor

    def run() -> list[dict[str, Any]]:
        with ex.lock:
            out = []
            for o in objs:
                try:
                    out.append(ex.pipeline.run_obj(o))
                except SambandhError as err:
                    raise HTTPException(422, f"document {o.get('id', '?')}: {err}") from None
            return out

    records = await run_in_threadpool(run)
    return {"records": records} if many else records[0]


@router.post("/ingest", tags=["ingest"], summary="Add documents to the store (needs the ingest token)",
             responses={401: {"description": "no or wrong token"}, 403: {"description": "ingest is off"}})
async def post_ingest(request: Request, body: Documents) -> dict[str, Any]:
    """Extracts and stores {"documents": [...]}; documents already stored are skipped. Send the operator's
    token as `Authorization: Bearer <token>`."""
    settings = settings_of(request)
    if not settings.token:
        raise HTTPException(403, "ingest is off on this server: start it with --token-env NAME")
    if not token_ok(bearer(request), settings.token):
        raise HTTPException(401, "ingest needs the token: send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    objs = _objs(body.documents, settings)
    ex = request.app.state.extractor

    def run() -> dict[str, Any]:
        from ..store.ingest import Ingester

        messages: list[str] = []
        with ex.lock:
            ing = Ingester(store_of(request), pipeline=ex.pipeline, report=messages.append)
            res = ing.ingest_objects(objs, origin="api")
        return {**res.as_dict(), "messages": messages}

    return await run_in_threadpool(run)
