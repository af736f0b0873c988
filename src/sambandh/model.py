"""Records that flow through the pipeline.

A `Document` is created by a reader and filled in by the stages; `to_record`
turns it into the stable output contract (see docs/output.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONTRACT_VERSION = "1.0"


@dataclass(slots=True)
class Token:
    text: str  # normalized surface
    key: str  # matching key (case-folded, variant-folded)
    start: int  # offsets into the normalized text
    end: int


@dataclass(slots=True)
class Sentence:
    index: int
    start: int  # offsets into the normalized text
    end: int
    tokens: list[Token] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    """A span of tokens that the gazetteer recognised."""

    sentence: int
    first: int  # token index, inclusive
    last: int  # token index, exclusive
    kind: str  # COUNTRY, DEMONYM, CAPITAL, CITY, ORG, PERSON, TITLE, GROUP, SECTOR, REF
    ref: Any  # the knowledge entry (code, person id, office, ...)
    role: str = ""  # a marker role the matched words carry themselves ("दोनों के बीच" -> between)


@dataclass(slots=True)
class Actor:
    code: str | None  # ISO alpha-3 or organisation code
    country: str | None
    sector: str | None = None
    office: str | None = None
    name: str | None = None
    person: str | None = None
    text: str = ""
    span: tuple[int, int] = (0, 0)  # original-text offsets

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "country": self.country, "sector": self.sector}
        if self.office:
            d["office"] = self.office
        if self.name:
            d["name"] = self.name
        if self.person:
            d["person"] = self.person
        d["text"] = self.text
        d["span"] = list(self.span)
        return d


@dataclass(slots=True)
class Phrase:
    """An actor phrase: adjacent mentions and glue read as one noun phrase, with the marker that follows
    (Hindi) or precedes (English) it."""

    sentence: int
    first: int  # token index, inclusive
    last: int  # token index, exclusive
    actors: list[Actor]  # one, or several for a coordination ("भारत और रूस")
    role: str = ""  # marker role: agent, with, to, on, of, ... ; "" when unmarked
    marker: tuple[int, int] = (0, 0)  # token range of the marker
    kinds: tuple[str, ...] = ()  # mention kinds inside
    ref: str = ""  # "both", "pronoun" or "counterpart" when the phrase points elsewhere
    place: Any = None  # a Place when the phrase is a city or capital used as a location


@dataclass(slots=True)
class Document:
    id: str
    text: str  # original text, exactly as read
    title: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD
    lang: str | None = None  # given or detected
    meta: dict[str, Any] = field(default_factory=dict)
    # filled by stages
    norm: str = ""
    offsets: list[int] = field(default_factory=list)  # norm index -> original index (len(norm)+1)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    commitments: list[dict[str, Any]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    date: str | None = None  # the date events default to
    phrases: list[list[Phrase]] = field(default_factory=list)  # actor phrases per sentence
    done: list[str] = field(default_factory=list)  # stages that ran

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text to the original text."""
        return self.offsets[start], self.offsets[max(start, end)]

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"id": self.id, "contract": CONTRACT_VERSION, "lang": self.lang,
                               "published": self.published, "date": self.date}
        for key in ("title", "url"):
            if getattr(self, key):
                rec[key] = getattr(self, key)
        rec.update(countries=self.countries, topics=self.topics, entities=self.entities,
                   events=self.events, agreements=self.agreements, commitments=self.commitments)
        return rec
