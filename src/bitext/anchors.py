"""Anchors that cross the language boundary: numbers, Latin tokens and names.

Each side of a candidate pair is reduced to a bag of language-neutral keys
(`n:3794`, `w:paytm`, `m:4`, `py:wangjinlong`), so that the aligner can reward
pairs whose keys agree whatever script or format they were written in.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from functools import lru_cache

_ZH_NUM = re.compile(r"(\d+(?:[.,]\d+)*)\s*(%|％|万亿|千亿|百亿|亿|千万|百万|万|千)?")
_EN_NUM = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(%|percent|thousand|million|billion|trillion)?", re.IGNORECASE
)
_ZH_SCALE = {"万": 1e4, "千": 1e3, "亿": 1e8, "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "千万": 1e7, "百万": 1e6}
_EN_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_EN_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozens": 12})
_MONTHS = {
    m: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_ZH_MONTH = re.compile(r"(\d{1,2})\s*月")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]")
_EN_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*%?")
_HAN_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def _value(digits: str) -> float | None:
    """Parse `3,794` or `5.3` (thousands separators dropped) into a float."""
    text = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits) else digits
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _key(value: float) -> str:
    """A number key that does not depend on how the number was written."""
    return "n:" + (str(int(value)) if value == int(value) else f"{value:.4g}")


@lru_cache(maxsize=1)
def _cn2an():  # noqa: ANN202 - a module handle
    """cn2an is loaded only when Chinese numerals need converting."""
    warnings.filterwarnings("ignore", module="cn2an")
    import cn2an

    return cn2an


def _han_numerals_to_digits(text: str) -> str:
    """Rewrite Chinese numerals (三套, 两千) as digits with cn2an; leaves 万/亿 scales."""
    if not _HAN_NUMERALS.search(text):
        return text
    cn2an = _cn2an()
    try:
        return cn2an.transform(text, "cn2an")
    except Exception:  # cn2an rejects some mixed forms; the digits still count
        return text


def zh_anchors(text: str) -> Counter[str]:
    """Anchor keys of a Chinese text: numbers with scales, months, Latin tokens."""
    keys: Counter[str] = Counter()
    plain = _han_numerals_to_digits(text)
    for digits, scale in _ZH_NUM.findall(plain):
        value = _value(digits)
        if value is None:
            continue
        if scale in ("%", "％"):
            keys["p:" + _key(value)[2:]] += 1
        else:
            keys[_key(value * _ZH_SCALE.get(scale, 1))] += 1
    for month in _ZH_MONTH.findall(plain):
        keys["m:" + str(int(month))] += 1
    for token in _LATIN.findall(text):
        if len(token) > 1:
            keys["w:" + token.lower()] += 1
    return keys


def en_anchors(text: str) -> Counter[str]:
    """Anchor keys of an English text, in the same key space as `zh_anchors`."""
    keys: Counter[str] = Counter()
    for digits, scale in _EN_NUM.findall(text):
        value = _value(digits)
        if value is None:
            continue
        scale = scale.lower()
        if scale in ("%", "percent"):
            keys["p:" + _key(value)[2:]] += 1
        else:
            keys[_key(value * _EN_SCALE.get(scale, 1))] += 1
    words = text.lower().split()
    for i, raw in enumerate(words):
        word = raw.strip(".,;:!?()\"'“”‘’")
        if word in _MONTHS:
            keys["m:" + str(_MONTHS[word])] += 1
        elif word in _EN_WORDS:
            nxt = words[i + 1].strip(".,;:") if i + 1 < len(words) else ""
            keys[_key(_EN_WORDS[word] * _EN_SCALE.get(nxt, 1))] += 1
    return keys


def latin_words(text: str) -> set[str]:
    """Lower-cased Latin words of an English text, to meet codes kept in Chinese text."""
    return {"w:" + t.lower() for t in _EN_TOKEN.findall(text) if t[0].isalpha() and len(t) > 1}
