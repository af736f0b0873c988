"""`sambandh eval`: score extraction (or another annotation pass) against gold."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import click

from ..errors import InputError


def load_texts(paths: tuple[str, ...], wanted: set[str]) -> dict[str, Any]:
    """Documents whose id is wanted, from JSON Lines files or plain-text articles (id = file name)."""
    from ..read import read_source
    from .extract import _expand

    docs: dict[str, Any] = {}
    for path in _expand(paths):
        # a bad line elsewhere in a corpus is no reason to stop; a gold id left without text is reported later
        for doc in read_source(path, on_error=lambda err: None):
            if doc.id in wanted and doc.id not in docs:
                docs[doc.id] = doc
    return docs


def predict(golds: list[dict[str, Any]], text_paths: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, str]]:
    """Run extraction on the texts of the gold articles: records by id, and the texts by id."""
    from ..pipeline import load_pipeline

    wanted = {str(g["id"]) for g in golds}
    docs = load_texts(text_paths, wanted)
    missing = sorted(wanted - set(docs))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise InputError(f"{len(missing)} gold article(s) have no text in the --texts given: {shown}; "
                         "pass the files that hold them")
    texts = {i: d.text for i, d in docs.items()}
    pipe = load_pipeline()
    return {i: pipe.record(d) for i, d in docs.items()}, texts


def run_eval(gold_path: str, texts: tuple[str, ...] = (), pred_path: str | None = None) -> dict[str, Any]:
    """Everything `sambandh eval` reports, as one dict (errors included)."""
    from ..evaluate import check_gold, read_jsonl, score_corpus, unique_golds

    if bool(texts) == bool(pred_path):
        raise InputError("give either --texts (run extraction) or --pred (score given output), not both or neither")
    golds_raw = read_jsonl(gold_path, "gold file")
    golds = unique_golds(golds_raw)
    warnings: list[str] = []
    text_by_id: dict[str, str] | None = None
    if pred_path:
        preds_list = read_jsonl(pred_path, "prediction file")
        preds = {str(p["id"]): p for p in preds_list}
        missing = [str(g["id"]) for g in golds if str(g["id"]) not in preds]
        if missing:
            warnings.append(f"{len(missing)} gold article(s) have no prediction and count as empty: "
                            + ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else ""))
        for g in golds:
            p = preds.get(str(g["id"]))
            if p and g.get("sha1") and p.get("sha1") and g["sha1"] != p["sha1"]:
                warnings.append(f"{g['id']}: sha1 differs between gold and prediction; they were made from "
                                "different texts")
    else:
        preds, text_by_id = predict(golds, texts)
        no_sha = [str(g["id"]) for g in golds if not g.get("sha1")]
        if no_sha:
            warnings.append(f"{len(no_sha)} gold article(s) have no sha1, so their text cannot be checked: "
                            + ", ".join(no_sha[:5]) + (" ..." if len(no_sha) > 5 else ""))
    warnings = check_gold(golds_raw, text_by_id) + warnings
    total = score_corpus(golds, preds)
    out: dict[str, Any] = {"gold": gold_path, "pred": pred_path, "texts": list(texts) or None}
    out.update(total.as_dict(errors=True))
    out["warnings"] = warnings + out["warnings"]
    langs = sorted({str(g.get("lang") or "?") for g in golds})
    if len(langs) > 1:
        out["by_lang"] = {lang: score_corpus([g for g in golds if str(g.get("lang") or "?") == lang], preds,
                                             collect_errors=False).as_dict()
                          for lang in langs}
        for v in out["by_lang"].values():
            v.pop("warnings", None)
    return out


def _row(name: str, c: dict[str, Any]) -> str:
    return (f"{name:<22}{c['tp']:>6}{c['fp']:>6}{c['fn']:>6}{c['precision']:>11.3f}{c['recall']:>9.3f}"
            f"{c['f1']:>8.3f}")


def _natural(s: str) -> list[Any]:
    """case21-9 before case21-10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", s)]


def format_table(res: dict[str, Any], errors: bool) -> str:
    source = f"--pred {res['pred']}" if res.get("pred") else "--texts " + " ".join(res.get("texts") or [])
    lines = [f"gold {res['gold']} ({res['articles']} articles) vs {source}", "",
             f"{'score':<22}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>9}{'f1':>8}"]
    for key, name in (("directed", "main directed"), ("undirected", "main undirected"),
                      ("optional_directed", "optional directed"), ("optional_undirected", "optional undirected"),
                      ("countries", "country mentions")):
        lines.append(_row(name, res[key]))
    for lang, sub in (res.get("by_lang") or {}).items():
        lines.append(_row(f"{lang} undirected", sub["undirected"]))
    if res["by_type"]:
        lines += ["", "by event type (main score, undirected; directed f1 last)",
                  f"{'event':<22}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>9}{'f1':>8}{'dir f1':>8}"]
        for ev, c in res["by_type"].items():
            lines.append(_row(ev, c["undirected"]) + f"{c['directed']['f1']:>8.3f}")
    mod = res["modality"]
    lines.append("")
    confusion = ", ".join(f"{k} {v}" for k, v in mod["confusion"].items() if k.split("->")[0] != k.split("->")[1])
    lines.append(f"modality accuracy {mod['accuracy']:.3f} over {mod['matched']} matched events"
                 + (f" (wrong: {confusion})" if confusion else ""))
    if res["unresolved_predictions"]:
        lines.append(f"predicted events with an unresolved side, left out: {res['unresolved_predictions']}")
    if errors:
        lines += ["", (f"errors ({len(res['errors'])}): FP false positive, MISS gold not found, "
                       "DIR right pair and type but wrong direction (DIR-MISS: the gold side of it)")]
        for e in sorted(res["errors"], key=lambda e: (_natural(e["id"]), e["score"], e["kind"])):
            arrow = "<->" if e["reciprocal"] else "->"
            kind = {"direction": "DIR", "direction-miss": "DIR-MISS"}.get(e["kind"], e["kind"].upper())
            head = (f"{kind:<9}{e['id']}  {e['actor']}{arrow}{e['recipient']} {e['event']} "
                    f"[{e['modality']}]" + (" (optional score)" if e["score"].startswith("optional") else ""))
            if e["kind"] in ("fp", "direction"):
                head += f"  rule={e.get('rule')}"
                if "confidence" in e:
                    head += f" conf={e['confidence']}"
                if e.get("gold"):
                    head += f"  gold: {', '.join(e['gold'])}"
            lines.append(head)
            lines.append(f"         « {e['evidence']} »")
    return "\n".join(lines)


@click.command(name="eval")
@click.argument("gold")
@click.option("--texts", "texts", multiple=True,
              help="Texts to extract from: JSON Lines ({id, text}), a plain-text article whose id is its file "
                   "name, a folder or a glob (repeatable). Only gold ids are extracted.")
@click.option("--pred", "pred", help="Score this output instead: records (sambandh extract --format jsonl) or "
                                     "another gold file (inter-annotator agreement).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="table or json.")
@click.option("--errors", "show_errors", is_flag=True,
              help="List every false positive and miss with its article id and evidence.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
@click.option("--min-f1", type=float, help="Exit 1 when the main undirected F1 is below this.")
@click.option("--min-precision", type=float, help="Exit 1 when the main undirected precision is below this.")
def evaluate(gold: str, texts: tuple[str, ...], pred: str | None, fmt: str, show_errors: bool, output: str | None,
             min_f1: float | None, min_precision: float | None) -> None:
    """Score events against GOLD (JSON Lines, ../shared/ANNOTATION.md).

    Per article the sets of (actor, recipient, event) are compared, directed and undirected; hypothetical,
    negated and historical events are optional and scored on their own; P/R/F1 are micro-averaged.
    """
    res = run_eval(gold, texts, pred)
    for w in res["warnings"][:20]:
        click.echo(f"sambandh: warning: {w}", err=True)
    if len(res["warnings"]) > 20:
        click.echo(f"sambandh: warning: ... and {len(res['warnings']) - 20} more (see --format json)", err=True)
    if fmt == "json":
        if not show_errors:
            res = {k: v for k, v in res.items() if k != "errors"}
        text = json.dumps(res, ensure_ascii=False, indent=2)
    else:
        text = format_table(res, show_errors)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    failed = []
    und = res["undirected"]
    if min_f1 is not None and und["f1"] < min_f1:
        failed.append(f"undirected F1 {und['f1']:.3f} is below --min-f1 {min_f1}")
    if min_precision is not None and und["precision"] < min_precision:
        failed.append(f"undirected precision {und['precision']:.3f} is below --min-precision {min_precision}")
    if failed:
        click.echo("sambandh: eval: " + "; ".join(failed), err=True)
        sys.exit(1)
