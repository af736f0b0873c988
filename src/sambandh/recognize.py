"""Recognition: one gazetteer per language over the knowledge base, matched on token keys.

Countries (names, demonyms, capitals), places, organisations, people and
office titles from kb/; sector nouns and references ("दोनों देशों",
"counterpart") from the language's lexicons. Matching is leftmost-longest
over folded tokens; an all-capital Latin name (US, UN) must match case.
"""

from __future__ import annotations

from dataclasses import dataclass

from .kb import KnowledgeBase
from .lexicon import Lexicon, TermIndex
from .model import Document, Mention
from .pipeline import Resources, stage
from .text.normalize import fold

# when one surface form is several things, the earlier kind wins
KIND_ORDER = ("PERSON", "ORG", "GROUP", "COUNTRY", "CAPITAL", "DEMONYM", "CITY", "TITLE", "SECTOR", "REF")


@dataclass(slots=True)
class Entry:
    kind: str
    ref: object
    surface: str  # the form as written in the data (for case checks)


def _acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return bool(letters) and len(letters) <= 5 and all(c.isupper() and c.isascii() for c in letters)


def build_gazetteer(kb: KnowledgeBase, lex: Lexicon) -> TermIndex:
    langs = [lex.lang] + (["en"] if lex.lang != "en" else [])
    entries: dict[str, list[Entry]] = {}

    def add(surface: str, kind: str, ref: object) -> None:
        if surface and (_acronym(surface) or fold(surface) not in lex.stopnames):
            entries.setdefault(surface, []).append(Entry(kind, ref, surface))

    for c in kb.countries.values():
        for lang in langs:
            for n in c.names.get(lang, []):
                add(n, "COUNTRY", c.code)
            for n in c.demonyms.get(lang, []):
                add(n, "DEMONYM", c.code)
    for p in sorted(kb.places, key=lambda p: -(p.population or 0)):  # "हैदराबाद": the larger city first
        for lang in langs:
            for n in p.names.get(lang, []):
                add(n, "CAPITAL" if p.kind == "capital" else "CITY", p)
    for o in kb.orgs.values():
        for lang in langs:
            for n in o.names.get(lang, []):
                add(n, "ORG", o.code)
    for g in kb.groups:
        for lang in langs:
            for n in g.names.get(lang, []):
                add(n, "GROUP", g)
    for h in kb.holders:
        for lang in langs:
            for n in h.names.get(lang, []):
                add(n, "PERSON", h)
    for off in kb.offices.values():
        for n in off.titles.get(lex.lang, []):
            add(n, "TITLE", off.office)
    index = TermIndex()
    for surface, found in entries.items():
        found.sort(key=lambda e: KIND_ORDER.index(e.kind))
        index.add(surface, found)
    return index


def _case_ok(entry: Entry, text: str) -> bool:
    """Latin names must be written as names: "Turkey" and "Chad" the countries, "turkey" and "chad"
    not; an acronym (US, UN) exactly as in the data, so "us" is no country."""
    if _acronym(entry.surface):
        return text.replace(".", "").replace(" ", "") == entry.surface.replace(".", "").replace(" ", "")
    if entry.kind in ("TITLE", "SECTOR", "REF") or not text[:1].isascii():
        return True
    return text[:1].isupper() or not entry.surface[:1].isupper()  # "al-Shabab" is written so in the data


def find_mentions(doc: Document, res: Resources) -> list[Mention]:
    from .kb.lookup import scan_names

    lex = res.lexicon(doc.lang)
    gaz = res.gazetteer(doc.lang)
    mentions: list[Mention] = []
    people_seen: set[str] = set()
    for sent in doc.sentences:
        start = len(mentions)
        keys = [t.key for t in sent.tokens]
        i = 0
        while i < len(keys):
            hit = None
            for length, found in gaz.match(keys, i):
                text = doc.norm[sent.tokens[i].start:sent.tokens[i + length - 1].end]
                ok = [e for e in found if _case_ok(e, text)]
                if ok:
                    hit = (length, ok)
                    break
            if hit is None:
                for index, kind in ((lex.sectors, "SECTOR"), (lex.references, "REF")):
                    m = index.longest(keys, i)
                    if m:
                        hit = (m[0], [Entry(kind, m[1], "")])
                        break
            if hit is None:
                i += 1
                continue
            length, found = hit
            kind = found[0].kind
            ref = [e.ref for e in found if e.kind == kind] if kind == "PERSON" else found[0].ref
            if kind == "SECTOR":
                ref = found[0].ref["sector"]
            role = ""
            if kind == "REF":
                ref, role = found[0].ref["kind"], found[0].ref.get("role", "")
            mentions.append(Mention(sent.index, i, i + length, kind, ref, role))
            i += length
        # names the gazetteer missed: a misspelled part, or a misspelled surname after a full mention
        taken = {i for m in mentions[start:] for i in range(m.first, m.last)}
        found = scan_names(res.kb, [t.text for t in sent.tokens], skip=taken, persons=people_seen or None)
        mentions += [Mention(sent.index, h.first, h.last, "PERSON", h.holders) for h in found]
        mentions[start:] = sorted(mentions[start:], key=lambda m: m.first)
        people_seen.update(h.person for m in mentions[start:] if m.kind == "PERSON" for h in m.ref)
    return mentions


@stage("recognize", requires=("sentences",), assigns=("mentions",))
def recognize(doc: Document, res: Resources) -> Document:
    doc.mentions = find_mentions(doc, res)
    return doc
