"""Translator's toolkit on the shipped report: TMX, equivalents, glossary, any-form queries, pinyin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bitext.analysis import en_stem
from bitext.api import Bitext
from bitext.cli import app
from bitext.exporting import export

from conftest import REPORT, Built


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(text[a:b] for a, b in spans).lower()


def test_tmx_loads_in_translate_toolkit_with_document_text(report_bt: Bitext, tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    out = tmp_path / "report.tmx"
    passages = list(report_bt.passages())
    with out.open("w", encoding="utf-8") as fh:
        written = export(passages, "tmx", fh)
    store = tmx.tmxfile.parsefile(str(out))
    units = [u for u in store.units if u.source]
    two_sided = [p for p in passages if p.two_sided]
    assert written == len(two_sided) == len(units)
    first = two_sided[0]
    assert units[0].source == first.zh and units[0].target == first.en
    pair = next(p for p in two_sided if "老赖" in p.zh)
    assert any(u.source == pair.zh and u.target == pair.en for u in units)


def test_tsv_has_one_row_per_passage(report: Built, runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "--format", "tsv", "--index", str(report.index)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "doc", "section", "zh", "en", "confidence"]
    assert all(len(line.split("\t")) == 6 for line in lines[1:])


@pytest.mark.parametrize(
    ("query", "side", "needle"),
    [("互联网", "en", "internet"), ("employee", "zh", "员工"), ("培训", "en", "training")],
)
def test_translation_of_the_query_is_highlighted(report_bt: Bitext, query: str, side: str, needle: str) -> None:
    hit = report_bt.search(query, limit=1).hits[0]
    text, spans = (hit.en_excerpt, hit.en_highlights) if side == "en" else (hit.zh_excerpt, hit.zh_highlights)
    assert needle in _marked(text, spans)


def test_equivalents_are_stored_with_the_index(report: Built) -> None:
    table = json.loads((report.index / "equivalents.json").read_text(encoding="utf-8"))
    stem = en_stem("employees")
    assert table["zh"]["员工"][0][0] == stem
    assert any(row[0] == "员工" for row in table["en"][stem])


def test_terms_lists_translations_with_counts_and_an_example(report: Built, runner: CliRunner) -> None:
    result = runner.invoke(app, ["terms", "贷款", "--json", *report.opts()])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    first = data["translations"][0]
    assert first["translation"].lower().startswith("loan") and first["count"] >= 2
    assert "贷款" in first["example"]["zh"] and "loan" in first["example"]["en"].lower()


def test_terms_of_an_unknown_word_exits_1(report: Built, runner: CliRunner) -> None:
    assert runner.invoke(app, ["terms", "zzzqqq", *report.opts()]).exit_code == 1


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("蘆花雞", "芦花鸡"),          # traditional characters
        ("ＰＡＹＴＭ", "PAYTM"),        # full-width letters
        ("１７７７天", "1777天"),       # full-width digits
    ],
)
def test_queries_written_any_way(report_bt: Bitext, query: str, expect: str) -> None:
    hits = report_bt.search(query, limit=5).hits
    assert any(expect in h.passage.zh for h in hits)


def test_inflections_and_case_match(report_bt: Bitext) -> None:
    one = {h.passage.id for h in report_bt.search("DEBTOR", limit=20).hits}
    many = {h.passage.id for h in report_bt.search("debtors", limit=20).hits}
    assert one and one == many


def test_curly_and_straight_quotes_are_the_same_in_quote_lookup(report_bt: Bitext) -> None:
    curly = report_bt.quote("called “Firefly”, to provide volunteer services").hits
    straight = report_bt.quote('called "Firefly", to provide volunteer services').hits
    assert curly and [h.passage.id for h in curly] == [h.passage.id for h in straight]
    assert "萤火虫小分队" in curly[0].passage.zh


def test_stored_text_is_never_normalised(report_bt: Bitext) -> None:
    hit = report_bt.search("蘆花雞", limit=1).hits[0]
    assert "芦花鸡" in hit.zh_excerpt and "蘆" not in hit.passage.zh


@pytest.mark.parametrize("query", ["zhima xinyong", "zhimaxinyong", "ZhiMa XinYong"])
def test_pinyin_finds_chinese_words(report: Built, runner: CliRunner, query: str) -> None:
    result = runner.invoke(app, ["search", "--pinyin", query, "--json", "--limit", "3", *report.opts()])
    assert result.exit_code == 0
    hits = json.loads(result.stdout)["hits"]
    assert hits and all("芝麻" in h["zh"] for h in hits)
    first = hits[0]
    assert "芝麻" in _marked(first["zh_excerpt"], first["zh_highlights"])


def test_pinyin_that_reads_as_nothing_is_a_clear_error(report: Built, runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "--pinyin", "qqqxxx", *report.opts()])
    assert result.exit_code == 2
    assert "no indexed Chinese word" in result.stderr


def test_equivalents_follow_incremental_builds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT, corpus / "a.txt")
    shutil.copy(REPORT, corpus / "b.txt")
    with Bitext(corpus, tmp_path / "index") as bt:
        bt.build()
        both = json.loads((tmp_path / "index" / "equivalents.json").read_text(encoding="utf-8"))
        (corpus / "b.txt").unlink()
        bt.build()
        one = json.loads((tmp_path / "index" / "equivalents.json").read_text(encoding="utf-8"))
    count = {row[0]: row[2] for row in both["zh"]["员工"]}
    assert {row[0]: row[2] for row in one["zh"]["员工"]}[en_stem("employees")] * 2 == count[en_stem("employees")]
