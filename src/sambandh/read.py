"""Readers: plain text files, standard input and JSON Lines into Documents.

Bytes are checked before anything else: an empty file, a binary file or text
that is not UTF-8 (with or without BOM) or BOM-marked UTF-16 is refused with
one clear line. A bad line of a JSON Lines batch raises `InputError` naming the
line, or, with `on_error`, is reported and skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError
from .model import Document

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_CONTROL = set(range(9)) | {11, 12} | set(range(14, 32))


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (BOM optional) or BOM-marked UTF-16; refuse anything else."""
    if not data.strip():
        raise InputError(f"{name}: empty input, nothing to extract")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: broken UTF-16 text ({exc.reason})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    sample = data[:4096]
    if b"\x00" in sample or sum(b in _CONTROL for b in sample) > len(sample) * 0.1:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (bad byte at offset {exc.start}); convert it with iconv -t UTF-8"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: empty input, nothing to extract")
    return text


def clean_date(value: Any) -> str | None:
    """Keep the YYYY-MM-DD part of a date string; None when there is no date."""
    if not value:
        return None
    m = _DATE.match(str(value).strip())
    return m.group(0) if m else None


def text_id(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def document_from_obj(obj: Any, where: str) -> Document:
    """Build a Document from one JSON object of the input contract."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object with 'text', got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: missing or empty 'text'")
    doc_id = obj.get("id")
    known = {"id", "text", "title", "url", "published", "lang"}
    return Document(
        id=str(doc_id) if doc_id not in (None, "") else text_id(text),
        text=text,
        title=obj.get("title") or None,
        url=obj.get("url") or None,
        published=clean_date(obj.get("published")),
        lang=(obj.get("lang") or None),
        meta={k: v for k, v in obj.items() if k not in known},
    )


def iter_jsonl(stream: BinaryIO | Iterator[bytes], name: str,
               on_error: Callable[[InputError], None] | None = None) -> Iterator[Document]:
    """Documents from JSON Lines; blank lines are ignored."""
    seen = False
    for lineno, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        seen = True
        where = f"{name}: line {lineno}"
        try:
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{where}: not UTF-8") from None
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
            yield document_from_obj(obj, where)
        except InputError as err:
            if on_error is None:
                raise
            on_error(err)
    if not seen:
        raise InputError(f"{name}: empty input, nothing to extract")


def is_jsonl(name: str) -> bool:
    return name.endswith((".jsonl", ".ndjson", ".jsonl.gz"))


def read_source(source: str, *, stdin: BinaryIO | None = None, jsonl: bool | None = None,
                on_error: Callable[[InputError], None] | None = None,
                published: str | None = None) -> Iterator[Document]:
    """Documents from a path ('-' for standard input).

    JSON Lines is chosen by the file name (.jsonl/.ndjson) or `jsonl=True`;
    anything else is one plain-text article whose id is the file name.
    """
    if source == "-":
        data = (stdin or sys.stdin.buffer).read()
        if jsonl:
            yield from iter_jsonl(iter(data.splitlines(keepends=True)), "<stdin>", on_error)
            return
        yield Document(id="stdin", text=decode(data, "<stdin>"), published=clean_date(published))
        return
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a folder; give files (or a glob) instead")
    if jsonl or (jsonl is None and is_jsonl(path.name)):
        if path.name.endswith(".gz"):
            import gzip

            with gzip.open(path, "rb") as fh:
                yield from iter_jsonl(fh, source, on_error)
        else:
            with path.open("rb") as fh:
                yield from iter_jsonl(fh, source, on_error)
        return
    text = decode(path.read_bytes(), source)
    yield Document(id=path.name, text=text, published=clean_date(published))
