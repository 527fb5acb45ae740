"""Exporting: JSON lines, TSV and TMX 1.4b, with the document's text unchanged and unpaired sides empty."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from bitext.api import Bitext
from bitext.errors import InputError
from bitext.exporting import export
from bitext.models import Passage

from conftest import paragraphs, write

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PAIRED = paragraphs(
    "2015年，我们在云南的35个县开通了服务，惠及当地1200户农民家庭。",
    "In 2015, we launched services in 35 counties of Yunnan, benefiting 1,200 farming families.",
    "项目\t贷款笔数 & <金额>",
    "Item\tLoans & <amount>",
)
ZH_ONLY = "这一段只有中文，没有任何英文翻译，用来检查导出时空的一侧。\n"
EN_ONLY = "Only English here, with no Chinese counterpart at all.\n"


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Passage]]:
    base = tmp_path_factory.mktemp("export")
    corpus = base / "corpus"
    write(corpus / "a-paired.txt", PAIRED)
    write(corpus / "b-zh-only.txt", ZH_ONLY)
    write(corpus / "c-en-only.md", EN_ONLY)
    with Bitext(corpus, base / "index") as bt:
        bt.build()
        yield list(bt.passages())


def run(passages: list[Passage], fmt: str) -> tuple[int, str]:
    buf = io.StringIO()
    n = export(passages, fmt, buf)
    return n, buf.getvalue()


def test_passages_fixture_shape(passages: list[Passage]) -> None:
    assert [p.id for p in passages] == ["a-paired.txt#0000", "a-paired.txt#0001", "b-zh-only.txt#0000", "c-en-only.md#0000"]
    assert [p.two_sided for p in passages] == [True, True, False, False]


def test_jsonl_one_object_per_passage_in_document_order(passages: list[Passage]) -> None:
    n, text = run(passages, "jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert n == len(rows) == 4
    assert all(set(r) == {"id", "doc", "section", "zh", "en", "confidence"} for r in rows)
    assert [r["id"] for r in rows] == [p.id for p in passages]
    assert rows[0]["zh"] == "2015年，我们在云南的35个县开通了服务，惠及当地1200户农民家庭。"
    assert rows[0]["en"].startswith("In 2015, we launched services")
    assert rows[0]["doc"] == "a-paired.txt"
    assert isinstance(rows[0]["confidence"], float) and 0 < rows[0]["confidence"] <= 1


def test_jsonl_keeps_text_unchanged_and_missing_side_empty(passages: list[Passage]) -> None:
    rows = [json.loads(line) for line in run(passages, "jsonl")[1].splitlines()]
    assert rows[1]["zh"] == "项目\t贷款笔数 & <金额>" and rows[1]["en"] == "Item\tLoans & <amount>"
    assert (rows[2]["zh"], rows[2]["en"]) == (ZH_ONLY.strip(), "")
    assert (rows[3]["zh"], rows[3]["en"]) == ("", EN_ONLY.strip())
    assert "\\u" not in run(passages, "jsonl")[1]


def test_tsv_header_and_rows(passages: list[Passage]) -> None:
    n, text = run(passages, "tsv")
    lines = text.splitlines()
    assert n == 4 and len(lines) == 5
    assert lines[0].split("\t") == ["id", "doc", "section", "zh", "en", "confidence"]
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(r) == 6 for r in rows)
    assert rows[2][3:5] == ["项目 贷款笔数 & <金额>", "Item Loans & <amount>"]
    assert rows[3][3:5] == [ZH_ONLY.strip(), ""]
    assert float(rows[1][5]) > 0


def test_tmx_is_valid_and_has_one_tu_per_two_sided_passage(passages: list[Passage]) -> None:
    n, text = run(passages, "tmx")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None and header.get("srclang") == "zh-CN"
    tus = root.findall("body/tu")
    two_sided = [p for p in passages if p.two_sided]
    assert n == len(tus) == len(two_sided) == 2
    for tu, p in zip(tus, two_sided):
        assert tu.get("tuid") == p.id
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["zh-CN", "en"]
        assert [t.findtext("seg") for t in tuvs] == [p.zh, p.en]


def test_tmx_escapes_markup_characters(passages: list[Passage]) -> None:
    text = run(passages, "tmx")[1]
    assert "&amp; &lt;金额&gt;" in text
    segs = [s.text for s in ET.fromstring(text).iter("seg")]
    assert "Item\tLoans & <amount>" in segs


def test_unknown_format_is_input_error(passages: list[Passage]) -> None:
    with pytest.raises(InputError, match="xml"):
        run(passages, "xml")


def test_export_file_round_trip(passages: list[Passage], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        export(passages, "jsonl", fh)
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == [p.id for p in passages]
