"""Scoring rules of ANNOTATION.md on hand-made gold and predictions, and the `sambandh eval` command."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sambandh.cli import cli
from sambandh.evaluate import read_jsonl, score_article, score_corpus


def g(actor, recipient, event, modality="asserted", reciprocal=False, evidence="gold says so"):
    """A gold-shaped event."""
    return {"actor": actor, "recipient": recipient, "event": event, "mode": None, "reciprocal": reciprocal,
            "modality": modality, "evidence": evidence}


def r(actor, recipient, event, modality="asserted", reciprocal=False, evidence="system says so", rule="test.rule"):
    """A record-shaped event (as `sambandh extract` writes it)."""
    return {"actor": {"code": actor, "country": actor}, "recipient": {"code": recipient, "country": recipient},
            "event": event, "mode": None, "reciprocal": reciprocal, "modality": modality, "evidence": evidence,
            "sentence": 0, "span": [0, 1], "rule": rule, "confidence": 0.9}


def gold(id, *events, countries=None):
    out = {"id": id, "sha1": "0" * 40, "lang": "hi", "events": list(events)}
    if countries is not None:
        out["countries"] = countries
    return out


def rec(id, *events, countries=()):
    return {"id": id, "lang": "hi", "countries": list(countries), "events": list(events)}


def counts(score, key):
    c = score.scores[key]
    return c.tp, c.fp, c.fn


# -- directed and undirected ---------------------------------------------------------------------------------------

def test_exact_match_is_one_true_positive():
    s = score_article(gold("a", g("IND", "RUS", "CONSULT")), rec("a", r("IND", "RUS", "CONSULT")))
    assert counts(s, "directed") == (1, 0, 0)
    assert counts(s, "undirected") == (1, 0, 0)
    assert s.scores["directed"].f1 == 1.0


def test_wrong_direction_counts_only_undirected():
    s = score_article(gold("a", g("IND", "PAK", "ACCUSE")), rec("a", r("PAK", "IND", "ACCUSE")))
    assert counts(s, "directed") == (0, 1, 1)
    assert counts(s, "undirected") == (1, 0, 0)
    assert s.scores["directed"].precision == 0.0
    assert sorted(e["kind"] for e in s.errors) == ["direction", "direction-miss"]


def test_wrong_event_type_is_a_false_positive_and_a_miss():
    s = score_article(gold("a", g("IND", "PAK", "ACCUSE")), rec("a", r("IND", "PAK", "THREATEN")))
    assert counts(s, "directed") == (0, 1, 1)
    assert counts(s, "undirected") == (0, 1, 1)
    assert {e["kind"] for e in s.errors} == {"fp", "miss"}


def test_repeated_predictions_collapse_into_one():
    s = score_article(gold("a", g("IND", "RUS", "CONSULT")),
                      rec("a", *[r("IND", "RUS", "CONSULT", evidence=f"s{i}") for i in range(3)]))
    assert counts(s, "directed") == (1, 0, 0)


def test_a_triple_reported_both_asserted_and_negated_counts_as_asserted():
    s = score_article(gold("a", g("IND", "RUS", "CONSULT", modality="negated"), g("IND", "RUS", "CONSULT")),
                      rec("a", r("IND", "RUS", "CONSULT", modality="hypothetical"), r("IND", "RUS", "CONSULT")))
    assert counts(s, "directed") == (1, 0, 0)
    assert counts(s, "optional_directed") == (0, 0, 0)


def test_both_directions_predicted_against_one_directed_gold():
    s = score_article(gold("a", g("IND", "RUS", "CONSULT")),
                      rec("a", r("IND", "RUS", "CONSULT"), r("RUS", "IND", "CONSULT")))
    assert counts(s, "directed") == (1, 1, 0)
    assert counts(s, "undirected") == (1, 0, 0)


# -- reciprocal ------------------------------------------------------------------------------------------------

def test_reciprocal_gold_ignores_order_and_is_one_unit():
    gl = gold("a", g("IND", "RUS", "AGREE", reciprocal=True))
    assert counts(score_article(gl, rec("a", r("RUS", "IND", "AGREE"))), "directed") == (1, 0, 0)
    both = score_article(gl, rec("a", r("RUS", "IND", "AGREE"), r("IND", "RUS", "AGREE")))
    assert counts(both, "directed") == (1, 0, 0)
    assert counts(score_article(gl, rec("a")), "directed") == (0, 0, 1)


def test_reciprocal_prediction_matches_the_gold_directions():
    one = score_article(gold("a", g("USA", "CHN", "SANCTION")),
                        rec("a", r("CHN", "USA", "SANCTION", reciprocal=True)))
    assert counts(one, "directed") == (1, 0, 0)
    two = score_article(gold("a", g("USA", "CHN", "ACCUSE"), g("CHN", "USA", "ACCUSE")),
                        rec("a", r("USA", "CHN", "ACCUSE", reciprocal=True)))
    assert counts(two, "directed") == (2, 0, 0)
    assert counts(two, "undirected") == (1, 0, 0)
    spurious = score_article(gold("a"), rec("a", r("USA", "CHN", "ACCUSE", reciprocal=True)))
    assert counts(spurious, "directed") == (0, 1, 0)


# -- optional modalities ---------------------------------------------------------------------------------------

def test_prediction_matching_an_optional_gold_event_is_neither_tp_nor_fp():
    gl = gold("a", g("IND", "PAK", "THREATEN", modality="hypothetical"), g("IND", "CHN", "CONSULT"))
    s = score_article(gl, rec("a", r("IND", "PAK", "THREATEN"), r("IND", "CHN", "CONSULT")))
    assert counts(s, "directed") == (1, 0, 0)
    assert counts(s, "undirected") == (1, 0, 0)
    # scored on their own: the asserted prediction is not an optional one, so the optional gold is missed there
    assert counts(s, "optional_directed") == (0, 0, 1)


def test_optional_gold_is_never_a_miss_in_the_main_score():
    gl = gold("a", g("IND", "PAK", "ASSAULT", modality="historical"), g("IND", "PAK", "SANCTION", modality="negated"))
    s = score_article(gl, rec("a"))
    assert counts(s, "directed") == (0, 0, 0)
    assert counts(s, "undirected") == (0, 0, 0)
    assert counts(s, "optional_directed") == (0, 0, 2)


def test_optional_predictions_are_left_out_of_the_main_score():
    s = score_article(gold("a", g("IND", "RUS", "CONSULT")),
                      rec("a", r("IND", "RUS", "CONSULT"), r("IND", "CHN", "ASSAULT", modality="negated"),
                          r("RUS", "UKR", "ASSAULT", modality="hypothetical")))
    assert counts(s, "directed") == (1, 0, 0)
    assert counts(s, "optional_directed") == (0, 2, 0)
    matched = score_article(gold("a", g("RUS", "UKR", "ASSAULT", modality="hypothetical")),
                            rec("a", r("RUS", "UKR", "ASSAULT", modality="hypothetical")))
    assert counts(matched, "optional_directed") == (1, 0, 0)
    assert counts(matched, "directed") == (0, 0, 0)


def test_future_is_not_optional():
    s = score_article(gold("a", g("IND", "RUS", "AGREE", modality="future")), rec("a"))
    assert counts(s, "directed") == (0, 0, 1)


# -- micro-averaging, empty articles, unresolved -------------------------------------------------------------------

def test_micro_average_sums_counts_over_articles():
    golds = [
        gold("a", g("IND", "RUS", "CONSULT"), g("IND", "RUS", "AGREE")),
        gold("b", g("USA", "IRN", "SANCTION")),
        gold("c", *[g("IND", code, "CONSULT") for code in ("FRA", "DEU", "JPN", "AUS", "BRA", "ZAF", "EGY", "KEN")]),
    ]
    preds = {
        "a": rec("a", r("IND", "RUS", "CONSULT"), r("IND", "RUS", "AGREE")),
        "b": rec("b", r("USA", "IRN", "THREATEN")),
        "c": rec("c", *[r("IND", code, "CONSULT") for code in ("FRA", "DEU", "JPN", "AUS")]),
    }
    s = score_corpus(golds, preds)
    assert s.articles == 3
    assert counts(s, "directed") == (6, 1, 5)
    assert s.scores["directed"].precision == pytest.approx(6 / 7)
    assert s.scores["directed"].recall == pytest.approx(6 / 11)
    p, rc = 6 / 7, 6 / 11
    assert s.scores["directed"].f1 == pytest.approx(2 * p * rc / (p + rc))
    # the macro average of per-article recall would be (1 + 0 + 0.5) / 3 = 0.5: micro is not that
    assert s.scores["directed"].recall != pytest.approx(0.5)
    assert s.by_type["CONSULT"]["directed"].tp == 5
    assert s.by_type["CONSULT"]["directed"].fn == 4
    assert (s.by_type["SANCTION"]["directed"].fn, s.by_type["THREATEN"]["directed"].fp) == (1, 1)


def test_empty_articles():
    both_empty = score_corpus([gold("a")], {"a": rec("a")})
    assert counts(both_empty, "directed") == (0, 0, 0)
    assert both_empty.scores["directed"].f1 == 0.0
    fp_only = score_corpus([gold("a"), gold("b")], {"a": rec("a", r("IND", "PAK", "ASSAULT")), "b": rec("b")})
    assert counts(fp_only, "directed") == (0, 1, 0)
    assert counts(fp_only, "undirected") == (0, 1, 0)
    no_prediction = score_corpus([gold("a", g("IND", "RUS", "CONSULT"))], {})
    assert counts(no_prediction, "directed") == (0, 0, 1)


def test_unresolved_predictions_are_left_out_and_counted():
    ev = r("IND", "RUS", "CONSULT")
    ev["recipient"] = {"code": None, "country": None}
    s = score_article(gold("a"), rec("a", ev))
    assert counts(s, "directed") == (0, 0, 0)
    assert s.unresolved == 1


def test_same_country_prediction_is_a_false_positive():
    s = score_article(gold("a"), rec("a", r("IND", "IND", "CONSULT")))
    assert counts(s, "directed") == (0, 1, 0)


# -- countries and modality ------------------------------------------------------------------------------------

def test_country_mentions_precision_and_recall():
    s = score_corpus([gold("a", countries=["IND", "RUS", "CHN"]), gold("b", countries=[])],
                     {"a": rec("a", countries=["IND", "RUS", "USA"]), "b": rec("b", countries=["PAK"])})
    assert (s.countries.tp, s.countries.fp, s.countries.fn) == (2, 2, 1)
    assert s.countries.precision == pytest.approx(0.5)
    assert s.countries.recall == pytest.approx(2 / 3)


def test_modality_accuracy_on_matched_events():
    gl = gold("a", g("IND", "RUS", "CONSULT"), g("IND", "RUS", "AGREE", modality="future"),
              g("IND", "PAK", "ASSAULT", modality="historical"))
    s = score_article(gl, rec("a", r("RUS", "IND", "CONSULT"), r("IND", "RUS", "AGREE"),
                              r("IND", "PAK", "ASSAULT", modality="historical"), r("IND", "CHN", "AID")))
    assert sum(s.modality.values()) == 3
    assert s.modality_accuracy == pytest.approx(2 / 3)
    assert s.modality[("future", "asserted")] == 1


def test_gold_against_gold_is_symmetric():
    a = [gold("x", g("IND", "RUS", "CONSULT"), g("IND", "RUS", "AGREE", reciprocal=True))]
    b = [gold("x", g("RUS", "IND", "AGREE"), g("IND", "CHN", "ACCUSE"))]
    ab = score_corpus(a, {d["id"]: d for d in b})
    ba = score_corpus(b, {d["id"]: d for d in a})
    assert counts(ab, "undirected") == (1, 1, 1)
    assert ab.scores["undirected"].f1 == ba.scores["undirected"].f1 == pytest.approx(0.5)


# -- the command ------------------------------------------------------------------------------------------------

def write_jsonl(path: Path, objs) -> str:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), encoding="utf-8")
    return str(path)


def test_cli_pred_json_and_errors(tmp_path):
    gp = write_jsonl(tmp_path / "gold.jsonl", [gold("a", g("IND", "RUS", "CONSULT", evidence="they met"),
                                                    g("IND", "PAK", "ACCUSE", evidence="India accused Pakistan"),
                                                    countries=["IND", "RUS", "PAK"])])
    pp = write_jsonl(tmp_path / "pred.jsonl", [rec("a", r("IND", "RUS", "CONSULT"),
                                                   r("IND", "CHN", "AID", evidence="India sent aid", rule="aid.send"),
                                                   countries=["IND", "RUS"])])
    res = CliRunner().invoke(cli, ["eval", gp, "--pred", pp, "--format", "json", "--errors"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["directed"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert out["countries"]["recall"] == pytest.approx(0.6667)
    fp = next(e for e in out["errors"] if e["kind"] == "fp")
    assert (fp["id"], fp["rule"], fp["evidence"]) == ("a", "aid.send", "India sent aid")
    miss = next(e for e in out["errors"] if e["kind"] == "miss")
    assert miss["evidence"] == "India accused Pakistan"
    table = CliRunner().invoke(cli, ["eval", gp, "--pred", pp, "--errors"])
    assert table.exit_code == 0
    assert "main undirected" in table.stdout and "India accused Pakistan" in table.stdout
    assert "rule=aid.send" in table.stdout


def test_cli_gates_on_min_f1_and_precision(tmp_path):
    gp = write_jsonl(tmp_path / "gold.jsonl", [gold("a", g("IND", "RUS", "CONSULT"))])
    pp = write_jsonl(tmp_path / "pred.jsonl", [rec("a", r("IND", "RUS", "CONSULT"), r("IND", "CHN", "AID"))])
    runner = CliRunner()
    assert runner.invoke(cli, ["eval", gp, "--pred", pp, "--min-f1", "0.6"]).exit_code == 0
    low = runner.invoke(cli, ["eval", gp, "--pred", pp, "--min-precision", "0.9"])
    assert low.exit_code == 1
    assert "precision 0.500 is below" in low.stderr


def test_cli_texts_runs_extraction_and_checks_sha1(tmp_path):
    text = "भारत के विदेश मंत्री ने रूस के विदेश मंत्री से मुलाक़ात की।\n"
    art = tmp_path / "talks.hi.txt"
    art.write_text(text, encoding="utf-8")
    good = {"id": "talks.hi.txt", "sha1": hashlib.sha1(text.encode()).hexdigest(), "lang": "hi",
            "countries": ["IND", "RUS"], "events": []}
    gp = write_jsonl(tmp_path / "gold.jsonl", [good])
    res = CliRunner().invoke(cli, ["eval", gp, "--texts", str(art), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["articles"] == 1
    assert "sha1" not in res.stderr
    bad = dict(good, sha1="f" * 40)
    gp2 = write_jsonl(tmp_path / "gold2.jsonl", [bad])
    res2 = CliRunner().invoke(cli, ["eval", gp2, "--texts", str(art)])
    assert res2.exit_code == 0
    assert "does not match the text" in res2.stderr


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sambandh.cli", *args], capture_output=True, text=True,
                          check=False)


def test_cli_missing_gold_is_one_line_exit_2(tmp_path):
    proc = run_cli("eval", str(tmp_path / "nope.jsonl"), "--pred", str(tmp_path / "p.jsonl"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "nope.jsonl: no such gold file" in proc.stderr


def test_cli_text_missing_for_a_gold_id_is_exit_2(tmp_path):
    gp = write_jsonl(tmp_path / "gold.jsonl", [gold("not-there")])
    texts = write_jsonl(tmp_path / "texts.jsonl", [{"id": "other", "text": "India and Russia met."}])
    proc = run_cli("eval", gp, "--texts", texts)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "have no text" in proc.stderr and "not-there" in proc.stderr


def test_cli_needs_texts_or_pred(tmp_path):
    gp = write_jsonl(tmp_path / "gold.jsonl", [gold("a")])
    proc = run_cli("eval", gp)
    assert proc.returncode == 2 and "either --texts" in proc.stderr


def test_cli_texts_skips_bad_lines_elsewhere_and_reads_folders(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "texts.jsonl").write_text('{"id": "a", "text": "India and Russia met."}\n{"id": "b", "text": ""}\n',
                                        encoding="utf-8")
    (corpus / "c.txt").write_text("Pakistan accused India.", encoding="utf-8")
    gp = write_jsonl(tmp_path / "gold.jsonl", [dict(gold("a"), lang="en"), dict(gold("c.txt"), lang="hi")])
    res = CliRunner().invoke(cli, ["eval", gp, "--texts", str(corpus), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["articles"] == 2
    assert set(out["by_lang"]) == {"en", "hi"}
    assert out["by_lang"]["en"]["articles"] == 1


def test_cli_texts_and_pred_together_is_an_error(tmp_path):
    gp = write_jsonl(tmp_path / "gold.jsonl", [gold("a")])
    proc = run_cli("eval", gp, "--pred", gp, "--texts", gp)
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_read_jsonl_accepts_extract_json_output(tmp_path):
    p = tmp_path / "one.json"
    p.write_text(json.dumps(rec("a", r("IND", "RUS", "CONSULT")), indent=2), encoding="utf-8")
    assert [o["id"] for o in read_jsonl(p)] == ["a"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n{oops\n', encoding="utf-8")
    with pytest.raises(Exception, match="line 2: invalid JSON"):
        read_jsonl(bad)
