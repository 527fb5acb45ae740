"""Nothing lost: for any input, segmenting and aligning keep every character and every paragraph once, in order.

Property tests (hypothesis) over documents mixing Chinese, English, numbers,
punctuation, tabs, odd spaces, emoji and arbitrary Unicode, plus the check
every build runs: it must stop, naming the document, when text goes missing.
"""

from __future__ import annotations

from collections import Counter
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bitext.aligning import align_document
from bitext.errors import InputError, InternalError
from bitext.models import Document, Passage, Segmented
from bitext.pipeline import check_nothing_lost, process_document
from bitext.reading import CorpusFile
from bitext.segmenting import segment

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等信用蚂蚁金服芝麻贷款"
WORDS = ["the", "Ant", "Financial", "credit", "loans", "of", "and", "Zhima", "is", "GRI", "102-1", "e-commerce", "it's"]
PUNCT = list("，。、；：？！（）《》“”「」…—·,.;:?!()[]\"'-/／%")
SPACES = [" ", " ", "  ", "\t", "\u3000", "\xa0"]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

piece = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=30),
    st.sampled_from(WORDS),
    st.integers(0, 10**7).map(str),
    st.sampled_from(PUNCT),
    st.sampled_from(SPACES),
    st.sampled_from(["😀", "👍🏽", "\u200b", "\ufeff", "é", "ß", "Ω", "٣", "ﬁ"]),
    st.characters(exclude_categories=("Cs",)),
)
line = st.lists(piece, min_size=1, max_size=14).map("".join).filter(lambda s: "\n" not in s and "\r" not in s)
block = st.lists(line, min_size=1, max_size=5).map("\n".join).filter(str.strip)
documents = st.lists(block, min_size=1, max_size=8).map(lambda blocks: Document("doc.txt", blocks, "0" * 64))


def visible(texts: list[str]) -> Counter[str]:
    return Counter(ch for text in texts for ch in text if not ch.isspace())


def nonspace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def in_order(items: list[str], document: list[str]) -> bool:
    """Whether `items` occur in `document` in this order (each used once)."""
    rest = iter(document)
    return all(item in rest for item in items)


@PROPERTY
@given(documents)
def test_segmenting_keeps_every_character_once_and_paragraphs_in_order(doc: Document) -> None:
    seg = segment(doc)
    kept = [p.text for p in seg.paragraphs] + [t for lp in seg.line_pairs for t in (lp.zh, lp.en)] + seg.debris
    assert visible(kept) == visible(doc.blocks)
    orders = [p.order for p in seg.paragraphs] + [lp.order for lp in seg.line_pairs]
    assert sorted(orders) == list(range(len(orders)))
    assert [p.order for p in seg.paragraphs] == sorted(p.order for p in seg.paragraphs)
    assert all(p.text.strip() for p in seg.paragraphs)
    assert in_order(list("".join(nonspace(p.text) for p in seg.paragraphs)), list(nonspace("\n".join(doc.blocks))))


@PROPERTY
@given(documents)
def test_aligning_keeps_every_paragraph_once_and_in_order(doc: Document) -> None:
    """Each paragraph in exactly one passage; passages read in document order.

    Chinese order is exact. An English paragraph may move to pair with a
    Chinese one that lay apart from it (`pair_strays`: layouts put callouts out
    of order), so English order is checked outside such one-to-one passages.
    Same-line pairs are left out here (next test): a passage may join a Chinese
    and an English paragraph on both sides of one, and cannot be in order for both.
    """
    seg = segment(doc)
    seg = Segmented(seg.doc, seg.paragraphs, [], seg.debris)
    passages = align_document(seg)
    assert [p.order for p in passages] == list(range(len(passages)))
    assert len({p.id for p in passages}) == len(passages)
    assert all(p.zh or p.en for p in passages)
    zh = [p.text for p in seg.paragraphs if p.lang == "zh"]
    en = [p.text for p in seg.paragraphs if p.lang == "en"]  # English paragraphs never hold a line break
    assert "\n".join(p.zh for p in passages if p.zh) == "\n".join(zh)
    en_lines = [(p, line) for p in passages if p.en for line in p.en.split("\n")]
    assert Counter(line for _, line in en_lines) == Counter(en)
    assert in_order([line for p, line in en_lines if not p.zh or "\n" in p.en], en)


@PROPERTY
@given(documents)
def test_same_line_pairs_stay_whole_and_every_paragraph_is_kept_once(doc: Document) -> None:
    seg = segment(doc)
    passages = align_document(seg)
    check_nothing_lost(doc, seg, passages)
    others = list(passages)
    for lp in seg.line_pairs:  # each same-line pair is a passage of its own, unchanged
        others.remove(next(p for p in others if (p.zh, p.en) == (lp.zh, lp.en)))
    for lang in ("zh", "en"):
        lines = Counter(line for p in others if getattr(p, lang) for line in getattr(p, lang).split("\n"))
        assert lines == Counter(line for p in seg.paragraphs if p.lang == lang for line in p.text.split("\n"))


@PROPERTY
@given(documents)
def test_sentence_beads_cover_their_passage(doc: Document) -> None:
    """Excerpts come from the beads: each passage's beads hold all of its text, once."""
    for p in align_document(segment(doc)):
        assert visible([s.zh for s in p.sentences]) == visible([p.zh])
        assert visible([s.en for s in p.sentences]) == visible([p.en])


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_give_passages_or_a_skip_never_a_crash(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    """Through the real reader: the invariant runs inside process_document on every build."""
    path = tmp_path_factory.mktemp("any") / "any.txt"
    path.write_bytes(data)
    try:
        result = process_document(CorpusFile("any.txt", path))
    except InputError as exc:
        assert str(exc).startswith("any.txt: ") and "\n" not in str(exc)
    else:
        assert all(p.doc == "any.txt" for p in result.passages)


def test_a_lost_character_stops_the_build_naming_the_document() -> None:
    doc = Document("notes/报告.txt", ["芝麻信用\n\nZhima Credit", "12"], "0" * 64)
    seg = segment(doc)
    passages = align_document(seg)
    check_nothing_lost(doc, seg, passages)
    damaged = [Passage(p.id, p.doc, p.order, p.section, p.zh[:-1], p.en, p.confidence) for p in passages]
    with pytest.raises(InternalError, match=r"^notes/报告\.txt: .*lost 1 and added 0 characters.*please report"):
        check_nothing_lost(doc, seg, damaged)
    doubled = passages + passages[:1]
    with pytest.raises(InternalError, match=r"lost 0 and added \d+ characters"):
        check_nothing_lost(doc, seg, doubled)

