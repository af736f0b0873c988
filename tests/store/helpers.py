"""Invented articles, a stand-in extractor and a local web server for the store tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ARTICLES = [
    ("India and Norway agreed on Tuesday to widen their cooperation in renewable energy, the foreign ministry in "
     "New Delhi said. The two sides held talks in Oslo and promised a joint working group on green hydrogen "
     "before the end of the year, officials said after the meeting."),
    ("भारत और ब्राज़ील के विदेश मंत्रियों ने बुधवार को ब्रासीलिया में मुलाक़ात की और व्यापार तथा कृषि में सहयोग बढ़ाने पर "
     "सहमति जताई. दोनों देशों ने कहा कि अगले साल तक एक नया समझौता तैयार किया जाएगा. अधिकारियों ने बताया कि बातचीत "
     "सकारात्मक रही."),
    ("Kenya accused its neighbour of violating an airspace agreement after two aircraft crossed the border on "
     "Sunday. The government in Nairobi summoned the ambassador and demanded an explanation within a week, a "
     "spokesperson told reporters in the capital."),
]


def html_page(title: str, body: str) -> bytes:
    paras = "".join(f"<p>{s.strip()}.</p>" for s in body.split(".") if s.strip())
    return (f"<html><head><title>{title}</title><meta name='date' content='2025-06-01'></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paras}</article>"
            f"<footer>Copyright</footer></body></html>").encode()


NO_ARTICLE = b"<html><head><title>Index</title></head><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav></body></html>"


class FakePipeline:
    """Stands in for the extractor: one CONSULT event for each article that names India; counts calls."""

    def __init__(self) -> None:
        self.calls = 0

    def record(self, doc) -> dict[str, Any]:
        self.calls += 1
        events = []
        if "India" in doc.text or "भारत" in doc.text:
            events.append({"id": f"{doc.id}#0", "actor": {"code": "IND", "country": "IND", "sector": "GOV"},
                           "recipient": {"code": "NOR", "country": "NOR", "sector": "GOV"}, "event": "CONSULT",
                           "modality": "asserted", "quad_code": 1, "date": doc.published, "evidence": doc.text[:60],
                           "span": [0, 60], "sentence": 0, "topics": ["energy"], "context": []})
        return {"id": doc.id, "contract": "1.0", "lang": doc.lang or "en", "published": doc.published,
                "date": doc.published, "title": doc.title, "url": doc.url, "countries": [], "topics": [],
                "entities": [], "events": events, "agreements": [], "commitments": [], "extractor": "fake-1"}

    def run_obj(self, obj):
        from sambandh.read import document_from_obj

        return self.record(document_from_obj(obj, "x"))


class Server:
    """A web server on 127.0.0.1 serving `pages` {path: (status, content type, body)}; ETags and 304s for
    paths in `etags`; every request is logged with its headers."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.etags: dict[str, str] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.log.append((self.path, dict(self.headers)))
                status, ctype, body = server.pages.get(self.path, (404, "text/plain", b"not found"))
                etag = server.etags.get(self.path)
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{base}{p}</link><pubDate>{d}</pubDate>"
                      f"<description>{t}: {ARTICLES[0][:120]}</description></item>" for t, p, d in items)
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Test news</title><link>{base}/</link>"
            f"<language>en</language>{entries}</channel></rss>").encode()
