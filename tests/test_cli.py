"""The command line end to end on the shipped report: contract JSON, exit statuses, one-line errors."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bitext.analysis import normalize

from conftest import REPORT_NAME, Built, Invoke, assert_one_line_error, one_document, paragraphs, write

HIT_KEYS = {
    "rank", "score", "id", "doc", "section", "zh", "en",
    "zh_excerpt", "en_excerpt", "zh_highlights", "en_highlights",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
QUOTE = "你们是用看的,我们是用听的"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def one_json(stdout: str) -> dict:
    objs = json_lines(stdout)
    assert len(objs) == 1, stdout
    return objs[0]


def check_spans(text: str, spans: list[list[int]]) -> list[str]:
    """Highlights are sorted, non-overlapping [start, end) offsets into `text`."""
    assert all(isinstance(s, list) and len(s) == 2 for s in spans)
    assert all(0 <= a < b <= len(text) for a, b in spans), (text, spans)
    assert all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1)), spans
    return [text[a:b] for a, b in spans]


# -- search -------------------------------------------------------------------


def test_search_json_contract(invoke: Invoke, report: Built) -> None:
    result = invoke("search", "老赖", "--json", *report.opts())
    assert result.exit_code == 0, result.stderr
    data = one_json(result.stdout)
    assert set(data) == {"query", "total", "took_ms", "hits"}
    assert data["query"] == "老赖"
    assert isinstance(data["took_ms"], (int, float)) and data["took_ms"] >= 0
    hits = data["hits"]
    assert 3 <= len(hits) <= 10 and data["total"] >= len(hits)
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    for h in hits:
        assert set(h) == HIT_KEYS
        assert h["doc"] == REPORT_NAME and h["id"].startswith(REPORT_NAME + "#")
        assert "老赖" in h["zh"], h["id"]
        assert squash(h["zh_excerpt"]) in squash(h["zh"])
        assert squash(h["en_excerpt"]) in squash(h["en"])
        marked = check_spans(h["zh_excerpt"], h["zh_highlights"])
        assert any("老赖" in m for m in marked), (h["id"], marked)
        check_spans(h["en_excerpt"], h["en_highlights"])
    assert sum(bool(h["en"]) for h in hits) >= len(hits) - 2
    assert any("dishonest" in h["en_excerpt"].lower() for h in hits)


def test_search_english_highlights_inflected_words(invoke: Invoke, report: Built) -> None:
    result = invoke("search", "loan", "--lang", "en", "--json", "--limit", "5", *report.opts())
    assert result.exit_code == 0
    hits = one_json(result.stdout)["hits"]
    assert len(hits) == 5
    for h in hits:
        marked = check_spans(h["en_excerpt"], h["en_highlights"])
        assert marked and all(m.lower().startswith("loan") for m in marked), marked
        check_spans(h["zh_excerpt"], h["zh_highlights"])


def test_search_quoted_chinese_phrase(invoke: Invoke, report: Built) -> None:
    result = invoke("search", '"芝麻信用分"', "--json", *report.opts())
    assert result.exit_code == 0
    hits = one_json(result.stdout)["hits"]
    assert hits
    for h in hits:
        assert "芝麻信用分" in h["zh"]
        assert "芝麻信用分" in check_spans(h["zh_excerpt"], h["zh_highlights"])


def test_search_human_output(invoke: Invoke, report: Built) -> None:
    result = invoke("search", "芦花鸡", *report.opts())
    assert result.exit_code == 0
    assert "芦花鸡" in result.stdout and REPORT_NAME + "#" in result.stdout


def test_search_nothing_found_exits_1(invoke: Invoke, report: Built) -> None:
    result = invoke("search", "zzqqxxnotaword", "--json", *report.opts())
    assert result.exit_code == 1
    data = one_json(result.stdout)
    assert data["total"] == 0 and data["hits"] == []
    result = invoke("search", "zzqqxxnotaword", *report.opts())
    assert result.exit_code == 1 and "Traceback" not in result.stdout


def test_search_lang_restricts_fields(invoke: Invoke, report: Built) -> None:
    assert invoke("search", "老赖", "--lang", "en", "--json", *report.opts()).exit_code == 1
    assert invoke("search", "老赖", "--lang", "zh", "--json", *report.opts()).exit_code == 0


def test_search_doc_filter(invoke: Invoke, report: Built) -> None:
    result = invoke("search", "老赖", "--doc", REPORT_NAME, "--json", *report.opts())
    assert result.exit_code == 0 and one_json(result.stdout)["hits"]


def test_search_unknown_doc_is_one_line_error(invoke: Invoke, report: Built) -> None:
    assert_one_line_error(invoke("search", "老赖", "--doc", "no-such-doc.txt", "--json", *report.opts()), "no-such-doc.txt")


def test_search_file_one_object_per_line_in_order(invoke: Invoke, report: Built, tmp_path: Path) -> None:
    queries = ["芝麻信用", "zzqqxxnotaword", "", "Zhima Credit", "老赖"]
    qfile = write(tmp_path / "queries.txt", "\n".join(queries) + "\n")
    result = invoke("search", "--file", str(qfile), "--json", "--limit", "2", *report.opts())
    assert result.exit_code == 0, result.stderr
    objs = json_lines(result.stdout)
    assert [o["query"] for o in objs] == ["芝麻信用", "zzqqxxnotaword", "Zhima Credit", "老赖"]
    assert [bool(o["hits"]) for o in objs] == [True, False, True, True]
    assert all(len(o["hits"]) <= 2 for o in objs)


def test_search_file_from_stdin(invoke: Invoke, report: Built) -> None:
    result = invoke("search", "--file", "-", "--json", *report.opts(), input="芦花鸡\nzzqqxxnotaword\n")
    assert result.exit_code == 0
    assert [o["total"] > 0 for o in json_lines(result.stdout)] == [True, False]


def test_search_file_with_nothing_found_exits_1(invoke: Invoke, report: Built, tmp_path: Path) -> None:
    qfile = write(tmp_path / "q.txt", "zzqqxxnotaword\nqqzzyynotaword\n")
    result = invoke("search", "--file", str(qfile), "--json", *report.opts())
    assert result.exit_code == 1 and len(json_lines(result.stdout)) == 2


def test_search_highlights_the_translation_on_the_other_side(invoke: Invoke, report: Built) -> None:
    hits = one_json(invoke("search", "老赖", "--json", *report.opts()).stdout)["hits"]
    marked = [m.lower() for h in hits for m in check_spans(h["en_excerpt"], h["en_highlights"])]
    assert "dishonest" in marked or "debtors" in marked, marked


# -- quote ----------------------------------------------------------------------


def test_quote_finds_passage_and_translation(invoke: Invoke, report: Built) -> None:
    result = invoke("quote", QUOTE, "--json", *report.opts())
    assert result.exit_code == 0, result.stderr
    data = one_json(result.stdout)
    assert data["query"] == QUOTE and data["total"] >= 1
    hit = data["hits"][0]
    assert set(hit) == HIT_KEYS
    marked = check_spans(hit["zh_excerpt"], hit["zh_highlights"])
    assert [squash(m) for m in marked] == ["你们是用看的，我们是用听的"]
    assert "through your eyes" in hit["en_excerpt"] and "through our ears" in hit["en_excerpt"]


def test_quote_in_english_with_straight_quotes(invoke: Invoke, report: Built) -> None:
    result = invoke("quote", '"our SMARTPHONES are different from yours', "--json", *report.opts())
    assert result.exit_code == 0
    hit = one_json(result.stdout)["hits"][0]
    assert "你们是用看的" in hit["zh_excerpt"]
    assert check_spans(hit["en_excerpt"], hit["en_highlights"]) == ["Our smartphones are different from yours"]


def test_quote_file_and_not_found(invoke: Invoke, report: Built, tmp_path: Path) -> None:
    qfile = write(tmp_path / "q.txt", f"{QUOTE}\n这句话不在报告里面出现过\n")
    result = invoke("quote", "--file", str(qfile), "--json", *report.opts())
    assert result.exit_code == 0
    assert [o["total"] > 0 for o in json_lines(result.stdout)] == [True, False]
    assert invoke("quote", "这句话不在报告里面出现过", "--json", *report.opts()).exit_code == 1


# -- show, export, stats ----------------------------------------------------------


def first_id(invoke: Invoke, report: Built, query: str) -> str:
    return one_json(invoke("search", query, "--json", *report.opts()).stdout)["hits"][0]["id"]


def test_show_json_with_context(invoke: Invoke, report: Built) -> None:
    pid = first_id(invoke, report, "芦花鸡")
    result = invoke("show", pid, "--json", "--index", str(report.index))
    assert result.exit_code == 0, result.stderr
    data = one_json(result.stdout)
    assert data["id"] == pid
    ids = [p["id"] for p in data["passages"]]
    n = int(pid.rsplit("#", 1)[1])
    assert ids == [f"{REPORT_NAME}#{k:04d}" for k in (n - 1, n, n + 1)]
    assert all(set(p) == {"id", "doc", "section", "zh", "en", "confidence"} for p in data["passages"])
    assert "芦花鸡" in data["passages"][1]["zh"]
    result = invoke("show", pid, "--json", "--context", "0", "--index", str(report.index))
    assert [p["id"] for p in one_json(result.stdout)["passages"]] == [pid]


def test_show_first_passage_has_no_left_neighbour(invoke: Invoke, report: Built) -> None:
    pid = f"{REPORT_NAME}#0000"
    result = invoke("show", pid, "--json", "-C", "2", "--index", str(report.index))
    assert [p["id"] for p in one_json(result.stdout)["passages"]] == [f"{REPORT_NAME}#{k:04d}" for k in range(3)]


def test_show_human_output(invoke: Invoke, report: Built) -> None:
    pid = first_id(invoke, report, "芦花鸡")
    result = invoke("show", pid, "--index", str(report.index))
    assert result.exit_code == 0 and pid in result.stdout


def test_show_unknown_id(invoke: Invoke, report: Built) -> None:
    assert_one_line_error(invoke("show", "nope.txt#0001", "--index", str(report.index)), "nope.txt#0001")


def test_export_jsonl_tsv_tmx_agree_with_stats(invoke: Invoke, report: Built) -> None:
    stats = invoke("stats", "--json", "--index", str(report.index))
    assert stats.exit_code == 0
    counts = one_json(stats.stdout)
    jsonl = invoke("export", "--index", str(report.index))
    assert jsonl.exit_code == 0
    rows = json_lines(jsonl.stdout)
    assert len(rows) == counts["passages"]
    assert all(set(r) == {"id", "doc", "section", "zh", "en", "confidence"} for r in rows)
    assert [r["id"] for r in rows] == [f"{REPORT_NAME}#{k:04d}" for k in range(len(rows))]
    assert sum(bool(r["zh"] and r["en"]) for r in rows) == counts["two_sided"]
    assert any(r["zh"] == "" for r in rows) or any(r["en"] == "" for r in rows)

    tsv = invoke("export", "--format", "tsv", "--index", str(report.index))
    assert tsv.exit_code == 0
    lines = tsv.stdout.splitlines()
    assert lines[0] == "id\tdoc\tsection\tzh\ten\tconfidence"
    assert len(lines) == counts["passages"] + 1
    assert all(line.count("\t") == 5 for line in lines)

    tmx = invoke("export", "--format", "tmx", "--index", str(report.index))
    assert tmx.exit_code == 0
    root = ET.fromstring(tmx.stdout.encode("utf-8"))
    assert root.find("header").get("srclang") == "zh-CN"  # type: ignore[union-attr]
    tus = root.findall("body/tu")
    assert len(tus) == counts["two_sided"]
    assert all([t.get(XML_LANG) for t in tu.findall("tuv")] == ["zh-CN", "en"] for tu in tus)
    by_id = {r["id"]: r for r in rows}
    for tu in tus[:50]:
        segs = [s.text for s in tu.iter("seg")]
        row = by_id[tu.get("tuid")]
        assert segs == [row["zh"], row["en"]]


def test_export_to_file(invoke: Invoke, report: Built, tmp_path: Path) -> None:
    out = tmp_path / "report.tmx"
    result = invoke("export", "--format", "tmx", "--output", str(out), "--index", str(report.index))
    assert result.exit_code == 0 and result.stdout == ""
    assert "wrote" in result.stderr and str(out) in result.stderr
    assert ET.parse(out).getroot().tag == "tmx"


def test_export_unknown_format(invoke: Invoke, report: Built) -> None:
    assert_one_line_error(invoke("export", "--format", "xml", "--index", str(report.index)), "xml")


def test_stats_json(invoke: Invoke, report: Built) -> None:
    result = invoke("stats", "--json", "--index", str(report.index))
    assert result.exit_code == 0
    data = one_json(result.stdout)
    assert data["documents"] == 1 and data["passages"] > 300
    assert data["passages"] == data["two_sided"] + data["unpaired"]
    assert data["per_document"][REPORT_NAME]["passages"] == data["passages"]
    assert data["debris"] > 0
    weakest = data["weakest"]
    assert 0 < len(weakest) <= 10
    assert [w["confidence"] for w in weakest] == sorted(w["confidence"] for w in weakest)


def test_stats_human_output(invoke: Invoke, report: Built) -> None:
    result = invoke("stats", "--index", str(report.index))
    assert result.exit_code == 0 and "passages" in result.stdout and "weakest" in result.stdout


@pytest.mark.parametrize("command", [["stats"], ["export"], ["show", f"{REPORT_NAME}#0001"]])
def test_every_command_takes_corpus_and_index(invoke: Invoke, report: Built, command: list[str]) -> None:
    result = invoke(*command, *report.opts())
    assert result.exit_code == 0, result.stderr


# -- bad usage and damaged indexes --------------------------------------------------


def test_unknown_lang_is_one_line_error(invoke: Invoke, report: Built) -> None:
    assert_one_line_error(invoke("search", "老赖", "--lang", "xx", *report.opts()), "--lang", "xx")


def test_missing_query_is_one_line_error(invoke: Invoke, report: Built) -> None:
    assert_one_line_error(invoke("search", *report.opts()), "query")
    assert_one_line_error(invoke("quote", "  ", *report.opts()))


def test_missing_query_file_is_one_line_error(invoke: Invoke, report: Built, tmp_path: Path) -> None:
    assert_one_line_error(invoke("search", "--file", str(tmp_path / "none.txt"), *report.opts()), "none.txt")


def test_quote_without_letters_is_one_line_error(invoke: Invoke, report: Built) -> None:
    assert_one_line_error(invoke("quote", "，。！", *report.opts()))


@pytest.mark.parametrize("args", [["--limit", "0"], ["--no-such-option"]])
def test_click_usage_errors_are_one_line(invoke: Invoke, report: Built, args: list[str]) -> None:
    assert_one_line_error(invoke("search", "老赖", *args, *report.opts()))


def test_error_message_with_brackets_is_printed_verbatim(invoke: Invoke, report: Built) -> None:
    assert_one_line_error(invoke("show", "notes[/x]#0001", "--index", str(report.index)), "notes[/x]#0001")


def damage_manifest(index: Path) -> None:
    (index / "manifest.json").write_text("{this is not json", encoding="utf-8")


def damage_manifest_shape(index: Path) -> None:
    (index / "manifest.json").write_text("[1, 2, 3]", encoding="utf-8")


def damage_toc(index: Path) -> None:
    for toc in glob.glob(str(index / "whoosh" / "*.toc")):
        Path(toc).write_bytes(b"\x00garbage")


def damage_segment(index: Path) -> None:
    for seg in glob.glob(str(index / "whoosh" / "*.seg")):
        Path(seg).write_bytes(b"garbage" * 100)


def truncate_segment(index: Path) -> None:
    for seg in glob.glob(str(index / "whoosh" / "*.seg")):
        data = Path(seg).read_bytes()
        Path(seg).write_bytes(data[: len(data) // 2])


def remove_segment(index: Path) -> None:
    for seg in glob.glob(str(index / "whoosh" / "*.seg")):
        os.remove(seg)


def damage_keys(index: Path) -> None:
    for key in (index / "keys").glob("*.jsonl"):
        key.write_text("garbage\n", encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [damage_manifest, damage_manifest_shape, damage_toc, damage_segment, truncate_segment, remove_segment],
)
@pytest.mark.parametrize("command", ["search", "quote"])
def test_damaged_index_is_one_line_error_naming_the_fix(
    invoke: Invoke, report_copy: Built, damage, command: str  # noqa: ANN001 - a damage function
) -> None:
    damage(report_copy.index)
    result = invoke(command, "老赖", "--json", *report_copy.opts())
    assert_one_line_error(result, "bitext build --full")
    assert result.stdout == ""


def test_damaged_quote_keys_are_one_line_error(invoke: Invoke, report_copy: Built) -> None:
    damage_keys(report_copy.index)
    assert_one_line_error(invoke("quote", QUOTE, "--json", *report_copy.opts()), "bitext build --full")


@pytest.mark.parametrize("command", [["stats"], ["export"], ["show", f"{REPORT_NAME}#0001"]])
def test_damaged_index_for_other_commands(invoke: Invoke, report_copy: Built, command: list[str]) -> None:
    damage_segment(report_copy.index)
    assert_one_line_error(invoke(*command, "--index", str(report_copy.index)), "bitext build --full")


def test_missing_corpus_on_build_is_one_line_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("build", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "index"))
    assert_one_line_error(result, "corpus folder not found")


def test_search_with_missing_corpus_names_the_corpus(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("search", "老赖", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "index"))
    assert_one_line_error(result, "corpus")
    assert "damaged" not in result.stderr


# -- small corpora: building on first use, environment, JSON fidelity -----------------


SMALL = paragraphs(
    "一个公司老板因为被列入法院“老赖”黑名单，买不了返程机票。",
    "A company boss could not buy a return ticket because he was on the court's blacklist of dishonest debtors.",
)


def test_search_builds_missing_index_then_reuses_it(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write(corpus / "s.txt", SMALL)
    first = invoke("search", "老赖", "--corpus", str(corpus), "--index", str(index))
    assert first.exit_code == 0, first.stderr
    assert "index updated" in first.stderr and (index / "manifest.json").exists()
    again = invoke("search", "老赖", "--corpus", str(corpus), "--index", str(index))
    assert again.exit_code == 0 and "index updated" not in again.stderr
    write(corpus / "t.md", paragraphs("芦花鸡每天产蛋。", "Luhua chickens lay eggs every day."))
    third = invoke("search", "芦花鸡", "--json", "--corpus", str(corpus), "--index", str(index))
    assert third.exit_code == 0 and one_json(third.stdout)["hits"][0]["doc"] == "t.md"


def test_build_command(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write(corpus / "s.txt", SMALL)
    (corpus / "scan.pdf").write_bytes(b"%PDF")
    result = invoke("build", "--json", "--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 0
    summary = one_json(result.stdout)
    assert (summary["documents"], summary["rebuilt"], summary["passages"]) == (1, 1, 1)
    assert "scan.pdf" in result.stderr
    result = invoke("build", "--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 0 and "0 rebuilt" in result.stdout
    result = invoke("build", "--full", "--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 0 and "1 rebuilt" in result.stdout


def test_environment_variables_locate_corpus_and_index(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write(corpus / "s.txt", SMALL)
    env = {"BITEXT_CORPUS": str(corpus), "BITEXT_INDEX": str(index)}
    result = invoke("search", "dishonest", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    assert one_json(result.stdout)["hits"][0]["doc"] == "s.txt"
    assert invoke("stats", "--json", env=env).exit_code == 0


EMOJI_ZH = "用户满意度评分为:100:分，大家都很喜欢。"
EMOJI_EN = "User satisfaction scored :100: points, and everyone liked it."


@pytest.fixture
def emoji_corpus(tmp_path: Path) -> Built:
    """A document holding ':100:', which rich would print as an emoji."""
    return one_document(tmp_path, "e.txt", EMOJI_ZH, EMOJI_EN)


def test_search_json_keeps_document_text_verbatim(invoke: Invoke, emoji_corpus: Built) -> None:
    result = invoke("search", "满意度", "--json", *emoji_corpus.opts())
    assert result.exit_code == 0
    hit = one_json(result.stdout)["hits"][0]
    assert (hit["zh"], hit["en"]) == (EMOJI_ZH, EMOJI_EN)
    assert check_spans(hit["zh_excerpt"], hit["zh_highlights"])[0] == "满意度"


@pytest.mark.parametrize("command", ["show", "stats"])
def test_show_and_stats_json_keep_document_text_verbatim(invoke: Invoke, emoji_corpus: Built, command: str) -> None:
    assert invoke("build", *emoji_corpus.opts()).exit_code == 0
    args = ["show", "e.txt#0000"] if command == "show" else ["stats"]
    result = invoke(*args, "--json", "--index", str(emoji_corpus.index))
    assert result.exit_code == 0
    assert EMOJI_ZH in json.dumps(one_json(result.stdout), ensure_ascii=False)


def test_build_warning_names_file_with_brackets(invoke: Invoke, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "s.txt", SMALL)
    (corpus / "notes [draft].pdf").write_bytes(b"%PDF")
    result = invoke("build", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code == 0
    assert "notes [draft].pdf" in result.stderr


# -- the installed console script -------------------------------------------------------


def test_console_script(report: Built) -> None:
    exe = shutil.which("bitext")
    if exe is None:
        pytest.skip("bitext console script not on PATH")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    found = subprocess.run(
        [exe, "search", "老赖", "--json", "--limit", "3", *report.opts()],
        capture_output=True, text=True, encoding="utf-8", timeout=60, env=env,
    )
    assert found.returncode == 0, found.stderr
    data = one_json(found.stdout)
    assert data["query"] == "老赖" and len(data["hits"]) == 3
    assert all(normalize(h["zh_excerpt"][a:b]) == "老赖" for h in data["hits"] for a, b in h["zh_highlights"])
    missing = subprocess.run(
        [exe, "search", "zzqqxxnotaword", *report.opts()], capture_output=True, text=True, timeout=60, env=env
    )
    assert missing.returncode == 1
    bad = subprocess.run(
        [exe, "search", "x", "--lang", "xx", *report.opts()], capture_output=True, text=True, timeout=60, env=env
    )
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
