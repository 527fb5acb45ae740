"""Analysing text: normalisation, jieba tokens with real positions, English stems.

The same normalisation runs at index and query time and keeps every character
where it was (one character in, one character out), so token offsets point
into the stored, unaltered text: full-width forms become half-width, case is
folded, traditional characters become simplified (OpenCC's character table).
The index cuts Chinese with jieba itself; queries and highlights cut it with
the on-disk copy of jieba's dictionary (`zhdict`), which gives the same words
without the second it takes to load jieba.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from whoosh.analysis import Filter, StemFilter, StopFilter, Token, Tokenizer
from whoosh.analysis.analyzers import Analyzer
from whoosh.lang.porter import stem

if TYPE_CHECKING:
    from .zhdict import ZhDict

_EN_WORD = re.compile(r"\w+(?:[.'’]\w+)*", re.UNICODE)
_SCALES = "十百千万亿"  # 亿元, 万人: the scale alone is a word of its own after a number
_SKIP_TOKEN = re.compile(r"^[\W_]+$", re.UNICODE)
ZH_DICT_FILE = "jieba-dict.sqlite3"  # in cache_dir(), beside jieba's own cache


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Traditional → simplified, one character to one character, from OpenCC's data."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        simp = simp.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1:
            table[ord(trad)] = simp
    return table


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Width and case folding of one character, kept to one character."""
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


def normalize(text: str) -> str:
    """Length-preserving normalisation applied to indexed text and to queries."""
    if text.isascii():
        return text.lower()
    text = "".join(_fold_char(ch) for ch in text)
    if any(ord(ch) > 0x2E7F for ch in text):
        text = text.translate(_t2s_table())
    return text


def cache_dir() -> Path:
    """Our cache folder, not a shared temporary one: jieba's model, its on-disk dictionary, shell history."""
    base = os.environ.get("BITEXT_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    path = Path(base) / "bitext"
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=1)
def segmenter():  # noqa: ANN201 - jieba's Tokenizer class
    """The jieba tokenizer, initialised once with its cache in our folder."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(cache_dir())
    tk.initialize()
    return tk


@lru_cache(maxsize=1)
def ondisk_dictionary() -> ZhDict:
    """jieba's dictionary on disk (see zhdict), written from jieba once: queries cut with it."""
    from .zhdict import ZhDict, build

    path = cache_dir() / ZH_DICT_FILE
    found = ZhDict.current(path)
    if found is None:
        build(path, segmenter())
        found = ZhDict(path)
    return found


class _Jieba:
    """jieba's own Tokenizer behind the two calls the on-disk ZhDict answers."""

    def __init__(self, tk: Any) -> None:
        self.tk = tk

    def cut(self, text: str) -> Iterable[str]:
        return self.tk.cut(text, HMM=True)

    def freq(self, word: str) -> int:
        return self.tk.FREQ.get(word) or 0


@lru_cache(maxsize=1)
def _bulk_cutter() -> _Jieba:
    """jieba itself, fast in bulk; its first use also writes the on-disk copy that queries use."""
    ondisk_dictionary()
    return _Jieba(segmenter())


def _cutter(index_time: bool) -> _Jieba | ZhDict:
    """jieba at index time or once this process has loaded it; otherwise look-ups on disk."""
    if index_time or segmenter.cache_info().currsize:
        return _bulk_cutter()
    return ondisk_dictionary()


def zh_words(text: str, index_time: bool = True) -> list[tuple[str, int, int]]:
    """jieba's default cut of normalised text as (word, start, end), punctuation dropped.

    `index_time` cuts with jieba itself (its dictionary loaded once, fast in
    bulk); otherwise with the on-disk dictionary, which gives the same words
    without loading jieba, unless this process has loaded it anyway.
    """
    out = []
    pos = 0
    for word in _cutter(index_time).cut(normalize(text)):
        start, pos = pos, pos + len(word)
        if not _SKIP_TOKEN.match(word) and not word.isspace():
            out.append((word, start, pos))
    return out


def zh_tokens(text: str, search: bool = True, index_time: bool = False) -> Iterator[tuple[str, int, int, int]]:
    """(token, position, start, end): positions count words, not characters.

    In search mode a long word also yields its dictionary sub-words (芝麻信用 →
    芝麻, 信用), each at the position of the word that holds it, so phrase
    queries over whole words still find consecutive positions. A numeral scale
    fused with its unit (亿元) also yields the scale (亿), as a query `9.67亿` cuts it.
    Queries and highlights cut on disk, the index with jieba (see `zh_words`).
    """
    cutter = _cutter(index_time)
    for position, (word, start, end) in enumerate(zh_words(text, index_time)):
        if search and len(word) == 2 and word[0] in _SCALES:
            yield word[0], position, start, start + 1
        if search and len(word) > 2:
            for n in (2, 3):
                for i in range(len(word) - n + 1):
                    gram = word[i:i + n]
                    if n < len(word) and cutter.freq(gram):
                        yield gram, position, start + i, start + i + n
        yield word, position, start, end


class _SpanTokenizer(Tokenizer):
    """A Whoosh tokenizer over (text, position, start, end) spans that subclasses produce."""

    def spans(self, value: str, mode: str) -> Iterator[tuple[str, int, int, int]]:
        raise NotImplementedError

    def __call__(  # noqa: PLR0913 - whoosh's tokenizer signature
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, pos, start, end in self.spans(value, mode):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class ZhTokenizer(_SpanTokenizer):
    """Whoosh tokenizer over jieba: search mode when indexing, whole words in queries."""

    def spans(self, value: str, mode: str) -> Iterator[tuple[str, int, int, int]]:
        return zh_tokens(value, search=mode != "query", index_time=mode == "index")


class EnTokenizer(_SpanTokenizer):
    """Words of normalised English text; offsets point into the original."""

    def spans(self, value: str, mode: str) -> Iterator[tuple[str, int, int, int]]:
        for pos, match in enumerate(_EN_WORD.finditer(normalize(value))):
            yield match.group(), pos, match.start(), match.end()


class _NoFilter(Filter):
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        return tokens


def zh_analyzer() -> Analyzer:
    """Analyzer of the Chinese field."""
    return ZhTokenizer() | _NoFilter()


@lru_cache(maxsize=1)
def en_analyzer() -> Analyzer:
    """Analyzer of the English field: words, stop words out, Porter stems (one, with its stem cache)."""
    return EnTokenizer() | StopFilter(minsize=1) | StemFilter(stemfn=stem, cachesize=50000)


def en_stem(word: str) -> str:
    """The stem the English field indexes for one word."""
    return stem(normalize(word))
