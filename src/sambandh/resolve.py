"""Resolution: mentions become actor phrases, and phrases become actors.

A phrase is a run of mentions joined by glue words ("भारत के प्रधानमंत्री
नरेंद्र मोदी", "Russia's foreign minister Sergei Lavrov"); coordinated
phrases ("भारत और रूस") become one phrase with several actors. Each actor
gets a country or organisation code, a sector, and an office and person
resolved on the article's date through the knowledge base. "दोनों देशों"
(both countries) points at the article's main pair, "समकक्ष" (counterpart)
at the other side's holder of the office of the phrase it is set against.
"""

from __future__ import annotations

import re
from collections import Counter

from .kb import Holder, KnowledgeBase, Place
from .lexicon import Lexicon
from .model import Actor, Document, Mention, Phrase, Sentence
from .pipeline import Resources, stage

_ISO_DATE = re.compile(r"\b(19\d\d|20\d\d)-(\d\d)-(\d\d)\b")
_DMY = re.compile(r"\b(\d{1,2})\s+(\w+),?\s+(19\d\d|20\d\d)\b")
_MDY = re.compile(r"\b(\w+)\s+(\d{1,2}),\s+(19\d\d|20\d\d)\b")


def text_date(text: str, months: dict[str, int]) -> str | None:
    """The first full date written in the text (ISO, '17 नवंबर 2025', 'November 17, 2025')."""
    m = _ISO_DATE.search(text)
    if m:
        return m.group(0)
    for m in _DMY.finditer(text):
        mon = months.get(m.group(2).casefold())
        if mon:
            return f"{m.group(3)}-{mon:02d}-{int(m.group(1)):02d}"
    for m in _MDY.finditer(text):
        mon = months.get(m.group(1).casefold())
        if mon:
            return f"{m.group(3)}-{mon:02d}-{int(m.group(2)):02d}"
    return None


def pick_holder(cands: list[Holder], date: str | None, office: str | None) -> Holder | None:
    """The candidate holding an office on `date` (the titled office first), else the nearest term."""
    if not cands:
        return None
    pool = [h for h in cands if h.holds_on(date)] or cands
    return min(pool, key=lambda h: (h.office != office, _distance(h, date)))


def _distance(h: Holder, date: str | None) -> int:
    if not date:
        return 0 if not h.end else 1
    if h.holds_on(date):
        return 0
    edge = h.start if date < h.start else h.end
    return abs(int(edge[:4] or 0) - int(date[:4]))


def _span(doc: Document, sent: Sentence, first: int, last: int) -> tuple[int, int]:
    return doc.orig_span(sent.tokens[first].start, sent.tokens[last - 1].end)


HEADS = {"COUNTRY", "GROUP", "ORG", "PERSON", "CAPITAL", "CITY", "SECTOR"}
PLACES_AND_BODIES = {"COUNTRY", "GROUP", "ORG", "CAPITAL", "CITY"}


def build_phrases(doc: Document, sent: Sentence, mentions: list[Mention], lex: Lexicon) -> list[Phrase]:
    """Group a sentence's mentions into phrases and find each phrase's marker."""
    keys = [t.key for t in sent.tokens]
    by_start = {m.first: m for m in mentions}
    groups: list[tuple[int, int, list[Mention]]] = []
    i = 0
    n = len(keys)
    while i < n:
        if i not in by_start:
            # a possessive or honorific may open a phrase ("अपने रूसी समकक्ष", "the Russian ...")
            j = _skip_glue(keys, i, lex)
            if j > i and j in by_start:
                start = i
                i = j
            else:
                i += 1
                continue
        else:
            start = i
        members: list[Mention] = []
        while i < n:
            if i in by_start:
                m = by_start[i]
                if members and members[-1].last == m.first and members[-1].kind in HEADS \
                        and m.kind in HEADS and m.kind != "SECTOR":
                    break  # "सरकार हमास", "भारत–रूस": two heads side by side are two phrases
                if members and "pronoun" in (m.ref, members[-1].ref):
                    break  # "उन्होंने चीन की ...": a pronoun stands alone
                members.append(m)
                i = m.last
                continue
            mk = lex.markers.longest(keys, i)
            j = _skip_glue(keys, i, lex)
            if j > i and (not mk or mk[0] <= j - i) and j in by_start \
                    and not (by_start[j].kind in PLACES_AND_BODIES and any(m.kind in PLACES_AND_BODIES
                                                                          for m in members)):
                i = j  # "भारत के प्रधानमंत्री", but not "स्वीडन की नाटो (सदस्यता)"
                continue
            break
        if members:
            groups.append((start, i, members))
    phrases: list[Phrase] = []
    for first, last, members in groups:
        role, marker = _marker(keys, first, last, lex)
        if lex.head_final and role == "of":
            role = _genitive_chain(keys, marker[1], lex) or role
        if not role and members[-1].role:
            role = members[-1].role  # "दोनों के बीच" carries its marker inside
        phrases.append(Phrase(sent.index, first, last, [], role, marker, tuple(m.kind for m in members)))
        phrases[-1].actors = [a for a in [_actor(doc, sent, first, last, members)] if a is not None]
        if "REF" in phrases[-1].kinds:
            phrases[-1].ref = next(m.ref for m in members if m.kind == "REF")
        places = [m.ref for m in members if m.kind in ("CITY", "CAPITAL")]
        if places and not any(k in phrases[-1].kinds for k in ("PERSON", "TITLE", "SECTOR")):
            phrases[-1].place = places[0]
    return _coordinate(phrases, keys, lex, doc.norm, sent)


def _genitive_chain(keys: list[str], at: int, lex: Lexicon) -> str:
    """"यूक्रेन के कई शहरों पर": a country in the genitive of the noun a marker follows shares that
    marker's role (of|on). Up to three words may come between; an event word stops the chain."""
    for j in range(at, min(at + 4, len(keys))):
        m = lex.markers.longest(keys, j)
        if m and j > at:
            r = m[1]["role"]
            return "" if r in ("of", "conj") else "of|" + r
        if lex.predicates.longest(keys, j) or not keys[j][0].isalpha():
            return ""
    return ""


def _skip_glue(keys: list[str], i: int, lex: Lexicon) -> int:
    """The position after a run of glue words starting at i ("डॉ .", "the", "'s")."""
    while i < len(keys):
        g = lex.glue.longest(keys, i)
        if not g:
            break
        i += g[0]
    return i


def _marker(keys: list[str], first: int, last: int, lex: Lexicon) -> tuple[str, tuple[int, int]]:
    if lex.head_final:
        m = lex.markers.longest(keys, last) if last < len(keys) else None
        return (m[1]["role"], (last, last + m[0])) if m else ("", (last, last))
    for length in (3, 2, 1):
        s = first - length
        if s >= 0:
            m = lex.markers.longest(keys, s)
            if m and m[0] == length:
                return m[1]["role"], (s, first)
    return "", (first, first)


def _coordinate(phrases: list[Phrase], keys: list[str], lex: Lexicon, norm: str, sent: Sentence) -> list[Phrase]:
    """Join "X और Y" / "X and Y" (and a following "दोनों देशों") into one phrase with several actors."""
    out: list[Phrase] = []
    for p in phrases:
        prev = out[-1] if out else None
        if prev and prev.actors and (p.actors or p.ref == "both"):
            gap = keys[prev.last:p.first]
            # "भारत और रूस", "India and Russia", and "भारत–रूस" (the dash is no token: nothing between)
            # the conjunction is the marker after the first phrase (Hindi) or before the second (English)
            joined = prev.role == "conj" if lex.head_final else p.role == "conj"
            between = norm[sent.tokens[prev.last - 1].end:sent.tokens[p.first].start]
            listed = gap == [","] or (gap == [] and between.strip() in ("-", "/"))  # "X, Y और Z", "भारत–रूस"
            conj = joined or (listed and (prev.role == "" if lex.head_final else p.role == ""))
            both_after = p.ref == "both" and p.first == prev.last
            if (conj and p.actors) or both_after:
                codes = {a.code for a in prev.actors}
                prev.actors += [a for a in p.actors if a.code not in codes]
                prev.last = p.last
                if lex.head_final:
                    prev.role, prev.marker = p.role, p.marker
                prev.kinds += p.kinds
                continue
        out.append(p)
    # the coordination role "conj" was only a joint
    for p in out:
        if p.role == "conj":
            p.role = ""
    return out


def _actor(doc: Document, sent: Sentence, first: int, last: int, members: list[Mention]) -> Actor | None:
    kinds = {m.kind for m in members}
    text_span = _span(doc, sent, first, last)
    actor = Actor(code=None, country=None, text=doc.text[text_span[0]:text_span[1]], span=text_span)
    office = next((m.ref for m in members if m.kind == "TITLE"), None)
    sector = next((m.ref for m in members if m.kind == "SECTOR"), None)
    person = next((m for m in members if m.kind == "PERSON"), None)
    country = next((m.ref for m in members if m.kind in ("COUNTRY", "DEMONYM")), None)
    if country is None:
        cap = next((m.ref for m in members if m.kind == "CAPITAL"), None)
        country = cap.country if isinstance(cap, Place) else None
    org = next((m.ref for m in members if m.kind == "ORG"), None)
    group = next((m.ref for m in members if m.kind == "GROUP"), None)
    if group is not None and country is None:
        country, sector = group.country, sector or group.sector
    if person is not None and person.last - person.first == 1 and not office and not country \
            and not any(h.holds_on(doc.date) for h in person.ref) \
            and not _named_before(doc, person):
        person = None  # a bare surname ("गिलानी") of someone out of office is too weak to resolve
    if person is not None:
        holder = pick_holder(person.ref, doc.date, office)
        if holder:
            actor.person, actor.name = holder.person, holder.name
            if holder.holds_on(doc.date) or not office:
                office = office or holder.office
            country = holder.country if holder.country else country
    if org and not country:
        actor.code, actor.country, actor.sector = org, None, "IGO"
    else:
        actor.code = actor.country = country
    if office:
        actor.office = office
    actor.sector = actor.sector or sector or ("GOV" if actor.code else None)
    if kinds <= {"DEMONYM", "REF"} and "REF" not in kinds:
        return None  # "रूसी तेल": an adjective alone is no actor
    if kinds <= {"CITY"}:
        # a city is where something happens, or what is hit ("गाजा में हमले"), never who acts
        city = next(m.ref for m in members if m.kind == "CITY")
        actor.code = actor.country = city.country
        actor.sector = "CVL"
    return actor


def _named_before(doc: Document, person: Mention) -> bool:
    """Whether the article named this person in full (several words) before this mention."""
    ids = {h.person for h in person.ref}
    return any(m.kind == "PERSON" and m.last - m.first > 1 and {h.person for h in m.ref} & ids
               and (m.sentence, m.first) < (person.sentence, person.first) for m in doc.mentions)


def _fill_from_kb(actor: Actor, kb: KnowledgeBase, date: str | None) -> None:
    if actor.code and actor.office and not actor.person:
        found = kb.holders_of(actor.code, actor.office, date)
        if found:
            actor.person, actor.name = found[0].person, found[0].name
    if actor.office and actor.office in kb.offices and actor.sector in (None, "GOV"):
        actor.sector = kb.offices[actor.office].sector


def main_pair(doc: Document) -> list[str]:
    """The two countries the article is most about (by actor mentions, earliest first on ties)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, phrases in enumerate(doc.phrases):
        for p in phrases:
            for a in p.actors:
                if a.country and not p.place:
                    counts[a.country] += 1
                    first_seen.setdefault(a.country, i)
    ranked = sorted(counts, key=lambda c: (-counts[c], first_seen[c]))
    return ranked[:2]


@stage("resolve", requires=("mentions",), assigns=("phrases", "entities", "countries", "date"))
def resolve(doc: Document, res: Resources) -> Document:
    lex = res.lexicon(doc.lang)
    months = {k.casefold(): v for k, v in lex.config.get("months", {}).items()}
    doc.date = doc.published or text_date(doc.norm, months)
    by_sent: dict[int, list[Mention]] = {}
    for m in doc.mentions:
        by_sent.setdefault(m.sentence, []).append(m)
    doc.phrases = [build_phrases(doc, s, by_sent.get(s.index, []), lex) for s in doc.sentences]
    home = lex.config.get("home") or None
    pair = main_pair(doc)
    if home and pair and home not in pair:
        home = pair[0]  # a bare "राष्ट्रपति" in an article about Syria is Syria's
    last_by_office: dict[str, str] = {}
    for phrases in doc.phrases:
        for p in phrases:
            for a in p.actors:
                if a.office and not a.code and p.ref != "counterpart":
                    a.code = a.country = last_by_office.get(a.office, home)
                    a.sector = a.sector or "GOV"
                if a.office and a.country:
                    last_by_office.setdefault(a.office, a.country)
    for phrases in doc.phrases:
        for p in phrases:
            if p.ref == "counterpart":
                other = next((a for q in phrases if q is not p for a in q.actors if a.office), None)
                for a in p.actors:
                    if other and not a.office:
                        a.office = other.office
                    if other and not a.code and len(pair) == 2:
                        a.code = a.country = pair[1] if pair[0] == other.country else pair[0]
            if p.ref == "both" and len(pair) == 2 and not any(a.code for a in p.actors):
                p.actors = [Actor(code=c, country=c, sector="GOV", text=p.actors[0].text if p.actors else "",
                                  span=p.actors[0].span if p.actors else (0, 0)) for c in pair]
            for a in p.actors:
                _fill_from_kb(a, res.kb, doc.date)
    doc.entities = _entities(doc, res.kb)
    seen: dict[str, None] = {}
    for e in doc.entities:
        if e.get("country"):
            seen.setdefault(e["country"], None)
    doc.countries = list(seen)
    return doc


_TYPES = {"COUNTRY": "COUNTRY", "DEMONYM": "NORP", "CAPITAL": "GPE", "CITY": "GPE", "ORG": "ORG", "GROUP": "ORG",
          "PERSON": "PERSON", "TITLE": "TITLE"}


def _entities(doc: Document, kb: KnowledgeBase) -> list[dict]:
    out = []
    for m in doc.mentions:
        if m.kind not in _TYPES:
            continue
        sent = doc.sentences[m.sentence]
        span = _span(doc, sent, m.first, m.last)
        e: dict = {"text": doc.text[span[0]:span[1]], "type": _TYPES[m.kind], "span": list(span),
                   "sentence": m.sentence}
        if m.kind in ("COUNTRY", "DEMONYM"):
            e.update(code=m.ref, country=m.ref, name=kb.name_of(m.ref))
        elif m.kind in ("CAPITAL", "CITY"):
            e.update(name=m.ref.name, country=m.ref.country, latitude=m.ref.lat, longitude=m.ref.lon)
        elif m.kind == "ORG":
            e.update(code=m.ref, name=kb.name_of(m.ref))
        elif m.kind == "GROUP":
            e.update(code=m.ref.country, country=m.ref.country, name=m.ref.names["en"][0], sector=m.ref.sector)
        elif m.kind == "PERSON":
            h = pick_holder(m.ref, doc.date, None)
            if h:
                e.update(name=h.name, person=h.person, country=h.country, office=h.office)
        elif m.kind == "TITLE":
            e.update(office=m.ref)
        out.append(e)
    return out
