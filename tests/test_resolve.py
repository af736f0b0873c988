"""Actors resolved through the knowledge base on the article's date."""

from __future__ import annotations

from sambandh.pipeline import extract_text


def actors(text: str, published: str, lang: str = "hi") -> list[dict]:
    rec = extract_text(text, lang=lang, published=published)
    return [e["actor"] for e in rec["events"]] + [e["recipient"] for e in rec["events"]]


def test_title_with_country_resolves_by_date():
    text = "भारत के प्रधानमंत्री ने जापान के प्रधानमंत्री से मुलाकात की।"
    names_2013 = {a["code"]: a.get("name") for a in actors(text, "2013-05-29")}
    names_2020 = {a["code"]: a.get("name") for a in actors(text, "2020-01-15")}
    assert names_2013["IND"] == "Manmohan Singh" and names_2020["IND"] == "Narendra Modi"
    assert names_2013["JPN"] == "Shinzo Abe"


def test_counterpart_is_the_other_sides_holder_of_the_same_office():
    found = actors("भारत के विदेश मंत्री ने अपने रूसी समकक्ष से मुलाकात की।", "2023-05-01")
    rus = next(a for a in found if a["code"] == "RUS")
    assert rus["office"] == "foreign_minister" and rus["name"] == "Sergey Lavrov"


def test_a_name_gives_the_country_and_the_office_of_the_day():
    found = actors("Putin met Modi in Moscow.", "2019-06-01", lang="en")
    by_code = {a["code"]: a for a in found}
    assert by_code["RUS"]["office"] == "head_of_state" and by_code["IND"]["office"] == "head_of_government"
    medvedev_era = {a["code"]: a for a in actors("Putin met Manmohan Singh in Moscow.", "2010-06-01", lang="en")}
    assert medvedev_era["RUS"]["office"] == "head_of_government"


def test_bare_surname_of_someone_out_of_office_is_not_resolved():
    rec = extract_text("गिलानी ने जर्मनी को पत्र लिखकर मांग की।", lang="hi", published="2016-01-01")
    assert not rec["events"]
