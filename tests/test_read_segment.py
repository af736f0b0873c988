"""Readers, sentences, tokens and language identification."""

from __future__ import annotations

import io

import pytest

from sambandh.errors import InputError, UnsupportedLanguage
from sambandh.model import Document
from sambandh.read import decode, iter_jsonl
from sambandh.text.segment import split_sentences
from sambandh.text.tokens import tokenize


def test_decode_accepts_utf8_with_bom_and_utf16():
    assert decode("\ufeffभारत".encode("utf-8"), "x") == "भारत"
    assert decode("भारत".encode("utf-16"), "x") == "भारत"


@pytest.mark.parametrize("data,message", [
    (b"", "empty"), (b"  \n ", "empty"), (b"\x00\x01\x02binary\x00", "binary"),
    ("भारत".encode()[:-1] + b"\xff abc", "not UTF-8"),
])
def test_decode_refuses_bad_input(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, "x")


def test_jsonl_names_the_bad_line_and_skips_it_when_asked():
    lines = [b'{"id": "a", "text": "one"}\n', b"{not json\n", b'{"id": "c"}\n', b'{"id": "d", "text": "four"}\n']
    with pytest.raises(InputError, match="line 2"):
        list(iter_jsonl(io.BytesIO(b"".join(lines)), "f.jsonl"))
    errors: list[str] = []
    docs = list(iter_jsonl(io.BytesIO(b"".join(lines)), "f.jsonl", on_error=lambda e: errors.append(str(e))))
    assert [d.id for d in docs] == ["a", "d"]
    assert "line 2" in errors[0] and "line 3" in errors[1]


def test_tokens_keep_devanagari_words_whole():
    assert [t.text for t in tokenize("प्रधानमंत्री ने कहा।")] == ["प्रधानमंत्री", "ने", "कहा", "।"]
    assert [t.text for t in tokenize("Russia's talks")] == ["Russia", "'s", "talks"]


def test_sentences_split_at_danda_and_stops_but_not_initials():
    text = "विदेश मंत्री डॉ. एस. जयशंकर ने बात की। फिर वे लौटे. Mr. Smith met U.S. officials in D.C. today. Done!"
    sents = split_sentences(text, {"डॉ", "एस", "mr"})
    got = [text[s.start:s.end] for s in sents]
    assert got[0] == "विदेश मंत्री डॉ. एस. जयशंकर ने बात की।"
    assert got[1] == "फिर वे लौटे."
    assert got[2].startswith("Mr. Smith met U.S. officials")
    assert got[-1] == "Done!"


def test_language_is_detected_or_refused(pipeline):
    assert pipeline(Document(id="a", text="भारत और रूस ने व्यापार बढ़ाने पर सहमति जताई है।")).lang == "hi"
    assert pipeline(Document(id="b", text="India and Russia agreed to expand their trade.")).lang == "en"
    with pytest.raises(UnsupportedLanguage, match="not supported"):
        pipeline(Document(id="c", text="La France et l'Allemagne ont signé un accord commercial hier soir."))
    with pytest.raises(UnsupportedLanguage, match="not supported"):
        pipeline(Document(id="d", text="anything", lang="de"))
