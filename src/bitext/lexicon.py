"""A Chinese↔English word lexicon learned from the corpus's own confident pairs.

Words that keep turning up together in aligned pairs (Dice association over
pairs, with a minimum count) are taken as translations. The aligner uses it in
a second pass; names need no lexicon, they meet through pinyin.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh.analysis import STOP_WORDS

from .analysis import en_stem, zh_words
from .models import Passage
from .segmenting import is_han

_EN_WORD = re.compile(r"[A-Za-z]+")
_PLACE_SUFFIXES = "省市县区镇乡村州"
MIN_PAIRS = 2
MIN_DICE = 0.3
_NAME = re.compile(r"[A-Z][a-z]+(?:[\s\-][A-Z][a-z]+)*")


def zh_content_words(text: str, min_len: int = 2) -> frozenset[str]:
    """jieba words of Chinese characters, at least `min_len` long: what the lexicon pairs."""
    return frozenset(w for w, _, _ in zh_words(text) if len(w) >= min_len and all(map(is_han, w)))


def en_content_stems(text: str) -> frozenset[str]:
    """Stems of the English words (letters only) that are not stop words."""
    return frozenset(en_stem(w) for w in _EN_WORD.findall(text) if len(w) > 2 and w.lower() not in STOP_WORDS)


@lru_cache(maxsize=65536)
def pinyin(word: str) -> str:
    """Toneless pinyin of a Chinese word, syllables run together (邱哲 → qiuzhe)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(word))


def zh_name_keys(text: str) -> frozenset[str]:
    """Pinyin of name-sized Chinese words and word pairs (2 to 4 characters), to meet romanised names."""
    words = [w for w, _, _ in zh_words(text) if all(map(is_han, w))]
    keys = {pinyin(w) for w in words if 2 <= len(w) <= 4}
    # Place names are romanised without their suffix and translated with it: 平江县 ↔ Pingjiang County.
    keys.update(pinyin(w[:-1]) for w in words if 3 <= len(w) <= 5 and w[-1] in _PLACE_SUFFIXES)
    keys.update(pinyin(a + b) for a, b in zip(words, words[1:]) if 2 <= len(a + b) <= 4)
    return frozenset(k for k in keys if len(k) >= 5)


def en_name_keys(text: str) -> frozenset[str]:
    """Capitalised English words and runs of them, lower-cased and run together."""
    keys: set[str] = set()
    for match in _NAME.finditer(text):
        parts = re.split(r"[\s\-]", match.group().lower())
        keys.update(parts)
        keys.update("".join(parts[i:i + 2]) for i in range(len(parts) - 1))
        keys.update("".join(parts[i:i + 3]) for i in range(len(parts) - 2))
    return frozenset(k for k in keys if len(k) >= 5)


@dataclass
class Counts:
    """Co-occurrence counts of Chinese words and English stems over aligned pairs."""

    pairs: int = 0
    zh: Counter[str] = field(default_factory=Counter)
    en: Counter[str] = field(default_factory=Counter)
    both: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, zw: Iterable[str], es: Iterable[str]) -> None:
        zw, es = set(zw), set(es)
        self.pairs += 1
        self.zh.update(zw)
        self.en.update(es)
        self.both.update((z, e) for z in zw for e in es)

    def merge(self, other: Counts) -> None:
        self.pairs += other.pairs
        self.zh.update(other.zh)
        self.en.update(other.en)
        self.both.update(other.both)

    def remove(self, other: Counts) -> None:
        """Take back counts that `merge` added (a document changed or left the corpus)."""
        self.pairs -= other.pairs
        self.zh -= other.zh
        self.en -= other.en
        self.both -= other.both

    def associations(self, min_pairs: int = MIN_PAIRS, min_dice: float = MIN_DICE) -> dict[tuple[str, str], tuple[float, int]]:
        """(zh word, en stem) → (Dice, pairs seen together), above both thresholds."""
        out = {}
        for (z, e), n in self.both.items():
            dice = 2 * n / (self.zh[z] + self.en[e])
            if n >= min_pairs and dice >= min_dice:
                out[(z, e)] = (dice, n)
        return out

    def to_json(self, prune: bool = True) -> dict[str, object]:
        """The counts to keep; with `prune`, a pair seen together once is dropped as noise.

        Most co-occurrences in one document are chance and single, and keeping
        them would make its file several megabytes for no association they support.
        """
        return {
            "pairs": self.pairs, "zh": dict(self.zh), "en": dict(self.en),
            "both": [[z, e, n] for (z, e), n in self.both.items() if n > 1 or not prune],
        }

    @classmethod
    def from_json(cls, data: dict) -> Counts:  # type: ignore[type-arg]
        return cls(
            data["pairs"], Counter(data["zh"]), Counter(data["en"]),
            Counter({(z, e): n for z, e, n in data["both"]}),
        )


def sentence_counts(passages: Iterable[Passage]) -> Counts:
    """Counts over every two-sided sentence pair of the passages."""
    counts = Counts()
    for p in passages:
        for bead in p.sentences:
            if bead.zh and bead.en:
                # Single characters count here: jieba cuts 云计算 as 云 + 计算 in some contexts.
                counts.add(zh_content_words(bead.zh, min_len=1), en_content_stems(bead.en))
    return counts


@dataclass
class Lexicon:
    """zh word → English stems it translates to."""

    table: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def learn(cls, pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> Lexicon:
        """Dice association over (zh words, en stems) of aligned pairs."""
        counts = Counts()
        for zw, es in pairs:
            counts.add(zw, es)
        table: dict[str, set[str]] = {}
        for z, e in counts.associations():
            table.setdefault(z, set()).add(e)
        return cls({z: frozenset(es) for z, es in table.items()})

    def translations(self, zh_words: Iterable[str]) -> frozenset[str]:
        """Every English stem the lexicon gives for any of the Chinese words."""
        return frozenset().union(*(self.table.get(z, frozenset()) for z in zh_words))
