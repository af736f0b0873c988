"""Knowledge: countries, places, organisations, offices and dated office-holders.

Everything here is loaded from the TSV files in `kb/data/` (and any extra
folders a user passes), never written in Python. See docs/data.md for the
formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..tables import read_tsv, split

DATA = Path(__file__).parent / "data"
LANGS = ("en", "hi", "ru")


@dataclass(slots=True)
class Country:
    code: str
    iso2: str
    names: dict[str, list[str]] = field(default_factory=dict)
    demonyms: dict[str, list[str]] = field(default_factory=dict)
    capital: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def name(self) -> str:
        return (self.names.get("en") or [self.code])[0]


@dataclass(slots=True)
class Place:
    name: str
    country: str
    kind: str  # capital, city, region
    names: dict[str, list[str]]
    lat: float | None
    lon: float | None
    population: int | None = None


@dataclass(slots=True)
class Org:
    code: str
    kind: str
    names: dict[str, list[str]]

    @property
    def name(self) -> str:
        return (self.names.get("en") or [self.code])[0]


@dataclass(slots=True)
class Group:
    """An armed or political group that acts for a country in the news (Hamas -> PSE)."""

    country: str
    sector: str
    names: dict[str, list[str]]


@dataclass(slots=True)
class Office:
    office: str
    sector: str
    titles: dict[str, list[str]]


@dataclass(slots=True)
class Holder:
    person: str
    country: str
    office: str
    title: str
    start: str  # YYYY-MM-DD
    end: str  # "" while in office
    names: dict[str, list[str]]
    qid: str = ""
    source: str = ""

    @property
    def name(self) -> str:
        return (self.names.get("en") or [self.person])[0]

    def holds_on(self, date: str | None) -> bool:
        if not date:
            return not self.end
        return self.start <= date and (not self.end or date <= self.end)


def _float(v: str) -> float | None:
    try:
        return float(v)
    except ValueError:
        return None


@dataclass(slots=True)
class KnowledgeBase:
    countries: dict[str, Country] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    orgs: dict[str, Org] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    holders: list[Holder] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # HKG -> CHN (code_aliases.tsv)
    sources: list[str] = field(default_factory=list)

    def holders_of(self, country: str, office: str, date: str | None) -> list[Holder]:
        """Who held `office` for `country` on `date` (the latest term first)."""
        found = [h for h in self.holders if h.country == country and h.office == office and h.holds_on(date)]
        return sorted(found, key=lambda h: h.start, reverse=True)

    def name_of(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code in self.countries:
            return self.countries[code].name
        if code in self.orgs:
            return self.orgs[code].name
        return code

    def add_folder(self, folder: Path) -> None:
        """Add every known data file found in `folder` (a user's extension or the shipped data)."""
        self.sources.append(str(folder))
        f = folder / "countries.tsv"
        if f.exists():
            for r in read_tsv(f):
                c = self.countries.setdefault(r["code"], Country(r["code"], r.get("iso2", "")))
                for lang in LANGS:
                    for n in split(r.get(lang, "")):
                        c.names.setdefault(lang, [])
                        if n not in c.names[lang]:
                            c.names[lang].append(n)
                c.capital = r.get("capital") or c.capital
                c.lat = _float(r.get("lat", "")) if r.get("lat") else c.lat
                c.lon = _float(r.get("lon", "")) if r.get("lon") else c.lon
        term_files = [folder / "country_terms.tsv", *sorted((folder / "country_terms").glob("*.tsv"))]
        for f in (f for f in term_files if f.exists()):
            for r in read_tsv(f):
                c = self.countries.setdefault(r["code"], Country(r["code"], ""))
                bucket = c.demonyms if r["kind"] == "demonym" else c.names
                names = bucket.setdefault(r["lang"], [])
                for n in split(r["variants"]):
                    if n not in names:
                        names.append(n)
        f = folder / "code_aliases.tsv"
        if f.exists():
            self.aliases.update({r["code"]: r["as"] for r in read_tsv(f)})
        f = folder / "places.tsv"
        if f.exists():
            for r in read_tsv(f):
                names = {lang: split(r.get(lang, "")) for lang in LANGS}
                names["en"] = [r["en"], *[n for n in names["en"] if n != r["en"]]]
                pop = r.get("population", "")
                self.places.append(Place(r["en"], r["country"], r.get("kind", "city"), names,
                                         _float(r.get("lat", "")), _float(r.get("lon", "")),
                                         int(pop) if pop.isdigit() else None))
        f = folder / "orgs.tsv"
        if f.exists():
            for r in read_tsv(f):
                self.orgs[r["code"]] = Org(r["code"], r.get("kind", "igo"),
                                           {lang: split(r.get(lang, "")) for lang in LANGS})
        f = folder / "groups.tsv"
        if f.exists():
            for r in read_tsv(f):
                self.groups.append(Group(r["code"], r.get("sector") or "REB",
                                         {lang: split(r.get(lang, "")) for lang in LANGS}))
        f = folder / "offices.tsv"
        if f.exists():
            for r in read_tsv(f):
                self.offices[r["office"]] = Office(r["office"], r.get("sector", "GOV"),
                                                   {lang: split(r.get(lang, "")) for lang in LANGS})
        hdir = folder / "holders"
        holder_files = sorted(hdir.glob("*.tsv")) if hdir.is_dir() else []
        if (folder / "holders.tsv").exists():
            holder_files.append(folder / "holders.tsv")
        for f in holder_files:
            for r in read_tsv(f):
                self.holders.append(Holder(
                    person=r["person"], country=r["country"], office=r["office"], title=r.get("title", ""),
                    start=r.get("start", ""), end=r.get("end", ""),
                    names={lang: split(r.get(lang, "")) for lang in LANGS},
                    qid=r.get("qid", ""), source=r.get("source", "")))


def load_kb(extra: list[Path] | tuple[Path, ...] = ()) -> KnowledgeBase:
    """The shipped knowledge plus any user folders (later folders add to earlier ones)."""
    kb = KnowledgeBase()
    kb.add_folder(DATA)
    for folder in extra:
        kb.add_folder(Path(folder))
    if kb.aliases:
        for place in kb.places:
            place.country = kb.aliases.get(place.country, place.country)
        for c in kb.countries.values():
            c.code = kb.aliases.get(c.code, c.code)
    return kb
