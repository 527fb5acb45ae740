"""Segmenting: raw blocks become monolingual paragraphs, same-line pairs and debris.

Each line is classified by script. A line holding both languages (a table row, a
bilingual heading) is split into its Chinese and English parts. Lines the PDF
hard-wrapped inside a paragraph, or across a page break, are joined again.
Lines without a letter of either script (page numbers, rules) are debris:
set aside and counted, never mixed into content.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from .models import Document, Lang, LinePair, Paragraph, Segmented

_ZH_PUNCT = set("，。、；：？！（）《》〈〉【】「」『』〔〕…～·．")
_ZH_FINAL = tuple("。！？!?；;…”」』）)")
_EN_FINAL = tuple('.!?:;"”’)')
_LONG_CHINESE = 20  # Han characters: more than a heading or a table cell holds
_OPENERS = set("(（[【“\"'‘《")
_CLOSERS = set(")）]】”\"'’》")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def is_han(ch: str) -> bool:
    """True for a CJK ideograph."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def char_class(ch: str) -> str:
    """'Z' for Chinese script, 'L' for Latin letters, 'N' for neutral (digits, spaces, marks)."""
    if is_han(ch) or ch in _ZH_PUNCT or 0x3000 < ord(ch) <= 0x303F or 0xFF01 <= ord(ch) <= 0xFF0F:
        return "Z"
    if ch.isalpha() and ch.isascii() or ("LATIN" in unicodedata.name(ch, "") and ch.isalpha()):
        return "L"
    return "N"


@dataclass
class _Run:
    cls: str
    start: int
    end: int


def _runs(text: str) -> list[_Run]:
    """Maximal Z/L spans, each running from its first to its last strong character."""
    runs: list[_Run] = []
    for i, ch in enumerate(text):
        c = char_class(ch)
        if c == "N":
            continue
        if runs and runs[-1].cls == c:
            runs[-1].end = i + 1
        else:
            runs.append(_Run(c, i, i + 1))
    return runs


def _is_strong(text: str, run: _Run, at_edge: bool) -> bool:
    """Whether a script run carries language content of its own, or just a name or code."""
    chunk = text[run.start:run.end]
    glossed = text[:run.start].rstrip()[-1:] in _OPENERS and text[run.end:].lstrip()[:1] in _CLOSERS
    if run.cls == "Z":
        # "Zhima Credit (芝麻信用) is ...": a bracketed gloss belongs to the sentence around it.
        return not glossed and sum(map(is_han, chunk)) >= (1 if at_edge else 2)
    words = _WORD.findall(chunk)
    lower = any(ch.islower() for ch in chunk)
    if sum(map(is_han, text)) >= _LONG_CHINESE and (
        glossed or (len(words) <= 3 and all(w[0].isupper() for w in words))
    ):
        return False  # "…评分体系(RAIN, Risk of Activity …)", or a name signing it: "… 创始人 Vijay"
    if len(words) >= 2 and lower:
        return True
    return at_edge and lower and len(words) == 1 and len(words[0]) >= 3


def split_languages(text: str) -> tuple[str, str]:
    """Split a cell or line into its (Chinese, English) parts; one may be empty.

    Latin names and codes inside Chinese text (PAYTM, GRI 102-1) stay with the
    Chinese, and a Chinese name inside English stays with the English.
    """
    runs = _runs(text)
    if not runs:
        return "", ""
    strong = [
        r for i, r in enumerate(runs)
        if _is_strong(text, r, at_edge=i in (0, len(runs) - 1))
    ]
    if not strong:
        strong = [max(runs, key=lambda r: r.end - r.start)]
    merged: list[_Run] = []
    for r in strong:
        if merged and merged[-1].cls == r.cls:
            merged[-1].end = r.end
        else:
            merged.append(_Run(r.cls, r.start, r.end))
    # Each segment owns the neutral text before it; the last one also owns the tail.
    bounds = [0] + [m.start for m in merged[1:]] + [len(text)]
    parts: dict[str, list[str]] = {"Z": [], "L": []}
    for m, a, b in zip(merged, bounds, bounds[1:]):
        parts[m.cls].append(text[a:b].strip())
    return " ".join(parts["Z"]), " ".join(parts["L"])


def classify_line(line: str) -> tuple[str, str, str]:
    """Return (kind, zh, en) for one line; kind is 'zh', 'en', 'pair' or 'debris'."""
    cells = [c for c in line.split("\t") if c.strip()]
    zh_parts: list[str] = []
    en_parts: list[str] = []
    for cell in cells:
        zh, en = split_languages(cell)
        if zh:
            zh_parts.append(zh)
        if en:
            en_parts.append(en)
        if not zh and not en:
            zh_parts.append(cell.strip())
    if not any(_runs(line)):
        return "debris", "", ""
    zh_text = "\t".join(zh_parts)
    en_text = "\t".join(en_parts)
    if en_parts and not any(char_class(c) == "Z" for c in zh_text):
        return "en", "", line.strip()
    if not en_parts:
        return "zh", line.strip(), ""
    return "pair", zh_text, en_text


def _join(lang: Lang, a: str, b: str) -> str:
    """Join two wrapped lines of one paragraph in the way their language writes."""
    if lang == "zh":
        tail = a.rsplit("\n", 1)[-1]
        wraps = len(tail) >= 10 and not a.endswith(_ZH_FINAL) and char_class(b[0]) != "L"
        return a + ("" if wraps else "\n") + b
    if a.endswith("-") and b[:1].islower():
        return a + b
    return a + " " + b


def _continues(lang: Lang, prev: str, nxt: str) -> bool:
    """Whether `nxt` (after a blank line) continues the sentence that `prev` left open."""
    if lang == "en":
        return len(prev.split()) >= 4 and not prev.endswith(_EN_FINAL) and nxt[:1].islower()
    return len(prev) >= 30 and is_han(prev[-1]) and is_han(nxt[0])


@dataclass
class _Item:
    kind: str
    zh: str
    en: str
    block: int


def _items(doc: Document) -> Iterator[_Item]:
    """Lines of every block, classified, with runs of one language joined."""
    for b, block in enumerate(doc.blocks):
        current: _Item | None = None
        for raw in block.split("\n"):
            line = raw.strip(" \u3000\xa0")
            if not line.strip():
                continue
            kind, zh, en = classify_line(line)
            if kind == "debris":
                if current:
                    yield current
                    current = None
                yield _Item("debris", line, "", b)
                continue
            if kind == "pair":
                if current:
                    yield current
                    current = None
                yield _Item("pair", zh, en, b)
                continue
            text = zh or en
            if current and current.kind == kind:
                if kind == "zh":
                    current.zh = _join("zh", current.zh, text)
                else:
                    current.en = _join("en", current.en, text)
            else:
                if current:
                    yield current
                current = _Item(kind, zh, en, b)
        if current:
            yield current


def segment(doc: Document) -> Segmented:
    """Cut a document into ordered paragraphs, same-line pairs and debris."""
    out = Segmented(doc.name, [], [])
    last: _Item | None = None
    items: list[_Item] = []
    for item in _items(doc):
        if item.kind == "debris":
            out.debris.append(item.zh)
            continue
        if (
            last is not None
            and item.kind == last.kind
            and item.kind in ("zh", "en")
            and item.block != last.block
            and _continues(item.kind, last.zh or last.en, item.zh or item.en)
        ):
            if item.kind == "zh":
                last.zh += item.zh
            else:
                last.en += " " + item.en
            last.block = item.block
            continue
        items.append(item)
        last = item
    for order, item in enumerate(items):
        if item.kind == "pair":
            out.line_pairs.append(LinePair(order, item.zh, item.en))
        else:
            lang: Lang = "zh" if item.kind == "zh" else "en"
            out.paragraphs.append(Paragraph(order, lang, item.zh or item.en))
    return out
