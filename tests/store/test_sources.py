"""Sources: files, folders, globs, JSON Lines, HTML, feeds with conditional GET, OPML, WARC, URLs, shards;
bad ones are reported and skipped."""

from __future__ import annotations

import io
import json

import pytest

from sambandh.store import Ingester, ingest_records
from sambandh.store.sources import Fetcher, SourceError

from .conftest import event, record
from .helpers import ARTICLES, NO_ARTICLE, FakePipeline, Server, html_page, rss


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def run(store, specs, pipeline=None, **kw):
    msgs: list[str] = []
    ing = Ingester(store, pipeline=pipeline or FakePipeline(), report=msgs.append, batch_size=kw.pop("batch", 2))
    res = ing.ingest(specs, **kw)
    res.messages = msgs
    return res


def test_files_folders_and_globs(store, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLES[0], encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "b1", "text": ARTICLES[1], "published": "2025-05-01T10:00:00Z", "lang": "hi"},
                   ensure_ascii=False) + "\n{not json\n" + json.dumps({"id": "b2", "text": ARTICLES[2]}) + "\n",
        encoding="utf-8")
    (tmp_path / "c.html").write_bytes(html_page("Talks", ARTICLES[0] + " " + ARTICLES[2]))
    (tmp_path / "d.html").write_bytes(NO_ARTICLE)
    (tmp_path / "notes.md").write_text("ignored")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "e.txt").write_text("")
    res = run(store, [str(tmp_path)])
    assert res.stored == 4  # a.txt, b1, b2, c.html; a.txt and c.html differ (c has two articles)
    assert res.rejects == 3  # invalid JSON, HTML without article, empty file
    reasons = " ".join(res.messages)
    assert "invalid JSON" in reasons and "no article" in reasons and "empty" in reasons
    doc = store.document("b1")
    assert doc["published"] == "2025-05-01" and doc["lang"] == "hi"
    assert store.document("c.html")["title"] == "Talks"
    assert run(store, [str(tmp_path / "*.txt"), str(tmp_path / "b.jsonl")]).stored == 0


def test_missing_and_empty_sources_are_reported(store, tmp_path):
    (tmp_path / "ok.txt").write_text(ARTICLES[0])
    res = run(store, [str(tmp_path / "missing.jsonl"), str(tmp_path / "nomatch*.jsonl"), str(tmp_path / "ok.txt")])
    assert res.stored == 1 and res.bad_sources == 2
    assert any("no such file" in m for m in res.messages) and any("no files match" in m for m in res.messages)
    assert store.stats()["rejects"] == 2


def test_url_html_404_and_no_article(store, server):
    server.pages["/a.html"] = (200, "text/html; charset=utf-8", html_page("Energy talks", ARTICLES[0]))
    server.pages["/index.html"] = (200, "text/html", NO_ARTICLE)
    res = run(store, [f"{server.base}/a.html", f"{server.base}/missing", f"{server.base}/index.html"])
    assert res.stored == 1 and res.bad_sources == 1 and res.rejects == 1
    doc = store.document(f"{server.base}/a.html")
    assert doc["url"] == f"{server.base}/a.html" and doc["published"] == "2025-06-01" and doc["title"]
    assert doc["source"] == server.base.split("//")[1]
    assert any("HTTP 404" in m for m in res.messages)
    ua = server.log[0][1].get("User-Agent", "")
    assert ua.startswith("sambandh/")


def test_size_limit_and_timeout(server):
    server.pages["/big"] = (200, "text/html", b"x" * 5000)
    with pytest.raises(SourceError, match="limit"):
        Fetcher(max_bytes=1000).get(f"{server.base}/big")
    with pytest.raises(SourceError):
        Fetcher(timeout=2).get("http://127.0.0.1:9/nothing-listens-here")


def test_feed_follows_links_and_uses_conditional_get(store, server):
    server.pages["/a"] = (200, "text/html", html_page("A", ARTICLES[0]))
    server.pages["/b"] = (200, "text/html", html_page("B", ARTICLES[2]))
    server.pages["/feed.xml"] = (200, "application/rss+xml",
                                 rss(server.base, [("A", "/a", "Mon, 02 Jun 2025 08:00:00 GMT"),
                                                   ("B", "/b", "Tue, 03 Jun 2025 08:00:00 GMT")]))
    server.etags["/feed.xml"] = '"v1"'
    res = run(store, [f"{server.base}/feed.xml"])
    assert res.stored == 2
    assert store.document(f"{server.base}/b")["published"] == "2025-06-03"
    # again: the server answers 304, nothing is fetched or stored
    res = run(store, [f"{server.base}/feed.xml"])
    assert res.read == 0 and res.stored == 0
    assert server.log[-1][1].get("If-None-Match") == '"v1"'
    assert server.hits("/a") == 1 and server.hits("/b") == 1
    # a changed feed: only the new entry's page is fetched
    server.pages["/c"] = (200, "text/html", html_page("C", ARTICLES[1]))
    server.pages["/feed.xml"] = (200, "application/rss+xml",
                                 rss(server.base, [("A", "/a", "Mon, 02 Jun 2025 08:00:00 GMT"),
                                                   ("C", "/c", "Wed, 04 Jun 2025 08:00:00 GMT")]))
    server.etags["/feed.xml"] = '"v2"'
    res = run(store, [f"{server.base}/feed.xml"])
    assert res.stored == 1 and server.hits("/a") == 1 and server.hits("/c") == 1


def test_feed_without_following_and_opml(store, server, tmp_path):
    server.pages["/feed.xml"] = (200, "application/rss+xml",
                                 rss(server.base, [("A", "/gone", "Mon, 02 Jun 2025 08:00:00 GMT")]))
    opml = tmp_path / "feeds.opml"
    opml.write_text(f"<opml version='2.0'><body><outline text='t' xmlUrl='{server.base}/feed.xml'/>"
                    f"<outline text='dead' xmlUrl='{server.base}/dead.xml'/></body></opml>")
    res = run(store, [str(opml)], follow=False)
    assert res.stored == 1 and res.bad_sources == 1
    assert server.hits("/gone") == 0
    assert store.document(f"{server.base}/gone")["text"].startswith("A: India and Norway")


def test_feed_entry_page_missing_is_reported(store, server):
    server.pages["/feed.xml"] = (200, "application/rss+xml",
                                 rss(server.base, [("A", "/gone", "Mon, 02 Jun 2025 08:00:00 GMT")]))
    res = run(store, [f"{server.base}/feed.xml"])
    assert res.stored == 0 and res.rejects == 1 and any("404" in m for m in res.messages)


def _warc(path, pages):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=False)
        for url, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def test_warc_and_truncated_warc(store, tmp_path):
    path = tmp_path / "crawl.warc"
    _warc(path, [("https://news.example/1", html_page("One", ARTICLES[0])),
                 ("https://news.example/2", html_page("Two", ARTICLES[2])),
                 ("https://news.example/3", NO_ARTICLE)])
    cut = tmp_path / "cut.warc"
    data = path.read_bytes()
    second = data.index(b"WARC/1.0", data.index(b"WARC/1.0") + 10)
    cut.write_bytes(data[:second + 200])  # the first record whole, the second cut short
    res = run(store, [str(cut)])
    assert res.stored == 1 and res.bad_sources == 1
    assert any("truncated" in m for m in res.messages)
    short = tmp_path / "short.warc"
    third = data.index(b"WARC/1.0", second + 10)
    short.write_bytes(data[:third - 100])  # the second record's page cut short: not stored half
    res = run(store, [str(short)])
    assert res.stored == 0 and res.skipped == 1 and res.bad_sources == 1
    res = run(store, [str(path)])
    assert res.stored == 1 and res.skipped == 1 and res.rejects == 1  # page 3 has no article
    assert store.document("https://news.example/2")["source"] == "news.example"


def test_record_shards_are_stored_without_extracting(store, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    class NoExtract(FakePipeline):
        def record(self, doc):
            raise AssertionError("records must not be re-extracted")

    recs = [record(f"s{i}", [event("CONSULT", "IND", "RUS", "2025-01-0" + str(i + 1))], published="2025-01-01")
            for i in range(4)]
    (tmp_path / "part-0.jsonl").write_text("\n".join(json.dumps(r) for r in recs[:2]) + "\n")
    pq.write_table(pa.Table.from_pylist(recs[2:]), tmp_path / "part-1.parquet")
    (tmp_path / "part-2.parquet").write_bytes(b"PAR1 broken")
    res = run(store, [str(tmp_path)], pipeline=NoExtract())
    assert res.stored == 4 and res.events == 4 and res.bad_sources == 1
    assert store.stats()["stories"] == 1
    assert store.document("s3")["events"][0]["actor"]["code"] == "IND"


def test_stdin_jsonl(store):
    data = io.BytesIO((json.dumps({"id": "in1", "text": ARTICLES[0]}) + "\n").encode())
    res = run(store, ["-"], stdin=data)
    assert res.stored == 1


def test_input_objects_through_the_api(store):
    pipe = FakePipeline()
    res = ingest_records(store, [{"id": "x", "text": ARTICLES[0]}, {"id": "y", "text": ARTICLES[0]}], pipeline=pipe)
    assert (res.stored, res.skipped, pipe.calls) == (1, 1, 1)


def test_extract_shard_folder(store, tmp_path):
    """The folder `sambandh extract --out DIR` writes (docs/scale.md): JSON Lines and Parquet shards,
    _rejects/, unfinished .tmp- files and _sambandh.json."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    class NoExtract(FakePipeline):
        def record(self, doc):
            raise AssertionError("records must not be re-extracted")

    out = tmp_path / "events"
    (out / "_rejects").mkdir(parents=True)
    recs = [record(f"k{i}", [event("CONSULT", "IND", "JPN", "2025-02-0" + str(i + 1))]) for i in range(4)]
    (out / "_sambandh.json").write_text('{"format": "jsonl"}')
    (out / "news-0a1b2c3d-00000.jsonl").write_text("\n".join(json.dumps(r) for r in recs[:2]) + "\n")
    pq.write_table(pa.Table.from_pylist([{"id": r["id"], "extractor": r["extractor"], "record": json.dumps(r)}
                                         for r in recs[2:]]), out / "news-0a1b2c3d-00001.parquet")
    (out / ".tmp-news-0a1b2c3d-00002.jsonl-1234").write_text(json.dumps(record("half", [])) + "\n")
    (out / "_rejects" / "news-0a1b2c3d-00000.jsonl").write_text(json.dumps(
        {"id": "bad-1", "origin": "news.jsonl", "place": "line 7", "stage": "read", "reason": "missing 'text'",
         "input": {"id": "bad-1"}}) + "\n")
    res = run(store, [str(out)], pipeline=NoExtract())
    assert (res.stored, res.events, res.rejects, res.bad_sources) == (4, 4, 1, 0)
    assert store.document("half") is None
    (rej,) = store.rejects()
    assert (rej["origin"], rej["place"], rej["stage"]) == ("news.jsonl", "line 7", "read")
    res = run(store, [str(out)], pipeline=NoExtract())
    assert res.stored == 0 and store.stats()["rejects"] == 1
