"""Sources: everything `sambandh ingest` reads, as a stream of items.

A source is a file, a folder, a glob, '-' (JSON Lines on standard input) or
an http(s) URL. By suffix (files) or content type (URLs): JSON Lines and
Parquet (input objects, or extract records that already carry events), plain
text, HTML pages (article text and metadata through trafilatura), RSS/Atom
feeds (feedparser; conditional GET with the ETag and Last-Modified kept in
the store; each entry's page is fetched unless --no-follow), OPML lists of
feeds, and WARC archives (warcio; HTML responses become articles).

A bad source or a bad item is passed to `on_error` and skipped: the stream
goes on. Network access goes through `Fetcher`: timeouts, a size limit and a
user agent that says who we are.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .. import __version__

USER_AGENT = f"sambandh/{__version__} (news event research; +https://pypi.org/project/sambandh/)"
MIN_ARTICLE_CHARS = 150
FILE_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".parquet", ".txt", ".html", ".htm", ".xml", ".rss", ".atom",
                 ".opml", ".warc", ".warc.gz")

REJECTS = "_rejects"  # the folder of rejects in an extract shard folder (docs/scale.md)

OnError = Callable[[str, str | None, str, str, Any], None]  # origin, place, stage, reason, raw


@dataclass(slots=True)
class Item:
    """One document to store: `input` objects are extracted, `record` objects are stored as they are.
    A `feed` item carries no document: it marks a feed as fully read, so its state may be saved; a
    `reject` item is a reject an extract run wrote, kept in the rejects table."""

    kind: str
    obj: dict[str, Any]
    origin: str
    place: str | None = None
    source: str | None = None


class SourceError(Exception):
    pass


@dataclass
class Fetcher:
    timeout: float = 20.0
    max_bytes: int = 20 * 1024 * 1024
    delay: float = 0.0  # seconds between requests, to be polite to one server
    user_agent: str = USER_AGENT
    _client: Any = field(default=None, repr=False)
    _last: float = 0.0

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes, str]:
        """(status, headers, body, final URL); raises SourceError on a network error, an HTTP error or a body
        over max_bytes. 304 comes back as a status with an empty body."""
        import httpx

        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, follow_redirects=True,
                                        headers={"User-Agent": self.user_agent})
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers or {}) as resp:
                if resp.status_code == 304:
                    return 304, dict(resp.headers), b"", str(resp.url)
                if resp.status_code >= 400:
                    raise SourceError(f"HTTP {resp.status_code} {resp.reason_phrase}")
                size = int(resp.headers.get("content-length") or 0)
                if size > self.max_bytes:
                    raise SourceError(f"{size} bytes, over the {self.max_bytes}-byte limit")
                buf = bytearray()
                for chunk in resp.iter_bytes():
                    buf += chunk
                    if len(buf) > self.max_bytes:
                        raise SourceError(f"over the {self.max_bytes}-byte limit")
                return resp.status_code, dict(resp.headers), bytes(buf), str(resp.url)
        except httpx.HTTPError as exc:
            raise SourceError(f"{type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def host(url: str | None) -> str | None:
    return urlparse(url).netloc.lower() or None if url else None


def expand(specs: list[str], on_error: OnError) -> list[str]:
    """Globs and folders into files; URLs and '-' pass through; a missing path is reported."""
    out: list[str] = []
    for s in specs:
        if s == "-" or s.startswith(("http://", "https://")):
            out.append(s)
        elif any(ch in s for ch in "*?["):
            found = sorted(glob.glob(s, recursive=True))
            if not found:
                on_error(s, None, "source", "no files match", None)
            out.extend(found)
        elif Path(s).is_dir():
            # hidden files are unfinished shards (.tmp-...); _rejects/ holds an extract run's rejects
            found = sorted(str(p) for p in Path(s).rglob("*") if p.is_file() and p.name.endswith(FILE_SUFFIXES)
                           and not any(part.startswith(".") for part in p.relative_to(s).parts)
                           and REJECTS not in p.relative_to(s).parts[:-1])
            found += sorted(str(p) for p in Path(s).rglob(f"{REJECTS}/*.jsonl"))
            if not found:
                on_error(s, None, "source", f"folder holds no files sambandh reads ({', '.join(FILE_SUFFIXES)})",
                         None)
            out.extend(found)
        elif not Path(s).exists():
            on_error(s, None, "source", "no such file", None)
        else:
            out.append(s)
    return out


def _jsonl_items(lines: Iterator[bytes], origin: str, source: str | None, on_error: OnError) -> Iterator[Item]:
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        place = f"line {lineno}"
        try:
            obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
        except UnicodeDecodeError:
            on_error(origin, place, "read", "not UTF-8", raw.decode("utf-8", "replace"))
            continue
        except json.JSONDecodeError as exc:
            on_error(origin, place, "read", f"invalid JSON ({exc.msg} at column {exc.colno})",
                     raw.decode("utf-8", "replace"))
            continue
        item = _obj_item(obj, origin, place, source, on_error)
        if item:
            yield item


def _obj_item(obj: Any, origin: str, place: str, source: str | None, on_error: OnError) -> Item | None:
    if not isinstance(obj, dict):
        on_error(origin, place, "read", f"expected a JSON object, got {type(obj).__name__}", obj)
        return None
    if isinstance(obj.get("events"), list):
        return Item("record", obj, origin, place, host(obj.get("url")) or source)
    return Item("input", obj, origin, place, host(obj.get("url")) or source)


def _shard_rejects(path: str, on_error: OnError) -> Iterator[Item]:
    """Rejects written by an extract run ({"id","origin","place","stage","reason","input"}), carried over."""
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                r = json.loads(raw)
            except json.JSONDecodeError as exc:
                on_error(path, f"line {lineno}", "read", f"invalid JSON ({exc.msg})", raw.decode("utf-8", "replace"))
                continue
            if isinstance(r, dict):
                yield Item("reject", r, str(r.get("origin") or path), str(r.get("place") or f"line {lineno}"))


def _parquet_items(path: str, on_error: OnError) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds; the reason is what matters
        on_error(path, None, "source", f"not a readable Parquet file ({exc})", None)
        return
    n = 0
    for batch in pf.iter_batches(batch_size=1000):
        for row in batch.to_pylist():
            n += 1
            if isinstance(row.get("record"), str) and "text" not in row and "events" not in row:
                try:  # an extract shard: columns id, extractor, record (the record as JSON)
                    row = json.loads(row["record"])
                except json.JSONDecodeError as exc:
                    on_error(path, f"row {n}", "read", f"invalid JSON in column record ({exc.msg})", None)
                    continue
            item = _obj_item(row, path, f"row {n}", Path(path).name, on_error)
            if item:
                yield item


def html_article(html: str | bytes, url: str | None, origin: str, place: str | None,
                 on_error: OnError, published: str | None = None, lang: str | None = None) -> Item | None:
    """Article text and metadata of one HTML page through trafilatura, or None (reported) if it has none."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False)
    except Exception as exc:  # noqa: BLE001
        on_error(origin, place, "read", f"HTML could not be parsed ({exc})", None)
        return None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_ARTICLE_CHARS:
        on_error(origin, place, "read", "HTML page has no article text", None)
        return None
    obj = {"id": url or origin, "text": text, "title": getattr(doc, "title", None), "url": url,
           "published": getattr(doc, "date", None) or published, "lang": getattr(doc, "language", None) or lang}
    return Item("input", {k: v for k, v in obj.items() if v}, origin, place, host(url) or Path(origin).name)


def _warc_items(path: str, on_error: OnError) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0

    def truncated(why: str) -> None:
        on_error(path, f"after record {n}", "source", f"WARC file is truncated or damaged ({why}); "
                 "the records before it were read", None)

    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for rec in it:
                if rec.rec_type != "response":
                    continue
                ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else "") or ""
                if "html" not in ctype:
                    continue
                body = rec.content_stream().read()
                if getattr(rec.raw_stream, "limit", 0):  # warcio hands out a short record without a word
                    truncated(f"record {n + 1} ends early")
                    return
                n += 1
                url = rec.rec_headers.get_header("WARC-Target-URI")
                day = (rec.rec_headers.get_header("WARC-Date") or "")[:10] or None
                item = html_article(body, url, path, url or f"record {n}", on_error, published=day)
                if item:
                    yield item
            if it.offset < Path(path).stat().st_size and not path.endswith(".gz"):
                truncated("a record header is cut short")
    except Exception as exc:  # noqa: BLE001 - warcio signals damage with several exception types
        truncated(f"{type(exc).__name__}: {exc}")


def _opml_urls(data: bytes, origin: str, on_error: OnError) -> list[str]:
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        on_error(origin, None, "source", f"not an OPML file ({exc})", None)
        return []
    return [o.get("xmlUrl") or "" for o in root.iter("outline") if o.get("xmlUrl")]


@dataclass
class Reader:
    """Turns sources into items. `feed_state(url) -> (etag, modified)` gives what a feed sent last time;
    `known_url(url)` says whether a page is stored already, so feeds fetch only new pages."""

    on_error: OnError
    fetcher: Fetcher = field(default_factory=Fetcher)
    follow: bool = True
    feed_state: Callable[[str], tuple[str | None, str | None]] = lambda url: (None, None)
    known_url: Callable[[str], bool] = lambda url: False
    stdin: Any = None

    def items(self, specs: list[str]) -> Iterator[Item]:
        for spec in expand(list(specs), self.on_error):
            yield from self.one(spec)

    def one(self, spec: str) -> Iterator[Item]:
        if spec == "-":
            import sys

            yield from _jsonl_items(iter(self.stdin or sys.stdin.buffer), "<stdin>", "stdin", self.on_error)
            return
        if spec.startswith(("http://", "https://")):
            yield from self.url(spec)
            return
        name = spec.lower()
        try:
            if Path(spec).parent.name == REJECTS and name.endswith(".jsonl"):
                yield from _shard_rejects(spec, self.on_error)
            elif name.endswith((".jsonl", ".ndjson")):
                with open(spec, "rb") as fh:
                    yield from _jsonl_items(fh, spec, Path(spec).name, self.on_error)
            elif name.endswith(".jsonl.gz"):
                with gzip.open(spec, "rb") as fh:
                    yield from _jsonl_items(fh, spec, Path(spec).name, self.on_error)
            elif name.endswith(".parquet"):
                yield from _parquet_items(spec, self.on_error)
            elif name.endswith((".warc", ".warc.gz")):
                yield from _warc_items(spec, self.on_error)
            elif name.endswith(".opml"):
                for url in _opml_urls(Path(spec).read_bytes(), spec, self.on_error):
                    yield from self.feed(url)
            elif name.endswith((".xml", ".rss", ".atom")):
                yield from self.feed_entries(Path(spec).read_bytes(), spec, spec)
            elif name.endswith((".html", ".htm")):
                item = html_article(Path(spec).read_bytes(), None, spec, None, self.on_error)
                if item:
                    item.obj["id"] = Path(spec).name
                    yield item
            else:
                from ..errors import InputError
                from ..read import decode

                try:
                    text = decode(Path(spec).read_bytes(), spec)
                except InputError as err:
                    self.on_error(spec, None, "read", str(err).split(": ", 1)[-1], None)
                    return
                yield Item("input", {"id": Path(spec).name, "text": text}, spec, None, Path(spec).name)
        except (OSError, gzip.BadGzipFile, EOFError) as exc:
            self.on_error(spec, None, "source", f"cannot read ({exc})", None)

    def url(self, url: str) -> Iterator[Item]:
        if any(self.feed_state(url)):  # a feed read before: ask only for what changed
            yield from self.feed(url)
            return
        try:
            status, headers, body, final = self.fetcher.get(url)
        except SourceError as exc:
            self.on_error(url, None, "source", str(exc), None)
            return
        ctype = headers.get("content-type", "").lower()
        path = urlparse(final).path.lower()
        head = body[:512].lstrip().lower()
        if "rss" in ctype or "atom" in ctype or path.endswith((".rss", ".atom", ".xml")) or \
                head.startswith((b"<rss", b"<feed")) or (head.startswith(b"<?xml") and b"<rss" in head):
            yield from self.feed(url, fetched=(status, headers, body))
        elif "opml" in ctype or path.endswith(".opml") or b"<opml" in head:
            for feed_url in _opml_urls(body, url, self.on_error):
                yield from self.feed(feed_url)
        elif path.endswith((".jsonl", ".ndjson")) or "ndjson" in ctype or "jsonl" in ctype:
            yield from _jsonl_items(iter(io.BytesIO(body)), url, host(url), self.on_error)
        else:
            item = html_article(body, final, url, None, self.on_error)
            if item:
                yield item

    def feed(self, url: str, fetched: tuple[int, dict[str, str], bytes] | None = None) -> Iterator[Item]:
        """A feed by URL with a conditional GET; after its entries, a `feed` item with the state to save."""
        if fetched is None:
            etag, modified = self.feed_state(url)
            headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
            try:
                status, resp_headers, body, _ = self.fetcher.get(url, headers)
            except SourceError as exc:
                self.on_error(url, None, "source", str(exc), None)
                return
        else:
            status, resp_headers, body = fetched
        lower = {k.lower(): v for k, v in resp_headers.items()}
        state = {"url": url, "etag": lower.get("etag"), "modified": lower.get("last-modified"), "status": status}
        if status != 304:
            yield from self.feed_entries(body, url, url, state)
        yield Item("feed", state, url)

    def feed_entries(self, data: bytes, origin: str, base: str,
                     state: dict[str, Any] | None = None) -> Iterator[Item]:
        import feedparser

        parsed = feedparser.parse(data)
        if parsed.bozo and not parsed.entries:
            self.on_error(origin, None, "source", f"not an RSS/Atom feed ({parsed.get('bozo_exception')})", None)
            return
        if state is not None:
            state["title"] = parsed.feed.get("title")
        lang = (parsed.feed.get("language") or "")[:2] or None
        source = host(parsed.feed.get("link")) or host(base) or Path(base).name
        for i, entry in enumerate(parsed.entries, 1):
            link = entry.get("link")
            day = None
            for key in ("published_parsed", "updated_parsed"):
                if entry.get(key):
                    day = time.strftime("%Y-%m-%d", entry[key])
                    break
            place = link or f"entry {i}"
            if link and self.known_url(link):
                continue
            if self.follow and link and link.startswith(("http://", "https://")):
                try:
                    _, _, body, _ = self.fetcher.get(link)
                    item = html_article(body, link, origin, place, self.on_error, published=day, lang=lang)
                    if item:
                        item.obj.setdefault("title", entry.get("title"))
                        if day:  # the feed's date is the publication date; a page's may be an update
                            item.obj["published"] = day
                        yield item
                        continue
                except SourceError as exc:
                    self.on_error(origin, place, "read", f"entry page: {exc}", None)
                    continue
            html = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
            text = _html_text(html)
            if len(text) < 40:
                self.on_error(origin, place, "read", "feed entry has no text", None)
                continue
            obj = {"id": link or entry.get("id") or f"{origin}#{i}", "text": text, "title": entry.get("title"),
                   "url": link, "published": day, "lang": lang}
            yield Item("input", {k: v for k, v in obj.items() if v}, origin, place, source)


def _html_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        return " ".join(lxml.html.fromstring(fragment).text_content().split())
    except Exception:  # noqa: BLE001 - a broken fragment has no text worth keeping
        return ""
