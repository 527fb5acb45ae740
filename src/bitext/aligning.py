"""Aligning: pair Chinese and English paragraphs, then sentences inside each passage.

One monotonic dynamic programme covers all the Chinese and all the English
paragraphs of a document, banded to neighbouring monolingual blocks, so the
English may come after its Chinese, before it, or split across two Chinese
blocks. Beads run from 0:1 and 1:0 (unpaired) through 1:1, 1:2, 2:1, 2:2, 1:3,
3:1 up to 5:1 and 1:7. The bead cost combines a Gale-Church length model fitted
to the document, anchors that cross the language boundary (numbers, Latin
tokens), names through pinyin, and a lexicon learned from a first pass. Passage
boundaries are then repaired by sentence alignment, stray paragraphs that the
layout put out of order are paired, and sentences are aligned inside each
passage.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

from .anchors import en_anchors, latin_words, zh_anchors
from .lexicon import Lexicon, en_content_stems, en_name_keys, zh_content_words, zh_name_keys
from .models import LinePair, Paragraph, Passage, Segmented, SentencePair
from .segmenting import is_han

# Prior probabilities of bead shapes (zh count, en count), after Gale & Church.
BEADS: dict[tuple[int, int], float] = {
    (1, 1): 0.86,
    (1, 0): 0.012,
    (0, 1): 0.012,
    (2, 1): 0.04,
    (1, 2): 0.04,
    (2, 2): 0.012,
    (3, 1): 0.008,
    (1, 3): 0.008,
    (4, 1): 0.002,
    (1, 4): 0.002,
    (5, 1): 0.001,
    (1, 5): 0.001,
    (1, 6): 0.0005,
    (1, 7): 0.0005,
}
# Inside a passage translators split and merge sentences more than paragraphs.
SENTENCE_BEADS: dict[tuple[int, int], float] = {
    (1, 1): 0.75,
    (1, 0): 0.01,
    (0, 1): 0.01,
    (2, 1): 0.06,
    (1, 2): 0.1,
    (2, 2): 0.02,
    (3, 1): 0.01,
    (1, 3): 0.03,
}
_SKIP = {(1, 0), (0, 1)}
# English characters per Chinese character in typical translations, tried beside the document's own estimates.
_TYPICAL_RATIOS = (2.0, 3.0, 4.0)
_ENOUGH_RUNS = 20
_ANCHOR_BONUS = 1.6
_ANCHOR_PENALTY = 0.6
_NAME_BONUS = 1.5
_LEX_BONUS = 0.5
_FRAGMENT_PENALTY = 4.0
_BAND_RUNS = 2
_ENGLISH_FIRST_COST = 0.5
_REPAIR_MARGIN = 1.0
_STRAY_RUNS = 4
_STRAY_MAX_COST = 4.0
_ZH_SENTENCE = re.compile(r".*?(?:[。！？!?]+[”’」』）)]*|\n|$)", re.S)


def visible_len(text: str) -> int:
    """Length without whitespace: what the length model compares."""
    return sum(1 for ch in text if not ch.isspace())


@dataclass(frozen=True)
class LengthModel:
    """English characters per Chinese character, and the spread of that ratio."""

    ratio: float
    variance: float

    @classmethod
    def candidates(cls, paragraphs: Sequence[Paragraph]) -> list[LengthModel]:
        """First guesses from the document itself, with a wide spread, for a first pass to choose from.

        The ratio of the totals is skewed by untranslated paragraphs; the median
        ratio of neighbouring runs (a block and the block that translates it)
        is not, but has few samples in a block layout. Whichever aligns the
        document more cheaply wins; a few typical ratios compete too, for
        documents too small to estimate from.
        """
        runs: list[list[Paragraph]] = []
        for p, run in zip(paragraphs, _run_numbers(paragraphs)):
            if run == len(runs):
                runs.append([])
            runs[run].append(p)
        size = [sum(visible_len(p.text) for p in run) for run in runs]
        ratios = sorted(
            (size[k + 1] / size[k]) if runs[k][0].lang == "zh" else (size[k] / size[k + 1])
            for k in range(len(runs) - 1)
            if size[k] >= 5 and size[k + 1] >= 5
        )
        zh = sum(visible_len(p.text) for p in paragraphs if p.lang == "zh")
        en = sum(visible_len(p.text) for p in paragraphs if p.lang == "en")
        guesses = {en / zh if zh and en else 3.0}
        if ratios:
            guesses.add(ratios[len(ratios) // 2])
        if len(ratios) < _ENOUGH_RUNS:
            guesses.update(_TYPICAL_RATIOS)
        return [cls(ratio=r, variance=r * 3.0) for r in sorted(guesses)]

    def refit(self, pairs: Sequence[tuple[int, int]]) -> LengthModel:
        """Re-estimate ratio and variance from confidently paired (zh, en) lengths."""
        pairs = [(z, e) for z, e in pairs if z >= 5 and e >= 5]
        if len(pairs) < 8:
            return self
        ratio = sum(e for _, e in pairs) / sum(z for z, _ in pairs)
        var = sum((e - ratio * z) ** 2 / z for z, e in pairs) / len(pairs)
        return LengthModel(ratio=ratio, variance=max(var, ratio * 0.5))

    def cost(self, zh_len: int, en_len: int) -> float:
        """-log probability of the length difference (two-sided normal tail)."""
        mean = (zh_len + en_len / self.ratio) / 2
        if mean <= 0:
            return 0.0
        delta = (en_len - zh_len * self.ratio) / math.sqrt(self.variance * mean)
        tail = math.erfc(abs(delta) / math.sqrt(2))
        return -math.log(max(tail, 1e-12))


@dataclass(frozen=True)
class Side:
    """Precomputed features of one text unit (paragraph or sentence)."""

    text: str
    length: int
    anchors: Counter[str]
    latin: frozenset[str]
    names: frozenset[str]
    lex: frozenset[str]
    fragment: bool


@lru_cache(maxsize=100_000)
def zh_side(text: str) -> Side:
    """Features of a Chinese unit: anchors, pinyin name keys, content words."""
    han = sum(map(is_han, text))
    return Side(
        text, visible_len(text), zh_anchors(text), frozenset(),
        zh_name_keys(text), zh_content_words(text), fragment=han <= 2 and len(text) <= 4,
    )


@lru_cache(maxsize=100_000)
def en_side(text: str) -> Side:
    """Features of an English unit: anchors, Latin words, capitalised names, stems."""
    words = text.split()
    return Side(
        text, visible_len(text), en_anchors(text), frozenset(latin_words(text)),
        en_name_keys(text), en_content_stems(text),
        fragment=len(words) <= 3 and text[:1].islower(),
    )


# Anchor and name agreement per bead (keyed by the texts of its units), for one document.
_AGREEMENT: dict[tuple[tuple[str, ...], tuple[str, ...]], float] = {}


@dataclass
class Scorer:
    """Bead cost: shape prior + length model + anchors, names and lexicon agreement."""

    length: LengthModel
    lexicon: Lexicon = field(default_factory=Lexicon)
    fragment_penalty: float = _FRAGMENT_PENALTY
    priors: dict[tuple[int, int], float] = field(default_factory=lambda: BEADS)
    _translations: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def anchor_cost(self, zh: Sequence[Side], en: Sequence[Side]) -> float:
        if not any(s.anchors for s in zh) and not any(s.anchors for s in en):
            return 0.0
        za: Counter[str] = Counter()
        ea: Counter[str] = Counter()
        words: set[str] = set()
        for s in zh:
            za.update(s.anchors)
        for s in en:
            ea.update(s.anchors)
            words |= s.latin
        matched = sum(min(n, ea[k]) for k, n in za.items() if not k.startswith("w:"))
        matched_words = sum(1 for k in za if k.startswith("w:") and k in words)
        numbers = sum(n for k, n in za.items() if not k.startswith("w:")) + sum(ea.values())
        unmatched = numbers - 2 * matched
        return -_ANCHOR_BONUS * (matched + matched_words) + _ANCHOR_PENALTY * min(unmatched, 6)

    def translations(self, side: Side) -> frozenset[str]:
        """English stems the lexicon gives for the words of a Chinese unit (cached per unit)."""
        found = self._translations.get(side.text)
        if found is None:
            found = self.lexicon.translations(side.lex)
            self._translations[side.text] = found
        return found

    def lexicon_cost(self, zh: Sequence[Side], en: Sequence[Side]) -> float:
        """Reward lexicon translations of the Chinese words found among the English stems."""
        if not self.lexicon.table:
            return 0.0
        stems = frozenset().union(*(s.lex for s in en))
        translated = frozenset().union(*(self.translations(s) for s in zh))
        return -_LEX_BONUS * len(translated & stems)

    def for_sentences(self, length: LengthModel | None = None) -> Scorer:
        """The scorer for sentences inside a passage: sentence bead priors, short pieces welcome."""
        return Scorer(length or self.length, self.lexicon, fragment_penalty=0.0, priors=SENTENCE_BEADS)

    def agreement_cost(self, zh: Sequence[Side], en: Sequence[Side]) -> float:
        """Anchors and names of a bead: the same whatever the pass, so computed once per document."""
        key = (tuple(s.text for s in zh), tuple(s.text for s in en))
        found = _AGREEMENT.get(key)
        if found is None:
            zn = frozenset().union(*(s.names for s in zh))
            en_names = frozenset().union(*(s.names for s in en))
            found = self.anchor_cost(zh, en) - _NAME_BONUS * len(zn & en_names)
            _AGREEMENT[key] = found
        return found

    def cost(self, zh: Sequence[Side], en: Sequence[Side]) -> float:
        shape = (len(zh), len(en))
        prior = -math.log(self.priors[shape])
        if shape in _SKIP:
            return prior + 2.0
        zl = sum(s.length for s in zh)
        el = sum(s.length for s in en)
        fragments = sum(s.fragment for s in (*zh, *en))
        return (
            prior + self.length.cost(zl, el) + self.agreement_cost(zh, en)
            + self.lexicon_cost(zh, en) + self.fragment_penalty * fragments
        )


Bead = tuple[range, range]
Band = Callable[[int], range]


def align_sequences(
    zh: Sequence[Side],
    en: Sequence[Side],
    scorer: Scorer,
    band: Band | None = None,
    placement: Callable[[range, range], float] | None = None,
) -> tuple[list[Bead], list[float]]:
    """Monotonic alignment of two sequences by dynamic programming over bead shapes.

    `band(i)` limits the states (i, j) considered to the English positions near
    Chinese position i; `placement` adds a cost for where a bead's members
    lie in the document (infinite: they are too far apart to be one passage).
    """
    n, m = len(zh), len(en)
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        js = band(i) if band else range(m + 1)
        for j in js:
            here = best.get((i, j))
            if here is None:
                continue
            for di, dj in scorer.priors:
                a, b = i + di, j + dj
                if a > n or b > m:
                    continue
                ri, rj = range(i, a), range(j, b)
                where = placement(ri, rj) if di and dj and placement else 0.0
                if where == float("inf"):
                    continue
                c = here + where + scorer.cost(zh[i:a], en[j:b])
                if c < best.get((a, b), float("inf")):
                    best[(a, b)] = c
                    back[(a, b)] = (di, dj)
    beads: list[Bead] = []
    costs: list[float] = []
    i, j = n, m
    while i or j:
        di, dj = back[(i, j)]
        beads.append((range(i - di, i), range(j - dj, j)))
        costs.append(best[(i, j)] - best[(i - di, j - dj)])
        i, j = i - di, j - dj
    beads.reverse()
    costs.reverse()
    return beads, costs


def confidence(bead_cost: float, shape: tuple[int, int]) -> float:
    """Map a bead cost to 0..1; unpaired units get a fixed middling value."""
    if 0 in shape:
        return 0.5
    return round(1.0 / (1.0 + math.exp(bead_cost - 4.0)), 3)


@dataclass
class _Unit:
    """A provisional passage: paragraphs of each side, with its confidence and order."""

    order: int
    zh: list[Paragraph]
    en: list[Paragraph]
    conf: float

    @property
    def two_sided_unit(self) -> bool:
        return bool(self.zh and self.en)


def _run_numbers(paragraphs: Sequence[Paragraph]) -> list[int]:
    """Number of the monolingual run (block of one language) each paragraph is in."""
    runs: list[int] = []
    for k, p in enumerate(paragraphs):
        same = k and paragraphs[k - 1].lang == p.lang
        runs.append(runs[-1] if same else (runs[-1] + 1 if runs else 0))
    return runs


def align_paragraphs(paragraphs: Sequence[Paragraph], scorer: Scorer) -> tuple[list[_Unit], float]:
    """Align all Chinese with all English paragraphs in document order.

    Translation is monotonic, so one dynamic programme covers the document; a
    band keeps each state near the diagonal of the layout, and a bead may only
    join paragraphs from neighbouring runs, wherever the English stands (before
    or after its Chinese, or split between two Chinese blocks).
    """
    runs = _run_numbers(paragraphs)
    zp = [p for p in paragraphs if p.lang == "zh"]
    ep = [p for p in paragraphs if p.lang == "en"]
    zr = [r for p, r in zip(paragraphs, runs) if p.lang == "zh"]
    er = [r for p, r in zip(paragraphs, runs) if p.lang == "en"]
    end = (runs[-1] + 1) if runs else 0
    zr_next = zr + [end]
    er_next = er + [end]

    def band(i: int) -> range:
        lo = bisect_left(er_next, zr_next[i] - _BAND_RUNS)
        hi = bisect_right(er_next, zr_next[i] + _BAND_RUNS)
        return range(lo, hi)

    def placement(ri: range, rj: range) -> float:
        members = [zr[i] for i in ri] + [er[j] for j in rj]
        if max(members) - min(members) > 1:
            return float("inf")
        # Chinese usually comes first: an English-first bead must earn its place.
        return _ENGLISH_FIRST_COST if ep[rj[-1]].order < zp[ri[0]].order else 0.0

    zs = [zh_side(p.text) for p in zp]
    es = [en_side(p.text) for p in ep]
    beads, costs = align_sequences(zs, es, scorer, band, placement)
    units: list[_Unit] = []
    for (ri, rj), c in zip(beads, costs):
        z = [zp[i] for i in ri]
        e = [ep[j] for j in rj]
        units.append(_Unit(min(p.order for p in z + e), z, e, confidence(c, (len(z), len(e)))))
    return units, sum(costs)


def zh_sentences(text: str) -> list[str]:
    """Chinese sentences end at 。！？ (with closing quotes) or a line break."""
    return [s for s in _ZH_SENTENCE.findall(text) if s.strip()]


def en_sentences(text: str) -> list[str]:
    """English sentences from sentencex, keeping every character."""
    from sentencex import segment

    out: list[str] = []
    for part in re.split(r"(?<=\n)", text):
        out.extend(s for s in segment("en", part) if s.strip())
    return out


def align_sentences(zh: str, en: str, scorer: Scorer) -> list[SentencePair]:
    """Sentence beads of one passage; each bead's texts are the document's own."""
    if not zh or not en:
        parts = zh_sentences(zh) if zh else en_sentences(en)
        return [SentencePair(s.strip(), "") if zh else SentencePair("", s.strip()) for s in parts]
    zs = [zh_side(s) for s in zh_sentences(zh)]
    es = [en_side(s) for s in en_sentences(en)]
    if len(zs) == 1 or len(es) == 1:
        # A passage is one translation unit: a lone sentence on one side translates all of the other.
        return [SentencePair(zh.strip(), " ".join(e.text.strip() for e in es))]
    # Inside one passage the true length ratio is known: that of the passage.
    # Short sentence pieces ("said he.") are normal here, not layout debris.
    ratio = sum(s.length for s in es) / max(sum(s.length for s in zs), 1)
    length = LengthModel(ratio, scorer.length.variance * ratio / scorer.length.ratio)
    scorer = scorer.for_sentences(length)
    beads, _ = align_sequences(zs, es, scorer)
    return [
        SentencePair("".join(zs[i].text for i in ri).strip(), " ".join(es[j].text.strip() for j in rj))
        for ri, rj in beads
    ]


def sentence_cost(zh: Sequence[Paragraph], en: Sequence[Paragraph], scorer: Scorer) -> float:
    """Cost of the best sentence alignment of a candidate passage, under the document's model."""
    zs = [zh_side(s) for p in zh for s in zh_sentences(p.text)]
    es = [en_side(s) for p in en for s in en_sentences(p.text)]
    return sum(align_sequences(zs, es, scorer.for_sentences())[1])


def repair_boundaries(units: list[_Unit], scorer: Scorer) -> list[_Unit]:
    """Move a paragraph across the boundary of two neighbouring passages when sentences agree.

    Paragraph lengths cannot tell where a translator's split fell; the sentence
    alignment of both candidate passages can: a last English paragraph that
    translates the last Chinese sentence belongs with it. Only a side with
    several paragraphs gives one away, or a one-sided passage joins whole.
    """
    memo: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}

    def cost(u: _Unit) -> float:
        key = (tuple(p.order for p in u.zh), tuple(p.order for p in u.en))
        if key not in memo:
            memo[key] = sentence_cost(u.zh, u.en, scorer)
        return memo[key]

    out = list(units)
    k = 0
    while k < len(out) - 1:
        a, b = out[k], out[k + 1]
        here = cost(a) + cost(b)
        best: tuple[float, _Unit, _Unit] | None = None
        for side in ("zh", "en"):
            left, right = getattr(a, side), getattr(b, side)
            moves = []
            if len(left) > 1 or (left and not a.two_sided_unit):
                moves.append((left[:-1], left[-1:] + right))
            if len(right) > 1 or (right and not b.two_sided_unit):
                moves.append((left + right[:1], right[1:]))
            for new_left, new_right in moves:
                na = _Unit(a.order, *(_sides(a, side, new_left)), a.conf)
                nb = _Unit(b.order, *(_sides(b, side, new_right)), b.conf)
                if not (na.zh or na.en) or not (nb.zh or nb.en):
                    continue
                total = cost(na) + cost(nb)
                if total < here - _REPAIR_MARGIN and (best is None or total < best[0]):
                    best = (total, na, nb)
        if best is None:
            k += 1
            continue
        _, na, nb = best
        out[k:k + 2] = [_reorder(na), _reorder(nb)]
    return out


def _sides(u: _Unit, side: str, paras: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    return (paras, u.en) if side == "zh" else (u.zh, paras)


def _reorder(u: _Unit) -> _Unit:
    return _Unit(min(p.order for p in u.zh + u.en), u.zh, u.en, u.conf)


def align_document(seg: Segmented) -> list[Passage]:
    """Align one segmented document into passages, in document order."""
    # Unit features and bead agreement are per document: a worker aligning many keeps none of them.
    _AGREEMENT.clear()
    zh_side.cache_clear()
    en_side.cache_clear()
    first = [(align_paragraphs(seg.paragraphs, Scorer(m)), m) for m in LengthModel.candidates(seg.paragraphs)]
    (units, _), model = min(first, key=lambda f: f[0][1])
    scorer = Scorer(model)
    confident = [u for u in units if len(u.zh) == 1 and len(u.en) == 1 and u.conf >= 0.5]
    length = scorer.length.refit([(visible_len(u.zh[0].text), visible_len(u.en[0].text)) for u in confident])
    pairs = [(zh_side(u.zh[0].text).lex, en_side(u.en[0].text).lex) for u in confident]
    pairs += [(zh_side(lp.zh).lex, en_side(lp.en).lex) for lp in seg.line_pairs]
    scorer = Scorer(length, Lexicon.learn(pairs))
    units = repair_boundaries(align_paragraphs(seg.paragraphs, scorer)[0], scorer)
    units = _in_sequence(pair_strays(units, seg.paragraphs, scorer))
    units.extend(_line_pair_unit(lp, scorer) for lp in seg.line_pairs)
    units.sort(key=lambda u: u.order)
    return _passages(seg.doc, units, scorer)


def _in_sequence(units: list[_Unit]) -> list[_Unit]:
    """Sort keys that never go back along the alignment, so that sorting the line pairs in keeps its order.

    A unit's own key is its first paragraph; one whose English comes before
    the Chinese of the unit ahead of it would otherwise sort first.
    """
    out: list[_Unit] = []
    for u in units:
        out.append(_Unit(max(u.order, out[-1].order if out else u.order), u.zh, u.en, u.conf))
    return out


def pair_strays(units: list[_Unit], paragraphs: Sequence[Paragraph], scorer: Scorer) -> list[_Unit]:
    """Pair paragraphs left alone with a nearby lone paragraph that clearly translates them.

    Layouts put callouts and quotes out of order (the Chinese before a block,
    its English after the next one), which a monotonic alignment cannot
    follow; a confident 1:1 bead within a few runs can.
    """
    runs = dict(zip((p.order for p in paragraphs), _run_numbers(paragraphs)))
    lone_zh = [u for u in units if len(u.zh) == 1 and not u.en]
    lone_en = [u for u in units if len(u.en) == 1 and not u.zh]
    candidates = sorted(
        (scorer.cost([zh_side(z.zh[0].text)], [en_side(e.en[0].text)]), z.order, e.order, z, e)
        for z in lone_zh
        for e in lone_en
        if abs(runs[z.order] - runs[e.order]) <= _STRAY_RUNS
    )
    taken: set[int] = set()
    merged: dict[int, _Unit] = {}
    for cost, zo, eo, z, e in candidates:
        if cost > _STRAY_MAX_COST:
            break
        if zo in taken or eo in taken:
            continue
        taken.update((zo, eo))
        merged[zo] = _Unit(z.order, z.zh, e.en, confidence(cost, (1, 1)))
    return [merged.get(u.order, u) for u in units if u.order not in taken or u.order in merged]


def _line_pair_unit(lp: LinePair, scorer: Scorer) -> _Unit:
    zh = Paragraph(lp.order, "zh", lp.zh)
    en = Paragraph(lp.order, "en", lp.en)
    cost = scorer.cost([zh_side(lp.zh)], [en_side(lp.en)])
    return _Unit(lp.order, [zh], [en], max(0.6, confidence(cost, (1, 1))))


_FRAMED = re.compile(r"^\s*[/／].*[/／]\s*$", re.S)
_NUMBERED = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+章|(?:\d\.\d{1,2}|\d{1,2})\s*[/／]?)\s*[\u4e00-\u9fff]{2}[^\d，。]*$")


def _is_heading(zh: str, en: str) -> bool:
    """A short pair that opens a section: slash-framed, a chapter, or numbered with an English title."""
    if not zh or len(zh) > 40 or "\t" in zh or zh.rstrip().endswith(("。", "！", "？", "，")):
        return False
    if _FRAMED.match(zh):
        return True
    return bool(_NUMBERED.match(zh)) and len(en.split()) >= 2 and en[:1].isupper()


def _passages(doc: str, units: list[_Unit], scorer: Scorer) -> list[Passage]:
    passages: list[Passage] = []
    section = ""
    for n, u in enumerate(units):
        zh = "\n".join(p.text for p in u.zh)
        en = "\n".join(p.text for p in u.en)
        if _is_heading(zh, en):
            section = " / ".join(s.strip(" /／\n") for s in (zh, en) if s.strip(" /／\n"))
        passages.append(
            Passage(
                id=f"{doc}#{n:04d}",
                doc=doc,
                order=n,
                section=section,
                zh=zh,
                en=en,
                confidence=u.conf,
                sentences=align_sentences(zh, en, scorer),
            )
        )
    return passages
