"""Looking up a person or a title in the knowledge base, in Hindi, English or Russian, on a date.

`lookup(kb, "लावरोव", date="2023-05-01")` returns candidates, best first:

1. exact: the name as written in the data, after the same folding as text
   (nukta, chandrabindu, case, punctuation of initials): score 100;
2. Russian case forms through pymorphy3 lemmas ("Лаврова", "Сергею Лаврову"): 98;
3. a title, with a country or organisation written beside it or passed as
   `country` ("भारत के प्रधानमंत्री", "the Russian foreign minister",
   "министр иностранных дел России", "प्रधानमंत्री" + country="IND"): the
   holder on `date` (or today's holder) 100, other holders of that office
   lower, nearest in time first. A bare Hindi title means India (the
   language's `home`), as in extraction;
4. transliteration-tolerant: the name romanized (kb/romanize.py) and folded
   to a phonetic key, scored with rapidfuzz against the keys of every name
   variant in every language: up to 95. Keys shorter than
   `MIN_KEY_LEN` letters must match exactly, short keys need a higher
   ratio, so ordinary words ("सरकार", "meeting") find nobody.

Among candidates with the same score, the term that holds on `date` comes
first, then the nearest term in time. The index is built once per
KnowledgeBase object (about 0.1 s) on the first lookup.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import product

from ..text.tokens import tokenize
from . import Holder, KnowledgeBase
from .romanize import fast_fold, name_key, script_of

MIN_KEY_LEN = 4  # letters in a phonetic key below which only an exact key counts
MIN_SINGLE_WORD = 6  # a one-word query needs this many letters in its key for fuzzy matching at all:
# short Hindi words sound exactly like foreign surnames (मिली/Milei, कदम/Khaddam, करनी/Carney, आकार/Akar)
EXACT, LEMMA, TITLE, TRANSLIT = "exact", "lemma", "title", "translit"


@dataclass(slots=True)
class Candidate:
    name: str
    person: str
    country: str
    office: str
    title: str
    start: str
    end: str
    score: float
    how: str = ""  # exact, lemma, title or translit
    matched: str = ""  # the variant in the data that matched
    holder: Holder | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("holder")
        return d


def _cutoff(key: str) -> float:
    """The least rapidfuzz ratio for a query key of this length."""
    n = len(key.replace(" ", ""))
    if n < MIN_KEY_LEN or n <= 5:
        return 100.0
    if n <= 8:
        return 90.0
    return 85.0


def _word_keys(text: str, folded: bool = False) -> list[str]:
    return [t.key for t in tokenize(text if folded else fast_fold(text)) if t.key[:1].isalnum() or t.key == "'s"]


def _exact_folded(folded: str) -> str:
    return " ".join(k for k in _word_keys(folded, True) if k != "'s")


def exact_key(text: str) -> str:
    """The folded form a name is looked up under: tokens without punctuation ("एस. जयशंकर" = "एस जयशंकर")."""
    return _exact_folded(fast_fold(text))


class NameIndex:
    """Every holder's name variants (exact keys and phonetic keys); office titles, country names and
    glue words for title queries are indexed on the first title query."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.exact: dict[str, list[Holder]] = {}
        self.terms: dict[str, list[Holder]] = {}
        self._folded: dict[str, str] = {}
        for h in kb.holders:
            self.terms.setdefault(h.person, []).append(h)
            for names in h.names.values():
                for n in names:
                    if n not in self._folded:
                        self._folded[n] = fast_fold(n)
                    ek = _exact_folded(self._folded[n])
                    if ek:
                        bucket = self.exact.setdefault(ek, [])
                        if not any(x is h for x in bucket):
                            bucket.append(h)
        self._keys: list[str] | None = None
        self.key_holders: list[list[tuple[Holder, str]]] = []
        self._titles = None

    @property
    def keys(self) -> list[str]:
        """Distinct phonetic keys of all name variants (built on the first fuzzy lookup)."""
        if self._keys is None:
            keyed: dict[str, list[tuple[Holder, str]]] = {}
            for h in self.kb.holders:
                for names in h.names.values():
                    for n in names:
                        pk = name_key(self._folded[n], True)
                        if len(pk.replace(" ", "")) >= MIN_KEY_LEN:
                            hs = keyed.setdefault(pk, [])
                            if not any(x is h for x, _ in hs):
                                hs.append((h, n))
            self.key_holders = [keyed[k] for k in keyed]
            self._keys = list(keyed)
        return self._keys

    def title_indexes(self):
        """(titles, places, glue) TermIndexes, built on first use."""
        if self._titles is None:
            from ..lexicon import TermIndex, load_lexicon

            titles, places, glue = TermIndex(), TermIndex(), TermIndex()
            for off in self.kb.offices.values():
                for names in off.titles.values():
                    for t in names:
                        titles.add(t, off.office)
            for c in self.kb.countries.values():
                for bucket in (c.names, c.demonyms):
                    for names in bucket.values():
                        for n in names:
                            places.add(n, c.code)
            for o in self.kb.orgs.values():
                for names in o.names.values():
                    for n in names:
                        places.add(n, o.code)
            for lang in _glue_langs():
                lex = load_lexicon(lang)
                # glue ("के", "the", "श्री") and case markers ("ने", "से", "with"): a query may be a
                # phrase cut from a sentence ("भारत के प्रधानमंत्री ने")
                for index in (lex.glue, lex.markers):
                    for keys, payload in _iter_terms(index):
                        glue.add(" ".join(keys), payload)
            for w in ("of", "the", "'s", "in", "from"):
                glue.add(w, {"kind": "gen"})
            self._titles = (titles, places, glue)
        return self._titles


def _iter_terms(index) -> list[tuple[tuple[str, ...], object]]:
    out = []
    for entries in index._by_first.values():
        out.extend(entries)
    return out


@lru_cache(maxsize=1)
def _glue_langs() -> tuple[str, ...]:
    from ..lexicon import supported_languages

    return tuple(sorted(supported_languages()))


_INDEXES: dict[int, tuple[KnowledgeBase, NameIndex]] = {}


def index_for(kb: KnowledgeBase) -> NameIndex:
    """The name index of `kb`, built on first use and kept while the KnowledgeBase lives (last 4 kept)."""
    hit = _INDEXES.get(id(kb))
    if hit and hit[0] is kb and hit[1].kb is kb and len(hit[1].kb.holders) == len(kb.holders):
        return hit[1]
    if len(_INDEXES) >= 4:
        _INDEXES.pop(next(iter(_INDEXES)))
    idx = NameIndex(kb)
    _INDEXES[id(kb)] = (kb, idx)
    return idx


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=4096)
def _lemmas(word: str) -> tuple[str, ...]:
    """The word and its pymorphy3 normal forms (a surname's case form comes back to the nominative)."""
    out = [word]
    try:
        parses = _morph().parse(word)
    except (ImportError, OSError, ValueError):  # no pymorphy3 dictionaries: case forms only match as written
        return tuple(out)
    for p in parses[:4]:
        nf = p.normal_form
        named = "Surn" in p.tag or "Name" in p.tag or "Geox" in p.tag or "Patr" in p.tag
        if (named or p.score >= 0.1) and nf not in out:
            out.append(nf)
    return tuple(out)


def russian_forms(text: str, limit: int = 16) -> list[str]:
    """Nominative readings of a Russian name in any case: "Сергею Лаврову" -> ["сергей лавров", ...]."""
    words = _word_keys(text)
    if not words:
        return []
    options = [_lemmas(w) if script_of(w) == "cyrl" else (w,) for w in words]
    out = []
    for combo in product(*options):
        s = " ".join(combo)
        if s not in out:
            out.append(s)
        if len(out) >= limit:
            break
    return out


def _distance(h: Holder, date: str | None) -> int:
    """Days-ish distance (in years, then months) of a term from `date`; 0 when it holds then."""
    if h.holds_on(date):
        return 0
    if not date:
        return 1
    edge = h.start if date < h.start else (h.end or date)
    try:
        return abs((int(edge[:4]) * 12 + int(edge[5:7])) - (int(date[:4]) * 12 + int(date[5:7]))) + 1
    except ValueError:
        return 10_000


def _candidate(h: Holder, score: float, how: str, matched: str) -> Candidate:
    return Candidate(h.name, h.person, h.country, h.office, h.title, h.start, h.end, round(score, 1), how,
                     matched, h)


def _rank(cands: dict[int, Candidate], date: str | None) -> list[Candidate]:
    latest_first = sorted(cands.values(), key=lambda c: c.start, reverse=True)
    return sorted(latest_first, key=lambda c: (-c.score, not c.holder.holds_on(date), _distance(c.holder, date)))


def _add(found: dict[int, Candidate], holders, score: float, how: str, matched: str, kb: KnowledgeBase) -> None:
    """Add every term of each matched person (a person may hold several offices over the years)."""
    for h in holders:
        for term in _terms_of(kb, h.person):
            c = found.get(id(term))
            if c is None or c.score < score:
                found[id(term)] = _candidate(term, score, how, matched)


def _terms_of(kb: KnowledgeBase, person: str) -> list[Holder]:
    return index_for(kb).terms.get(person, [])


def match_name(kb: KnowledgeBase, name: str) -> dict[int, Candidate]:
    """Candidates for a personal name (no title handling), unranked."""
    idx = index_for(kb)
    found: dict[int, Candidate] = {}
    ek = exact_key(name)
    if not ek:
        return found
    _add(found, idx.exact.get(ek, ()), 100.0, EXACT, name, kb)
    forms = russian_forms(name) if script_of(name) == "cyrl" else []
    if not found:
        for form in forms[1:]:
            _add(found, idx.exact.get(form, ()), 98.0, LEMMA, form, kb)
    if found:
        return found
    from rapidfuzz import fuzz, process

    queries = {name_key(name)} | {name_key(f) for f in forms}
    for q in queries:
        if len(q.replace(" ", "")) < MIN_KEY_LEN or (" " not in q and len(q) < MIN_SINGLE_WORD):
            continue
        cutoff = _cutoff(q)
        keys = idx.keys
        for _key, ratio, i in process.extract(q, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=25):
            for h, variant in idx.key_holders[i]:
                _add(found, [h], ratio * 0.95, TRANSLIT, variant, kb)
    return found


def parse_title(kb: KnowledgeBase, text: str) -> tuple[str | None, str | None, list[str]]:
    """(office, country or organisation code, the remaining words) of a phrase such as
    "भारत के प्रधानमंत्री", "the Russian foreign minister" or "министр обороны России"."""
    titles, places, glue = index_for(kb).title_indexes()
    keys = _word_keys(text)
    office = country = None
    rest: list[str] = []

    def longest(index, i: int):
        """A match at i as written, or with the Russian word at i in a normal form ("президентом США",
        "министра иностранных дел", "России": the head word inflects, the rest of the title does not)."""
        m = index.longest(keys, i)
        if m is None and script_of(keys[i]) == "cyrl":
            for form in _lemmas(keys[i])[1:]:
                m = index.longest([*keys[:i], form, *keys[i + 1:]], i)
                if m:
                    break
        return m

    i = 0
    while i < len(keys):
        m = longest(titles, i) if office is None else None
        if m:
            office = m[1]
            i += m[0]
            continue
        m = longest(places, i) if country is None else None
        if m:
            country = m[1]
            i += m[0]
            continue
        m = glue.longest(keys, i)
        if m:
            i += m[0]
            continue
        rest.append(keys[i])
        i += 1
    return office, country, rest


def _home(lang: str | None) -> str | None:
    if not lang:
        return None
    from ..lexicon import load_lexicon, supported_languages

    if lang not in supported_languages():
        return None
    return load_lexicon(lang).config.get("home") or None


def _title_candidates(kb: KnowledgeBase, office: str, country: str | None, date: str | None,
                      matched: str) -> dict[int, Candidate]:
    found: dict[int, Candidate] = {}
    for h in kb.holders:
        if h.office != office or (country and h.country != country):
            continue
        on = h.holds_on(date)
        if country:
            score = 100.0 if on else max(50.0, 90.0 - min(_distance(h, date), 480) / 12)
        else:
            score = 60.0 if on else 30.0  # a title with no country at all: any country's holder
        found[id(h)] = _candidate(h, score, TITLE, matched)
    return found


def lookup(kb: KnowledgeBase, name: str, date: str | None = None, lang: str | None = None, limit: int = 10,
           *, country: str | None = None, office: str | None = None,
           persons: Collection[str] | None = None) -> list[Candidate]:
    """Candidates for a name or a title, best first.

    `date` (YYYY-MM-DD) ranks the term held on that day first (none: today's holders). `lang` is the
    query's language (default: from its script; it only decides which country a bare title means).
    `country` and `office` keep only candidates of that country/organisation and office (a title query
    uses `country` as its country). `persons` keeps only those person ids, e.g. the people already
    named in an article when resolving a later surname.
    """
    name = (name or "").strip()
    if not name:
        return []
    script = script_of(name)
    lang = lang or {"deva": "hi", "cyrl": "ru", "latn": "en"}.get(script)
    found = match_name(kb, name)
    if not any(c.how in (EXACT, LEMMA) for c in found.values()):
        t_office, t_country, rest = parse_title(kb, name)
        if t_office and not rest:
            where = t_country or country or _home(lang)
            found = _title_candidates(kb, t_office, where, date, name)
            office = office or t_office
        elif rest and (t_office or t_country or len(rest) < len(_word_keys(name))):
            # a name with a title, a country or an honorific: "विदेश मंत्री जयशंकर", "Mr Lavrov",
            # "श्री नरेन्द्र मोदी"; the name must belong to that country, and to that office if any did
            named = match_name(kb, " ".join(rest))
            where = t_country or country
            keep = {k: c for k, c in named.items() if not where or c.country == where}
            if t_office and any(c.office == t_office for c in keep.values()):
                people = {c.person for c in keep.values() if c.office == t_office}
                keep = {k: c for k, c in keep.items() if c.person in people}
            if keep and max(c.score for c in keep.values()) >= max((c.score for c in found.values()), default=0):
                found = keep
    cands = list(found.values())
    if country:
        cands = [c for c in cands if c.country == country]
    if office:
        cands = [c for c in cands if c.office == office]
    if persons is not None:
        allowed = set(persons)
        cands = [c for c in cands if c.person in allowed]
    return _rank({id(c): c for c in cands}, date)[:limit] if limit else _rank({id(c): c for c in cands}, date)


def resolve_person(kb: KnowledgeBase, name: str, date: str | None = None, *, min_score: float = 85.0,
                   persons: Collection[str] | None = None) -> Holder | None:
    """The one holder a name most likely means on `date`, or None when nothing scores `min_score`.
    For extraction: a misspelled or transliterated name the gazetteer missed, or a surname after a
    full mention (pass the people already found in the article as `persons`)."""
    cands = lookup(kb, name, date, limit=5, persons=persons)
    if not cands or cands[0].score < min_score:
        return None
    best = cands[0]
    # two different people equally good: ambiguous
    rival = next((c for c in cands[1:] if c.person != best.person), None)
    if rival and rival.score == best.score and rival.holder.holds_on(date) == best.holder.holds_on(date):
        return None
    return best.holder


@lru_cache(maxsize=262144)
def _fold_word(word: str) -> str:
    return fast_fold(word)


_NEAR_CACHE: dict[tuple[int, str], bool] = {}
_WINDOW_CACHE: dict[tuple[int, str], tuple[str, float] | None] = {}


def _name_words(idx: NameIndex) -> tuple[set[str], list[str]]:
    """The folded words of all known names (anchors), and the phonetic keys of those words."""
    if getattr(idx, "_name_words", None) is None:
        words = {w for f in idx._folded.values() for w in f.split() if len(w) >= 3}
        idx.keys  # noqa: B018  (build the fuzzy index)
        toks = sorted({part for k in idx.keys for part in k.split() if len(part) >= MIN_KEY_LEN})
        idx._name_words = (words, toks)
    return idx._name_words


def _near(idx: NameIndex, word: str) -> bool:
    """Is the word's phonetic key close to that of some word of a known name? (cached per word)"""
    key = (id(idx), word)
    hit = _NEAR_CACHE.get(key)
    if hit is None:
        from rapidfuzz import fuzz, process

        k = name_key(word)
        hit = len(k) >= MIN_KEY_LEN and " " not in k and process.extractOne(
            k, _name_words(idx)[1], scorer=fuzz.ratio, score_cutoff=_cutoff(k) - 5) is not None
        if len(_NEAR_CACHE) > 200_000:
            _NEAR_CACHE.clear()
        _NEAR_CACHE[key] = hit
    return hit


def _best_person(kb: KnowledgeBase, idx: NameIndex, text: str, min_score: float) -> tuple[str, float] | None:
    key = (id(idx), text)
    if key not in _WINDOW_CACHE:
        best: dict[str, float] = {}
        for c in match_name(kb, text).values():
            best[c.person] = max(best.get(c.person, 0.0), c.score)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        ok = ranked and ranked[0][1] >= min_score and (len(ranked) == 1 or ranked[1][1] < ranked[0][1])
        if len(_WINDOW_CACHE) > 200_000:
            _WINDOW_CACHE.clear()
        _WINDOW_CACHE[key] = ranked[0] if ok else None
    return _WINDOW_CACHE[key]


@lru_cache(maxsize=262144)
def _fold_word(word: str) -> str:
    return fast_fold(word)


@dataclass(slots=True)
class NameHit:
    first: int  # index of the first word
    last: int  # one past the last word
    text: str
    person: str
    holders: list[Holder]  # every term of that person, as a PERSON mention's ref
    score: float


def scan_names(kb: KnowledgeBase, words: list[str], *, skip: Collection[int] = (), max_words: int = 3,
               min_score: float = 90.0, persons: Collection[str] | None = None) -> list[NameHit]:
    """Names of known people among `words` (a sentence's token texts) that exact matching missed:
    a known name with one part misspelled ("सुष्मा स्वराज", "एनरिक पेना निएतो", "Sergej Lavrov").

    A candidate is a window of 2 to `max_words` words around an anchor: a word spelled exactly as
    a word of some known name; every other word in it must sound close to a word of a known name, and
    the window counts when its best person scores `min_score` with no other person as good. One word
    alone is too risky in Hindi (short words sound exactly like foreign surnames: मिली/Milei,
    कदम/Khaddam), except against `persons`, the people an article already named: then a single
    misspelled surname ("लवरोव" after "सर्गेई लावरोव") is found too. Words at indexes in `skip`
    (already recognised) are never part of a hit; English words must start with a capital."""
    idx = index_for(kb)
    anchors_set, _ = _name_words(idx)
    skip = set(skip)
    n = len(words)
    folded = [_fold_word(w) for w in words]
    usable = [i not in skip and (not words[i].isascii() or words[i][:1].isupper()) and words[i][:1].isalpha()
              for i in range(n)]
    hits: list[NameHit] = []
    taken: set[int] = set()
    for j in range(n):
        if not usable[j] or j in taken or folded[j] not in anchors_set:
            continue
        found = None
        for size in range(min(max_words, n), 1, -1):
            for a in range(max(0, j - size + 1), min(j, n - size) + 1):
                span = range(a, a + size)
                if any(not usable[k] or k in taken for k in span):
                    continue
                if any(k != j and folded[k] not in anchors_set and not _near(idx, words[k]) for k in span):
                    continue
                text = " ".join(words[a:a + size])
                res = _best_person(kb, idx, text, min_score)
                if res and (persons is None or res[0] in persons):
                    found = NameHit(a, a + size, text, res[0], list(idx.terms.get(res[0], [])), res[1])
                    break
            if found:
                break
        if found:
            hits.append(found)
            taken.update(range(found.first, found.last))
    if persons:
        keys = [(name_key(idx._folded[v], True), p) for p in persons for h in idx.terms.get(p, [])[:1]
                for names in h.names.values() for v in names if v in idx._folded]
        keys = [(k, p) for k, p in keys if " " not in k and len(k) >= MIN_SINGLE_WORD]
        if keys:
            from rapidfuzz import fuzz

            for i in range(n):
                if not usable[i] or i in taken:
                    continue
                k = name_key(folded[i], True)
                if len(k) < MIN_SINGLE_WORD:
                    continue
                best = max(((fuzz.ratio(k, pk) * 0.95, p) for pk, p in keys), default=(0.0, ""))
                if best[0] >= min_score:
                    hits.append(NameHit(i, i + 1, words[i], best[1], list(idx.terms.get(best[1], [])), best[0]))
                    taken.add(i)
    hits.sort(key=lambda h: h.first)
    return hits
