"""Indexing and searching through the Python API: keyword, phrase, sub-word, stems, quotes, incremental builds."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bitext.api import Bitext
from bitext.errors import DamagedIndexError, InputError
from bitext.models import Hit, Results

from conftest import write

DOC_A = """1 / 信用生活 Credit Life

一个公司老板去南极旅游，买返程机票时被告知买不了，因为他刚被列入法院“老赖”黑名单，芝麻信用分大跌。

A company boss travelling in Antarctica was told he could not buy a return ticket, because he had just been put on the court's blacklist of dishonest debtors and his Zhima Credit score had dropped.

中华人民共和国成立以来，农村地区的金融服务一直非常不足。

Since the founding of the People's Republic of China, financial services in rural areas have long been lacking.

“我们使用手机跟普通人不太一样，你们是用看的，我们是用听的。”志愿者孙涛说。

“Our smartphones are different from yours: you use them through your eyes, while we use them through our ears,” said Sun Tao, a volunteer.

许超在六峰岭经营生态养鸡场，专门养殖芦花鸡，每天产蛋1000多枚。

Xu Chao runs an ecological chicken farm in Liufengling, raising Luhua chickens that lay more than 1,000 eggs a day.

网商银行向农民发放了贷款，帮助他们扩大生产。

MYbank granted loans to farmers and helped them expand production.
"""

DOC_B = """# 2 / 绿色金融 Green Finance

蚂蚁森林鼓励用户减少碳排放，用户的信用也会因此受益。

Ant Forest encourages users to cut carbon emissions, and their credit benefits too.
"""

NEW_PARAGRAPHS = """

蚂蚁金服的区块链技术让每一笔公益捐款都可以追溯。

Ant Financial's blockchain technology makes every charitable donation traceable.
"""


def make_corpus(folder: Path) -> Path:
    write(folder / "a.txt", DOC_A)
    write(folder / "b.md", DOC_B)
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bitext]:
    """The two small documents, indexed once for this module (read-only)."""
    base = tmp_path_factory.mktemp("small")
    bt = Bitext(make_corpus(base / "corpus"), base / "index")
    bt.build()
    yield bt
    bt.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Bitext]:
    """The two small documents in a private corpus and index, built, for tests that change them."""
    bt = Bitext(make_corpus(tmp_path / "corpus"), tmp_path / "index")
    bt.build()
    yield bt
    bt.close()


def marked(text: str, spans: list[tuple[int, int]]) -> list[str]:
    assert all(0 <= a < b <= len(text) for a, b in spans), (text, spans)
    return [text[a:b] for a, b in spans]


def only_hit(results: Results) -> Hit:
    assert results.total == 1 and len(results.hits) == 1, [h.passage.id for h in results.hits]
    return results.hits[0]


# -- building -----------------------------------------------------------------


def test_build_summary_counts(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4")
    write(corpus / "empty.txt", "")
    write(corpus / "page-numbers.txt", "12\n\n- 13 -\n")
    with Bitext(corpus, tmp_path / "index") as bt:
        summary = bt.build()
        assert (summary.documents, summary.rebuilt, summary.removed) == (3, 3, 0)
        assert (summary.passages, summary.two_sided, summary.unpaired, summary.debris) == (8, 8, 0, 2)
        assert len(summary.skipped) == 2
        assert any("scan.pdf" in s for s in summary.skipped)
        assert any("empty.txt" in s and "empty" in s for s in summary.skipped)
        stats = bt.stats()
    assert stats["documents"] == 3 and stats["passages"] == 8 and stats["debris"] == 2
    assert stats["per_document"]["a.txt"] == {"passages": 6, "two_sided": 6, "debris": 0}
    assert stats["per_document"]["page-numbers.txt"] == {"passages": 0, "two_sided": 0, "debris": 2}


def test_passages_in_document_order_with_sections(small: Bitext) -> None:
    passages = list(small.passages())
    assert [p.id for p in passages] == [f"a.txt#{n:04d}" for n in range(6)] + ["b.md#0000", "b.md#0001"]
    assert {p.section for p in passages if p.doc == "a.txt"} == {"1 / 信用生活 / Credit Life"}
    assert {p.section for p in passages if p.doc == "b.md"} == {"2 / 绿色金融 / Green Finance"}


# -- keyword search -------------------------------------------------------------


def test_chinese_search_finds_passage_and_its_english(small: Bitext) -> None:
    hit = only_hit(small.search("老赖"))
    assert hit.passage.id == "a.txt#0001"
    assert "blacklist of dishonest debtors" in hit.passage.en
    assert "blacklist of dishonest debtors" in hit.en_excerpt
    assert marked(hit.zh_excerpt, hit.zh_highlights) == ["老赖"]
    assert hit.rank == 1 and hit.score > 0


def test_quoted_chinese_phrase(small: Bitext) -> None:
    hit = only_hit(small.search('"芝麻信用分"'))
    assert hit.passage.id == "a.txt#0001"
    assert marked(hit.zh_excerpt, hit.zh_highlights) == ["芝麻信用分"]
    assert small.search('"信用芝麻"').total == 0


def test_quoted_phrase_across_a_long_word(small: Bitext) -> None:
    assert only_hit(small.search('"中华人民共和国成立"')).passage.id == "a.txt#0002"
    assert small.search('"中华人民共和国以来"').total == 0


@pytest.mark.parametrize("word", ["人民", "共和国", "中华人民共和国"])
def test_sub_word_finds_long_word(small: Bitext, word: str) -> None:
    hit = only_hit(small.search(word))
    assert hit.passage.id == "a.txt#0002"
    spans = marked(hit.zh_excerpt, hit.zh_highlights)
    assert len(spans) == 1 and word in spans[0] and spans[0] in "中华人民共和国"


@pytest.mark.parametrize(("query", "matched"), [("loan", "loans"), ("helping", "helped"), ("ＬＯＡＮＳ", "loans")])
def test_english_inflections_match(small: Bitext, query: str, matched: str) -> None:
    hit = only_hit(small.search(query))
    assert hit.passage.id == "a.txt#0005"
    assert "贷款" in hit.zh_excerpt
    assert marked(hit.en_excerpt, hit.en_highlights) == [matched]


def test_traditional_query_finds_simplified_text(small: Bitext) -> None:
    hit = only_hit(small.search("蘆花雞"))
    assert marked(hit.zh_excerpt, hit.zh_highlights) == ["芦花鸡"]


def test_more_matching_words_rank_higher(small: Bitext) -> None:
    results = small.search("信用 老赖 黑名单")
    assert results.hits[0].passage.id == "a.txt#0001"
    assert [h.rank for h in results.hits] == list(range(1, len(results.hits) + 1))
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_lang_and_doc_filters(small: Bitext) -> None:
    assert small.search("信用").total == 3
    assert small.search("老赖", lang="en").total == 0
    assert small.search("credit", lang="zh").total == 0
    assert small.search("credit", lang="en").total == 3
    assert [h.passage.id for h in small.search("信用", doc="b.md").hits] == ["b.md#0001"]


def test_limit_caps_hits_not_total(small: Bitext) -> None:
    results = small.search("信用", limit=1)
    assert results.total == 3 and len(results.hits) == 1


def test_bad_arguments_are_input_errors(small: Bitext) -> None:
    with pytest.raises(InputError, match="--lang"):
        small.search("信用", lang="xx")
    with pytest.raises(InputError, match="--limit"):
        small.search("信用", limit=0)


@pytest.mark.parametrize("query", ["zzzqqq", "AND", "(", "*", '""', "   "])
def test_nothing_found_or_nothing_to_search(small: Bitext, query: str) -> None:
    results = small.search(query)
    assert results.total == 0 and results.hits == []


def test_wildcard_query_finds_passages(small: Bitext) -> None:
    assert small.search("loan*").total == 1


def test_results_json_shape(small: Bitext) -> None:
    data = small.search("老赖").to_json()
    assert set(data) == {"query", "total", "took_ms", "hits"}
    hit = data["hits"][0]  # type: ignore[index]
    assert set(hit) == {
        "rank", "score", "id", "doc", "section", "zh", "en",
        "zh_excerpt", "en_excerpt", "zh_highlights", "en_highlights",
    }
    assert hit["zh_highlights"] and all(isinstance(s, list) and len(s) == 2 for s in hit["zh_highlights"])
    json.dumps(data, ensure_ascii=False)


# -- quote lookup ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "side", "shown"),
    [
        ("你们是用看的,我们是用听的", "zh", "你们是用看的，我们是用听的"),
        ("你 们 是 用\n看 的", "zh", "你们是用看的"),
        ('"我们使用手机跟普通人不太一样', "zh", "我们使用手机跟普通人不太一样"),
        ('"our smartphones are DIFFERENT from yours:"', "en", "Our smartphones are different from yours"),
        ("ＳＵＮ　ＴＡＯ", "en", "Sun Tao"),
        ("through  our\tears,”", "en", "through our ears"),
    ],
)
def test_quote_ignores_space_width_quotes_and_case(small: Bitext, quote: str, side: str, shown: str) -> None:
    hit = only_hit(small.quote(quote))
    assert hit.passage.id == "a.txt#0003"
    text, spans = (hit.zh_excerpt, hit.zh_highlights) if side == "zh" else (hit.en_excerpt, hit.en_highlights)
    assert marked(text, spans) == [shown]
    assert "through our ears" in hit.en_excerpt and "你们是用看的" in hit.zh_excerpt


@pytest.mark.parametrize("quote", ["people’s republic", "People's Republic", "PEOPLE＇S　REPUBLIC"])
def test_quote_curly_and_straight_apostrophes(small: Bitext, quote: str) -> None:
    assert only_hit(small.quote(quote)).passage.id == "a.txt#0002"


def test_quote_not_in_corpus(small: Bitext) -> None:
    results = small.quote("你们是用听的")
    assert results.total == 0 and results.hits == []


def test_quote_without_letters_is_input_error(small: Bitext) -> None:
    with pytest.raises(InputError):
        small.quote("，。 ...")


# -- incremental builds ---------------------------------------------------------


def test_unchanged_corpus_needs_no_refresh(fresh: Bitext) -> None:
    assert not fresh.is_stale()
    assert fresh.refresh() is None
    summary = fresh.build()
    assert (summary.rebuilt, summary.removed, summary.documents) == (0, 0, 2)


def test_edit_one_document_rebuilds_only_it(fresh: Bitext) -> None:
    assert fresh.search("区块链").total == 0
    path = fresh.corpus / "b.md"
    path.write_text(DOC_B + NEW_PARAGRAPHS, encoding="utf-8")
    assert fresh.is_stale()
    summary = fresh.refresh()
    assert summary is not None
    assert (summary.rebuilt, summary.removed, summary.documents) == (1, 0, 2)
    assert summary.passages == 9
    hit = only_hit(fresh.search("区块链"))
    assert hit.passage.doc == "b.md"
    assert "blockchain technology" in hit.en_excerpt
    assert only_hit(fresh.quote("每一笔公益捐款都可以追溯")).passage.doc == "b.md"
    assert fresh.search("老赖").total == 1
    assert fresh.refresh() is None


def test_edit_replaces_old_text(fresh: Bitext) -> None:
    path = fresh.corpus / "a.txt"
    path.write_text(DOC_A.replace("芦花鸡", "乌骨鸡"), encoding="utf-8")
    summary = fresh.build()
    assert summary.rebuilt == 1
    assert fresh.search("芦花鸡").total == 0
    assert fresh.quote("专门养殖芦花鸡").total == 0
    assert only_hit(fresh.search("乌骨鸡")).passage.id == "a.txt#0004"
    assert len([p for p in fresh.passages() if p.doc == "a.txt"]) == 6


def test_remove_document_drops_its_passages(fresh: Bitext) -> None:
    (fresh.corpus / "b.md").unlink()
    summary = fresh.refresh()
    assert summary is not None and (summary.removed, summary.documents, summary.passages) == (1, 1, 6)
    assert {p.doc for p in fresh.passages()} == {"a.txt"}
    assert fresh.search("蚂蚁森林").total == 0
    assert fresh.quote("蚂蚁森林鼓励用户").total == 0
    assert fresh.search("信用").total == 2
    assert "b.md" not in fresh.stats()["per_document"]  # type: ignore[operator]


def test_add_document(fresh: Bitext) -> None:
    write(fresh.corpus / "sub" / "c.txt", NEW_PARAGRAPHS.strip() + "\n")
    summary = fresh.refresh()
    assert summary is not None and (summary.rebuilt, summary.documents) == (1, 3)
    assert only_hit(fresh.search("区块链")).passage.id == "sub/c.txt#0000"


def test_touched_but_unchanged_document_is_not_reindexed(fresh: Bitext) -> None:
    path = fresh.corpus / "a.txt"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    summary = fresh.refresh()
    assert summary is not None and summary.rebuilt == 0
    assert fresh.refresh() is None


def test_document_that_becomes_unreadable_is_dropped_and_reported(fresh: Bitext) -> None:
    (fresh.corpus / "b.md").write_bytes(b"\x00\x01binary")
    summary = fresh.build()
    assert any("b.md" in s and "binary" in s for s in summary.skipped)
    assert summary.documents == 1
    assert fresh.search("蚂蚁森林").total == 0


def test_corpus_with_a_skipped_file_is_not_stale_after_build(fresh: Bitext) -> None:
    write(fresh.corpus / "empty.txt", "")
    fresh.build()
    assert fresh.refresh() is None


def test_full_build_recovers_a_damaged_manifest(fresh: Bitext) -> None:
    fresh.close()
    (fresh.index / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DamagedIndexError, match="bitext build --full"):
        fresh.store.manifest()
    summary = fresh.build(full=True)
    assert summary.rebuilt == 2
    assert only_hit(fresh.search("老赖")).passage.id == "a.txt#0001"


def test_plain_build_rebuilds_an_unreadable_index_whole(fresh: Bitext) -> None:
    fresh.close()
    for seg in (fresh.index / "whoosh").glob("*.seg"):
        seg.write_bytes(b"garbage" * 50)
    summary = fresh.build()
    assert summary.rebuilt == 2
    assert fresh.search("老赖").total == 1


def test_index_copied_elsewhere_still_answers(fresh: Bitext, tmp_path: Path) -> None:
    fresh.close()
    shutil.copytree(fresh.index, tmp_path / "copy")
    with Bitext(fresh.corpus, tmp_path / "copy") as bt:
        assert bt.refresh() is None
        assert bt.search("老赖").total == 1
