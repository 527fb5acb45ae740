"""Segmenting: lines classified zh/en/pair/debris, wrapped lines joined, debris counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.models import Document
from bitext.reading import CorpusFile, read_document
from bitext.segmenting import classify_line, segment, split_languages

from conftest import write


def seg_text(tmp_path: Path, text: str, name: str = "doc.txt"):  # noqa: ANN201 - Segmented
    path = write(tmp_path / name, text)
    return segment(read_document(CorpusFile(name, path)))


def test_bilingual_heading_splits_into_chinese_and_english() -> None:
    assert split_languages("5.7 员工声音 Employees' Voices") == ("5.7 员工声音", "Employees' Voices")
    assert classify_line("5.7 员工声音 Employees' Voices") == ("pair", "5.7 员工声音", "Employees' Voices")


def test_chapter_heading_pair() -> None:
    kind, zh, en = classify_line("第一章 / 信用是“好社会”的“通行证” Chapter One / Creditworthiness is the Passport")
    assert kind == "pair"
    assert zh == "第一章 / 信用是“好社会”的“通行证”"
    assert en == "Chapter One / Creditworthiness is the Passport"


@pytest.mark.parametrize(
    "line",
    [
        "2015年9月，阿里和蚂蚁金服宣布战略投资印最大支付平台PAYTM。当时PAYTM的用户数不足3000万。",
        "我还要说，欢迎加入蚂蚁，一起 MAKE A DIFFERENCE!",
        "全球报告倡议组织 (GRI 标准) 指引",
    ],
)
def test_latin_names_and_codes_inside_chinese_stay_chinese(line: str) -> None:
    assert classify_line(line) == ("zh", line, "")


def test_chinese_name_inside_english_stays_english() -> None:
    line = "Zhima Credit (芝麻信用) is a credit scoring service of Ant Financial."
    assert classify_line(line) == ("en", "", line)


@pytest.mark.parametrize("line", ["42", "- 17 -", "————", "2016", "012 / 013", "* * *"])
def test_lines_without_letters_are_debris(line: str) -> None:
    assert classify_line(line)[0] == "debris"


def test_table_row_cells_split_by_language() -> None:
    kind, zh, en = classify_line("小微经营者\tsmall and micro enterprises")
    assert (kind, zh, en) == ("pair", "小微经营者", "small and micro enterprises")


def test_hard_wrapped_english_lines_rejoined(tmp_path: Path) -> None:
    seg = seg_text(
        tmp_path,
        "The report describes how technology\nbrings inclusive financial services\nto small businesses.\n",
    )
    assert [(p.lang, p.text) for p in seg.paragraphs] == [
        ("en", "The report describes how technology brings inclusive financial services to small businesses.")
    ]


def test_hard_wrapped_chinese_lines_rejoined_without_space(tmp_path: Path) -> None:
    seg = seg_text(tmp_path, "蚂蚁金服一直致力于为小微企业和普通消费者\n提供普惠金融服务。\n")
    assert [(p.lang, p.text) for p in seg.paragraphs] == [("zh", "蚂蚁金服一直致力于为小微企业和普通消费者提供普惠金融服务。")]


def test_english_continuing_after_blank_line_and_page_number_is_joined(tmp_path: Path) -> None:
    text = (
        "Over the past five years the online bank has granted loans to millions of\n"
        "\n"
        "17\n"
        "\n"
        "small businesses that banks never served before.\n"
    )
    seg = seg_text(tmp_path, text)
    assert [p.text for p in seg.paragraphs] == [
        "Over the past five years the online bank has granted loans to millions of "
        "small businesses that banks never served before."
    ]
    assert seg.debris == ["17"]


def test_finished_english_sentence_is_not_joined_with_next_block(tmp_path: Path) -> None:
    seg = seg_text(tmp_path, "This sentence ends here.\n\nanother paragraph starts in lower case.\n")
    assert [p.text for p in seg.paragraphs] == [
        "This sentence ends here.",
        "another paragraph starts in lower case.",
    ]


def test_capitalised_block_after_open_sentence_is_not_joined(tmp_path: Path) -> None:
    seg = seg_text(tmp_path, "Contents\n\nMessage from CEO\n")
    assert [p.text for p in seg.paragraphs] == ["Contents", "Message from CEO"]


def test_page_numbers_become_debris_and_are_counted(tmp_path: Path) -> None:
    text = "第一段中文内容。\n\n012\n\nThe first English paragraph.\n\n- 13 -\n\n——\n"
    seg = seg_text(tmp_path, text)
    assert seg.debris == ["012", "- 13 -", "——"]
    assert [(p.lang, p.text) for p in seg.paragraphs] == [
        ("zh", "第一段中文内容。"),
        ("en", "The first English paragraph."),
    ]
    assert all(ch not in p.text for p in seg.paragraphs for ch in "0123")


def test_order_interleaves_paragraphs_and_line_pairs() -> None:
    doc = Document(
        "d.txt",
        ["5.7 员工声音 Employees' Voices", "赵星是一位资深数据挖掘专家。", "Zhao Xing is a senior data mining expert."],
        "x",
    )
    seg = segment(doc)
    assert [(lp.order, lp.zh, lp.en) for lp in seg.line_pairs] == [(0, "5.7 员工声音", "Employees' Voices")]
    assert [(p.order, p.lang) for p in seg.paragraphs] == [(1, "zh"), (2, "en")]


def test_mixed_block_separates_languages_line_by_line() -> None:
    doc = Document("d.txt", ["中文的一行内容。\nAn English line follows.\n又是中文。"], "x")
    seg = segment(doc)
    assert [(p.lang, p.text) for p in seg.paragraphs] == [
        ("zh", "中文的一行内容。"),
        ("en", "An English line follows."),
        ("zh", "又是中文。"),
    ]


def test_name_signing_a_long_chinese_sentence_stays_chinese() -> None:
    line = "今天这个现象已经改变了，我告诉大家一个事实是，硅谷已经在向中国学习先进的移动互联网技术 -Paytm 创始人 Vijay"
    assert classify_line(line) == ("zh", line, "")
    assert classify_line("研究员 Aditya Phatak")[0] == "pair"


def test_bracketed_english_gloss_in_a_long_chinese_sentence_stays_chinese() -> None:
    line = "该服务的核心是一套针对手机号、支付宝账号等主体进行风险预测的评分体系(RAIN, Risk of Activity, Identity and Network)"
    assert classify_line(line) == ("zh", line, "")
