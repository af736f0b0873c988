"""Tokens: words that keep Devanagari vowel signs and viramas (Python's \\w alone splits at them),
numbers, an English possessive 's, and punctuation as tokens of their own."""

from __future__ import annotations

import re

from ..model import Token

_WORD = "[\\w\u0900-\u0963\u0966-\u097f\u0300-\u036f]"
TOKEN = re.compile(
    rf"\d+(?:[.,:]\d+)*|'s\b|(?<=[sS.])'(?!\w)|{_WORD}+(?:'(?!s\b){_WORD}+)*|[\u0964\u0965.,;:!?()\[\]\"]"
)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(m.group(), m.group().casefold(), m.start(), m.end()) for m in TOKEN.finditer(text, start, end)]
