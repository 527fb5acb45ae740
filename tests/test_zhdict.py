"""The on-disk dictionary cuts exactly as jieba does, on the index's own text and on the dev queries."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bitext.analysis import cache_dir, normalize, ondisk_dictionary, segmenter, zh_tokens
from bitext.api import Bitext
from bitext.zhdict import ZhDict, build

from conftest import ROOT

DEV_QUERIES = ROOT.parent / "shared" / "eval" / "queries_dev.jsonl"

TRICKY = [
    "",
    "王小二和李大嘴去了北京天安门，还见到了一只会说话的小猫咪。",  # names: runs of unknown characters go to the HMM
    "2016年GDP增长6.7%，营收9.67亿元、3,794万人次；C2C与O2O。",  # digits, Latin, percent, fullwidth punctuation
    "信用\r\n不仅\t等于  财富\u3000也是 a-b_c.d e&f #g+h",  # every whitespace and jieba's block characters
    "蘆花雞 團圓系統 失蹤兒童",  # traditional characters (normalised to simplified first)
    "😀表情符号和①②③，以及ｆｕｌｌ　ｗｉｄｔｈ",
    "中" * 60 + "华人民共和国" * 5,  # long runs
]


def jieba_cut(text: str) -> list[str]:
    return list(segmenter().cut(text, HMM=True))


def test_every_passage_of_the_report_cuts_as_jieba(report_bt: Bitext) -> None:
    fast = ondisk_dictionary()
    texts = [normalize(t) for p in report_bt.passages() for t in (p.zh, p.en, p.section)]
    assert len(texts) > 1000
    mismatched = [t for t in texts if fast.cut(t) != jieba_cut(t)]
    assert mismatched == []


def test_sub_words_of_the_report_have_jieba_counts(report_bt: Bitext) -> None:
    fast = ondisk_dictionary()
    words = {w for p in report_bt.passages() for w in jieba_cut(normalize(p.zh))}
    grams = {w[i:i + n] for w in words for n in (1, 2, 3) for i in range(len(w) - n + 1)}
    assert {g: fast.freq(g) for g in grams} == {g: segmenter().FREQ.get(g) or 0 for g in grams}


def test_dev_queries_and_odd_text_cut_as_jieba() -> None:
    if not DEV_QUERIES.exists():
        pytest.skip(f"no dev queries at {DEV_QUERIES}")
    queries = [json.loads(line)["query"] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line]
    fast = ondisk_dictionary()
    for text in [normalize(q) for q in queries] + TRICKY:
        assert fast.cut(text) == jieba_cut(text), text


FRESH_PROCESS_TOKENS = """
import json, sys
from bitext.analysis import zh_tokens
texts = json.load(sys.stdin)
tokens = [list(zh_tokens(t)) + list(zh_tokens(t, search=False)) for t in texts]
json.dump({"jieba_loaded": "jieba" in sys.modules, "tokens": tokens}, sys.stdout)
"""


def test_query_time_tokens_in_a_fresh_process_equal_index_time_tokens(report_bt: Bitext) -> None:
    """What a query process cuts (on disk, jieba never imported) is what the index holds."""
    texts = [p.zh for p in report_bt.passages()] + TRICKY
    if DEV_QUERIES.exists():
        texts += [json.loads(line)["query"] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line]
    run = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS_TOKENS], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    fresh = json.loads(run.stdout)
    assert fresh["jieba_loaded"] is False
    expected = [
        [list(tok) for tok in zh_tokens(t, index_time=True)] + [list(tok) for tok in zh_tokens(t, False, True)]
        for t in texts
    ]
    assert fresh["tokens"] == expected


def test_a_stale_or_foreign_file_is_not_used(tmp_path: Path) -> None:
    good = cache_dir() / "jieba-dict.sqlite3"
    assert ZhDict.current(good) is not None
    assert ZhDict.current(tmp_path / "missing.sqlite3") is None
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all" * 100)
    assert ZhDict.current(tmp_path / "junk.sqlite3") is None
    stale = tmp_path / "stale.sqlite3"
    build(stale, segmenter())
    with sqlite3.connect(stale) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'source'", (json.dumps("jieba of another version"),))
    con.close()
    assert ZhDict.current(stale) is None


def test_memos_emptied_between_cuts_change_nothing(report_bt: Bitext, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long shell session empties the look-up memos now and then; never in the middle of a cut."""
    texts = [normalize(p.zh) for p in report_bt.passages()][:200]
    unbounded = ZhDict(cache_dir() / "jieba-dict.sqlite3")
    for t in texts:
        unbounded.cut(t)
    monkeypatch.setattr("bitext.zhdict._MEMO_LIMIT", 50)
    bounded = ZhDict(cache_dir() / "jieba-dict.sqlite3")
    assert [bounded.cut(t) for t in texts] == [jieba_cut(t) for t in texts]
    assert len(bounded._counts) < len(unbounded._counts)  # it was indeed emptied along the way
    bounded.close()
    unbounded.close()
