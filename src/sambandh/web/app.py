"""The web application: the HTTP API and the dashboard, in one FastAPI app.

`create_app()` opens the store once, loads the extractor on first use, and
wires the pieces: settings (SETTINGS, one table of limits with defaults),
a body-size guard, auth, JSON errors, the API routes (api.py) and the
dashboard's static files (static/).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import SambandhError
from ..store import Store, open_store

STATIC = Path(__file__).parent / "static"


@dataclass(slots=True)
class Settings:
    """Limits and access of one server; every field has a default and a line of help (docs/api.md)."""

    max_body: int = field(default=2_000_000, metadata={"help": "largest request body, in bytes"})
    max_page: int = field(default=1000, metadata={"help": "largest page of events (_size)"})
    default_page: int = field(default=100, metadata={"help": "events per page when _size is not given"})
    max_text: int = field(default=100_000, metadata={"help": "longest text POST /extract takes, in characters"})
    max_documents: int = field(default=500, metadata={"help": "most documents one POST /ingest or /extract takes"})
    token: str | None = field(default=None, metadata={"help": "token POST /ingest needs (none: ingest is off)"})
    read_token: str | None = field(default=None, metadata={"help": "token every API call needs (none: open)"})


SETTINGS = {f.name: f.metadata["help"] for f in fields(Settings)}


def api_error(status: int, message: str, code: str = "E400", **extra: Any) -> JSONResponse:
    """The one shape of every error: {"error": message, "code": ..., "status": ...}."""
    return JSONResponse({"error": message, "code": code, "status": status, **extra}, status_code=status)


def _has_nul(scope: Scope) -> bool:
    query = scope.get("query_string") or b""
    return "\x00" in scope.get("path", "") or b"\x00" in query or b"%00" in query.lower()


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            # PostgreSQL refuses NUL in text: say so here, for every database alike.
            await api_error(400, "the address contains a NUL character (%00)", "E400")(scope, receive, send)
            return
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = api_error(413, f"request body over {self.limit} bytes; send less (or split it)", "E413")
        try:
            if length is not None and int(length) > self.limit:
                await too_big(scope, receive, send)
                return
        except ValueError:
            await api_error(400, "bad Content-Length header", "E400")(scope, receive, send)
            return
        # Read the whole body here (it is bounded), then replay it to the app.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body = msg.get("body", b"")
            size += len(body)
            if size > self.limit:
                await too_big(scope, receive, send)
                return
            chunks.append(body)
            more = msg.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class Extractor:
    """The extraction pipeline, loaded on first use and shared by /extract and /ingest."""

    def __init__(self, pipeline: Any = None) -> None:
        self._pipeline = pipeline
        self.lock = threading.Lock()  # extraction and ingest run one at a time

    @property
    def pipeline(self) -> Any:
        if self._pipeline is None:
            from ..pipeline import load_pipeline

            self._pipeline = load_pipeline()
        return self._pipeline


def bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the time a wrong token takes tells nothing about the right one."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def create_app(db_url: str | None = None, token: str | None = None, *, read_token: str | None = None,
               store: Store | None = None, pipeline: Any = None, **limits: Any) -> FastAPI:
    """The API and dashboard on the store at `db_url` (or an open `store`).

    `token` enables POST /ingest (it must then be sent as `Authorization: Bearer <token>`);
    `read_token`, when given, is needed for every API GET too. Other keyword arguments
    override Settings (max_body, max_page, default_page, max_text, max_documents).
    """
    unknown = set(limits) - set(SETTINGS)
    if unknown:
        raise TypeError(f"unknown setting(s) {', '.join(sorted(unknown))}; settings: {', '.join(SETTINGS)}")
    settings = Settings(token=token or None, read_token=read_token or None, **limits)
    the_store = store or open_store(db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if store is None:
            the_store.close()

    app = FastAPI(
        title="sambandh",
        version=__version__,
        summary="Events, agreements and stories between states, read from Hindi and English news.",
        description=(
            "Read-only API over a sambandh event store, plus text extraction and (with a token) ingest. "
            "Errors are JSON: `{\"error\": message, \"code\": ..., \"status\": ...}`. "
            "Event lists page with a cursor: follow `next_url` (or pass `_next`). "
            "`/events.csv` and `/events.json` with `_stream=on` export every matching event."),
        docs_url=None, redoc_url=None,  # both load scripts from a CDN; /openapi.json is the schema
        lifespan=lifespan,
    )
    app.state.store = the_store
    app.state.settings = settings
    app.state.extractor = Extractor(pipeline)
    app.add_middleware(BodyLimit, limit=settings.max_body)

    @app.middleware("http")
    async def read_auth(request: Request, call_next: Callable[[Request], Awaitable[Any]]) -> Any:
        path = request.url.path
        open_path = path == "/" or path.startswith("/static/") or path == "/openapi.json"
        given = bearer(request)
        # With a read token, every API call needs it (HEAD and POST /extract too); the ingest token,
        # which can already write, may read as well.
        if (settings.read_token and not open_path and not token_ok(given, settings.read_token)
                and not (settings.token and token_ok(given, settings.token))):
            resp = api_error(401, "this server needs a token to read: send Authorization: Bearer <token>",
                             "E401")
            resp.headers["WWW-Authenticate"] = "Bearer"
            return resp
        return await call_next(request)

    @app.exception_handler(SambandhError)
    async def on_sambandh_error(request: Request, exc: SambandhError) -> JSONResponse:
        return api_error(400, str(exc), exc.code)

    @app.exception_handler(DBAPIError)
    async def on_database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        # A value the database cannot take (a DataError) is the request's fault; anything else is ours.
        if isinstance(exc, DataError):
            return api_error(400, "the database refused a value of this request: "
                             f"{str(exc.orig).splitlines()[0] if exc.orig else exc}", "E400")
        return api_error(503, "the database is not answering; try again", "E503")

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            problems.append(f"{where or 'request'}: {e.get('msg')}")
        return api_error(400, "; ".join(problems) or "bad request", "E400",
                         detail=[{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()])

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}; see /openapi.json for the API"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        resp = api_error(exc.status_code, message, f"E{exc.status_code}")
        for k, v in (exc.headers or {}).items():
            resp.headers[k] = v
        return resp

    from .api import router

    app.include_router(router)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    return app
