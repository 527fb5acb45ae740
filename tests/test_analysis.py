"""Analysis: length-preserving normalisation, jieba tokens with word positions, sub-words, English stems."""

from __future__ import annotations

import pytest

from bitext.analysis import en_analyzer, en_stem, normalize, zh_analyzer, zh_tokens, zh_words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("蘆花雞", "芦花鸡"),
        ("臺灣銀行", "台湾银行"),
        ("ＰＡＹＴＭ，１２３％", "paytm,123%"),
        ("Zhima Credit", "zhima credit"),
        ("“芝麻信用”（Zhima）", "“芝麻信用”(zhima)"),
        ("ﬁ İ ß", "ﬁ İ ß"),
    ],
)
def test_normalize_folds_width_case_and_traditional(raw: str, folded: str) -> None:
    assert normalize(raw) == folded


@pytest.mark.parametrize(
    "text",
    ["蘆花雞 ＡＢＣ", "ﬁancé İstanbul Straße ①②", "😀 emoji 𠀀 and ㎏", "全角　空格\u3000and\xa0nbsp", "Ⅻ ½ ™"],
)
def test_normalize_is_length_preserving(text: str) -> None:
    assert len(normalize(text)) == len(text)


def test_zh_positions_count_words_not_characters() -> None:
    tokens = list(zh_tokens("我们是用听的", search=False))
    assert [t[0] for t in tokens] == ["我们", "是", "用", "听", "的"]
    assert [t[1] for t in tokens] == [0, 1, 2, 3, 4]
    assert [(t[2], t[3]) for t in tokens] == [(0, 2), (2, 3), (3, 4), (4, 5), (5, 6)]


def test_zh_words_drop_punctuation_but_keep_offsets() -> None:
    text = "“老赖”，还钱！"
    words = zh_words(text)
    assert [w for w, _, _ in words] == ["老赖", "还", "钱"]
    assert all(text[s:e] == w for w, s, e in words)


def test_search_mode_yields_sub_words_at_the_long_words_position() -> None:
    tokens = list(zh_tokens("中华人民共和国成立了"))
    at_zero = {t[0]: (t[2], t[3]) for t in tokens if t[1] == 0}
    assert at_zero["中华人民共和国"] == (0, 7)
    assert at_zero["人民"] == (2, 4)
    assert at_zero["共和国"] == (4, 7)
    assert {t[0] for t in tokens if t[1] == 1} == {"成立"}
    assert {t[0] for t in tokens if t[1] == 2} == {"了"}
    whole = [t[0] for t in zh_tokens("中华人民共和国成立了", search=False)]
    assert whole == ["中华人民共和国", "成立", "了"]


def test_sub_words_of_a_long_word_share_its_position() -> None:
    tokens = list(zh_tokens("失信被执行人名单"))
    by_word = {t[0]: t[1] for t in tokens}
    assert by_word["被执行人"] == by_word["执行"] == 1
    assert by_word["名单"] == 2


def test_zh_offsets_point_into_the_original_traditional_text() -> None:
    text = "他飼養的蘆花雞超過1500隻"
    tokens = list(zh_tokens(text))
    spans = {t[0]: text[t[2]:t[3]] for t in tokens}
    assert spans["饲养"] == "飼養"
    assert spans["芦花"] == "蘆花"
    assert spans["超过"] == "超過"


def test_zh_analyzer_tokens_for_whoosh() -> None:
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in zh_analyzer()("芝麻信用分", positions=True, chars=True)]
    assert tokens == [("芝麻", 0, 0, 2), ("信用", 1, 2, 4), ("分", 2, 4, 5)]
    query = [t.text for t in zh_analyzer()("中华人民共和国", mode="query")]
    assert query == ["中华人民共和国"]


def test_en_analyzer_stems_drops_stop_words_and_keeps_offsets() -> None:
    text = "The Loans to Helping small businesses"
    tokens = [(t.text, t.startchar, t.endchar) for t in en_analyzer()(text, chars=True)]
    assert [t[0] for t in tokens] == ["loan", "help", "small", "busi"]
    assert all(text[s:e].lower().startswith(w[:3]) for w, s, e in tokens)
    assert en_stem("borrowing") == en_stem("Borrowed") == "borrow"


def test_en_analyzer_offsets_survive_full_width_text() -> None:
    text = "ＬＯＡＮＳ to farmers"
    tokens = [(t.text, t.startchar, t.endchar) for t in en_analyzer()(text, chars=True)]
    assert tokens[0] == ("loan", 0, 5)
