"""Aligning: paragraphs paired across languages, splits, unpaired paragraphs, number anchors, sections."""

from __future__ import annotations

from pathlib import Path


from bitext.aligning import LengthModel, Scorer, en_side, zh_side
from bitext.anchors import en_anchors, zh_anchors
from bitext.models import Passage

from conftest import align_text, paragraphs

ZH1 = "蚂蚁金服一直致力于为小微企业和普通消费者提供普惠金融服务，帮助他们获得平等的发展机会。"
EN1 = (
    "Ant Financial has always been committed to providing inclusive financial services to small businesses "
    "and ordinary consumers, helping them gain equal opportunities for development."
)
ZH2 = "我们相信，科技的力量可以让金融服务变得更加简单、安全和高效。"
EN2 = "We believe that the power of technology can make financial services simpler, safer and more efficient."
ZH3 = "这一年里，志愿者们一共组织了45场公益活动，参与人数超过8000人。"
EN3 = "Over the year, volunteers organised 45 charity events, with more than 8,000 participants."
ZH_SPLIT = "截至2016年底，支付宝实名用户已经超过4.5亿。与此同时，我们还在海外市场服务了超过200万商户。"
EN_SPLIT_A = "By the end of 2016, Alipay had more than 450 million real-name users."
EN_SPLIT_B = "Meanwhile, we also served more than 2 million merchants in overseas markets."
ZH_ALONE = "这是一段没有英文翻译的中文段落，只在中文版本中出现，内容是关于公司文化的一些思考。"
YUNNAN = "2015年，我们在云南的35个县开通了服务，惠及当地1200户农民家庭。"
SICHUAN = "2016年，我们在四川的78个县开通了服务，惠及当地4500户农民家庭。"
YUNNAN_EN = "In 2015, we launched services in 35 counties of Yunnan, benefiting 1,200 farming families."
SICHUAN_EN = "In 2016, we launched services in 78 counties of Sichuan, benefiting 4,500 farming families."


def pairs(passages: list[Passage]) -> list[tuple[str, str]]:
    return [(p.zh, p.en) for p in passages]


def test_chinese_then_english_paragraphs_pair_up(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(ZH1, EN1, ZH2, EN2, ZH3, EN3))
    assert pairs(ps) == [(ZH1, EN1), (ZH2, EN2), (ZH3, EN3)]
    assert [p.id for p in ps] == ["doc.txt#0000", "doc.txt#0001", "doc.txt#0002"]
    assert all(p.doc == "doc.txt" and p.two_sided and 0.5 < p.confidence <= 1 for p in ps)


def test_english_first_paragraphs_pair_up(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(EN1, ZH1, EN2, ZH2, EN3, ZH3))
    assert pairs(ps) == [(ZH1, EN1), (ZH2, EN2), (ZH3, EN3)]


def test_chinese_block_then_english_block(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(ZH1, ZH2, ZH3, EN1, EN2, EN3))
    assert pairs(ps) == [(ZH1, EN1), (ZH2, EN2), (ZH3, EN3)]


def test_english_block_then_chinese_block(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(EN1, EN2, EN3, ZH1, ZH2, ZH3))
    assert pairs(ps) == [(ZH1, EN1), (ZH2, EN2), (ZH3, EN3)]
    assert [p.order for p in ps] == [0, 1, 2]


def test_one_chinese_paragraph_translated_as_two(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(ZH1, EN1, ZH_SPLIT, EN_SPLIT_A, EN_SPLIT_B, ZH3, EN3))
    assert len(ps) == 3
    middle = ps[1]
    assert middle.zh == ZH_SPLIT
    assert middle.en == EN_SPLIT_A + "\n" + EN_SPLIT_B
    assert pairs([ps[0], ps[2]]) == [(ZH1, EN1), (ZH3, EN3)]


def test_untranslated_paragraph_stays_unpaired(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(YUNNAN, YUNNAN_EN, ZH_ALONE, SICHUAN, SICHUAN_EN, ZH3, EN3))
    assert pairs(ps) == [(YUNNAN, YUNNAN_EN), (ZH_ALONE, ""), (SICHUAN, SICHUAN_EN), (ZH3, EN3)]
    alone = ps[1]
    assert not alone.two_sided
    assert alone.confidence == 0.5
    assert [(s.zh, s.en) for s in alone.sentences] == [(ZH_ALONE, "")]


def test_untranslated_paragraph_in_plain_prose_stays_unpaired(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(ZH2, EN2, ZH_ALONE, ZH3, EN3))
    assert pairs(ps) == [(ZH2, EN2), (ZH_ALONE, ""), (ZH3, EN3)]


def test_numbers_decide_which_paragraph_is_translated(tmp_path: Path) -> None:
    context = (ZH1, EN1, ZH2, EN2)
    ps = align_text(tmp_path, paragraphs(*context, YUNNAN, SICHUAN, SICHUAN_EN), name="a.txt")
    assert pairs(ps)[2:] == [(YUNNAN, ""), (SICHUAN, SICHUAN_EN)]
    ps = align_text(tmp_path, paragraphs(*context, YUNNAN, SICHUAN, YUNNAN_EN), name="b.txt")
    assert pairs(ps)[2:] == [(YUNNAN, YUNNAN_EN), (SICHUAN, "")]


def test_anchor_keys_agree_across_scripts_and_formats() -> None:
    zh = zh_anchors("贷了3794笔款，最大56000元，服务3000万家企业，用户4.5亿，7月，增长12%，三套房产")
    en = en_anchors("3,794 loans, up to 56,000 yuan, 30 million firms, 450 million users, in July, up 12 percent, three houses")
    for key in ("n:3794", "n:56000", "n:30000000", "n:450000000", "m:7", "p:12", "n:3"):
        assert zh[key] >= 1 and en[key] >= 1, key
    assert "w:paytm" in zh_anchors("印度支付平台PAYTM")


def test_matching_numbers_lower_the_bead_cost() -> None:
    scorer = Scorer(LengthModel(ratio=2.5, variance=5.0))
    same = scorer.cost([zh_side(SICHUAN)], [en_side(SICHUAN_EN)])
    other = scorer.cost([zh_side(YUNNAN)], [en_side(SICHUAN_EN)])
    assert same < other
    assert scorer.anchor_cost([zh_side(SICHUAN)], [en_side(SICHUAN_EN)]) < 0
    assert scorer.anchor_cost([zh_side(YUNNAN)], [en_side(SICHUAN_EN)]) > 0


def test_bilingual_heading_names_the_section_of_following_passages(tmp_path: Path) -> None:
    text = paragraphs("前言部分的中文内容。", "Preface text in English.", "5.7 员工声音 Employees' Voices", ZH1, EN1, ZH2, EN2)
    ps = align_text(tmp_path, text)
    heading = next(p for p in ps if p.zh == "5.7 员工声音")
    assert heading.en == "Employees' Voices"
    after = ps[ps.index(heading):]
    assert {p.section for p in after} == {"5.7 员工声音 / Employees' Voices"}
    assert all(p.section == "" for p in ps[: ps.index(heading)])


def test_sentences_of_a_passage_are_aligned_inside_it(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(ZH1, EN1, ZH_SPLIT, EN_SPLIT_A + " " + EN_SPLIT_B, ZH3, EN3))
    middle = ps[1]
    assert [(s.zh, s.en) for s in middle.sentences] == [
        ("截至2016年底，支付宝实名用户已经超过4.5亿。", EN_SPLIT_A),
        ("与此同时，我们还在海外市场服务了超过200万商户。", EN_SPLIT_B),
    ]


ZH_THREE = (
    "2016年，网商银行为超过300万家小微企业提供了贷款服务。"
    "同一年，蚂蚁森林的用户超过2.2亿，种下了超过1000万棵真树。"
    "我们还为4500名视障用户开发了读屏功能。"
)
EN_THREE = (
    "In 2016, MYbank provided loans to more than 3 million small and micro enterprises.",
    "In the same year, Ant Forest had over 220 million users, who planted more than 10 million real trees.",
    "We also developed a screen-reading function for 4,500 visually impaired users.",
)


def test_one_chinese_paragraph_translated_as_three(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(ZH1, EN1, ZH_THREE, *EN_THREE, ZH3, EN3))
    assert pairs(ps) == [(ZH1, EN1), (ZH_THREE, "\n".join(EN_THREE)), (ZH3, EN3)]
    middle = ps[1]
    assert [s.en for s in middle.sentences] == list(EN_THREE)


def test_alternating_blocks_with_english_first_in_the_middle(tmp_path: Path) -> None:
    ps = align_text(tmp_path, paragraphs(ZH1, ZH2, EN1, EN2, YUNNAN_EN, YUNNAN, ZH3, EN3))
    assert pairs(ps) == [(ZH1, EN1), (ZH2, EN2), (YUNNAN, YUNNAN_EN), (ZH3, EN3)]


def test_html_page_aligns_like_text(tmp_path: Path) -> None:
    from bitext.reading import CorpusFile, read_document
    from bitext.segmenting import segment
    from bitext.aligning import align_document

    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>t</title><style>p{}</style></head><body><nav>首页 Home</nav>"
        f"<h2>5.7 员工声音 Employees' Voices</h2><p>{ZH1}</p><p>{EN1}</p>"
        f"<div><p>{ZH_SPLIT}</p><p>{EN_SPLIT_A}</p><p>{EN_SPLIT_B}</p></div>"
        f"<table><tr><td>员工总数 Total number of employees</td><td>6909</td></tr></table>"
        "<script>var x = '不要索引';</script></body></html>",
        encoding="utf-8",
    )
    ps = align_document(segment(read_document(CorpusFile("page.html", page))))
    assert pairs(ps)[:3] == [
        ("5.7 员工声音", "Employees' Voices"),
        (ZH1, EN1),
        (ZH_SPLIT, EN_SPLIT_A + "\n" + EN_SPLIT_B),
    ]
    assert ps[1].section == "5.7 员工声音 / Employees' Voices"
    assert any(p.zh.startswith("员工总数") and p.en.startswith("Total number of employees") for p in ps)
    assert not any("首页" in p.zh or "不要索引" in p.zh for p in ps)


def test_names_meet_their_romanisation() -> None:
    from bitext.lexicon import en_name_keys, zh_name_keys

    assert "wangjinlong" in zh_name_keys("北京大学药学院研究生王金龙") & en_name_keys("Wang Jinlong, a student")
    assert "pingjiang" in zh_name_keys("平江县青冲村") & en_name_keys("Qingchong Village of Pingjiang County")
