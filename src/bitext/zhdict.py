"""jieba's default cut over an on-disk copy of its dictionary, so a query never loads jieba.

Loading jieba's prefix dictionary costs most of a second; a query needs a few
dozen of its entries. `build` copies, once, everything `Tokenizer.cut(text,
HMM=True)` consults into SQLite: the prefix dictionary FREQ (each word with its
count, each word prefix with count 0) and its total, the HMM of jieba.finalseg
(start, transition and emission log probabilities) and jieba's block patterns.
`ZhDict.cut` replays jieba's algorithm step for step (block split, DAG, best
route, HMM on runs of unknown characters), looking up only the substrings and
characters of the text it cuts, so its words are jieba's words.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable
from importlib.util import find_spec
from math import log
from pathlib import Path
from typing import Any

FORMAT = 1
MIN_FLOAT = -3.14e100  # jieba.finalseg's log probability of what its tables lack
STATES = "BMES"
PREV_STATES = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}  # jieba.finalseg.PrevStatus
_CHUNK = 500  # look-ups per SQL statement, well under SQLite's variable limit
_MEMO_LIMIT = 200_000  # remembered look-ups (or blocks) before a memo starts afresh


def source_key() -> str:
    """Identity of the installed jieba (code, dictionary, HMM), found without importing it."""
    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    root = Path(spec.submodule_search_locations[0])
    parts = [str(FORMAT)]
    for rel in ("__init__.py", "dict.txt", "finalseg/__init__.py", "finalseg/prob_emit.py"):
        st = (root / rel).stat()
        parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}")
    return " ".join(parts)


def build(path: Path, tokenizer: Any) -> None:
    """Write an initialised jieba Tokenizer's dictionary and jieba's HMM to SQLite at `path`."""
    import jieba
    import jieba.finalseg as hmm

    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        with con:
            con.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
            con.executemany("INSERT INTO freq VALUES (?, ?)", sorted(tokenizer.FREQ.items()))
            con.execute("CREATE TABLE emit (ch TEXT PRIMARY KEY, b REAL, m REAL, e REAL, s REAL) WITHOUT ROWID")
            chars = sorted(set().union(*(hmm.emit_P[s] for s in STATES)))
            con.executemany(
                "INSERT INTO emit VALUES (?, ?, ?, ?, ?)",
                ((ch, *(hmm.emit_P[s].get(ch) for s in STATES)) for ch in chars),
            )
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            meta = {
                "source": source_key(),
                "total": tokenizer.total,
                "start": hmm.start_P,
                "trans": hmm.trans_P,
                "re_han": jieba.re_han_default.pattern,
                "re_skip": jieba.re_skip_default.pattern,
                "hmm_re_han": hmm.re_han.pattern,
                "hmm_re_skip": hmm.re_skip.pattern,
            }
            con.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])
    finally:
        con.close()
    os.replace(tmp, path)


class ZhDict:
    """A read-only on-disk jieba dictionary that cuts text as jieba's default cut does."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
        meta = {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM meta")}
        self.source: str = meta["source"]
        self._logtotal = log(meta["total"])
        self._start: dict[str, float] = meta["start"]
        self._trans: dict[str, dict[str, float]] = meta["trans"]
        self._re_han = re.compile(meta["re_han"])
        self._re_skip = re.compile(meta["re_skip"])
        self._hmm_re_han = re.compile(meta["hmm_re_han"])
        self._hmm_re_skip = re.compile(meta["hmm_re_skip"])
        self._counts: dict[str, int | None] = {}  # FREQ entries looked up so far; None: not in FREQ
        self._emits: dict[str, dict[str, float]] = {}
        self._blocks: dict[str, list[str]] = {}  # words of blocks cut so far: excerpts recur in a session

    @classmethod
    def current(cls, path: Path) -> ZhDict | None:
        """The dictionary at `path` when it was built from the installed jieba; None when missing or stale."""
        try:
            found = cls(path)
        except (sqlite3.Error, KeyError, ValueError):  # missing, partial or foreign file
            return None
        if found.source == source_key():
            return found
        found.close()
        return None

    def close(self) -> None:
        self._db.close()

    # -- look-ups -------------------------------------------------------------

    def _fetch(self, words: Iterable[str]) -> None:
        """Bring the FREQ counts of `words` into the memo, in as few queries as possible."""
        memo = self._counts
        missing = list({w for w in words if w not in memo})
        for i in range(0, len(missing), _CHUNK):
            chunk = missing[i:i + _CHUNK]
            memo.update(dict.fromkeys(chunk))
            memo.update(self._db.execute(
                f"SELECT word, n FROM freq WHERE word IN ({','.join('?' * len(chunk))})", chunk
            ))

    def freq(self, word: str) -> int:
        """jieba's count of `word`; 0 when it is no word of the dictionary."""
        self._fetch((word,))
        return self._counts[word] or 0

    def _emit(self, chars: str) -> list[dict[str, float]]:
        """Emission log probabilities of each character, by HMM state."""
        memo = self._emits
        missing = list({ch for ch in chars if ch not in memo})
        for i in range(0, len(missing), _CHUNK):
            chunk = missing[i:i + _CHUNK]
            memo.update(dict.fromkeys(chunk, {}))
            rows = self._db.execute(
                f"SELECT ch, b, m, e, s FROM emit WHERE ch IN ({','.join('?' * len(chunk))})", chunk
            )
            for ch, *probs in rows:
                memo[ch] = {s: p for s, p in zip(STATES, probs) if p is not None}
        return [memo[ch] for ch in chars]

    # -- jieba's cut ----------------------------------------------------------

    def cut(self, text: str) -> list[str]:
        """The words of jieba's `Tokenizer.cut(text, HMM=True)`, in order."""
        for memo in (self._counts, self._blocks):  # bounded, and never emptied in the middle of a cut
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
        words: list[str] = []
        for block in self._re_han.split(text):
            if not block:
                continue
            if self._re_han.match(block):
                words.extend(self._cut_block(block))
                continue
            for part in self._re_skip.split(block):
                if self._re_skip.match(part):
                    words.append(part)
                else:
                    words.extend(part)
        return words

    def _dag(self, block: str) -> list[list[int]]:
        """jieba's get_DAG: for each start, the ends of the dictionary words starting there."""
        n = len(block)
        dag: list[list[int]] = [[] for _ in range(n)]
        counts = self._counts
        starts = list(range(n))
        length = 1
        while starts:
            frags = [block[k:k + length] for k in starts]
            self._fetch(frags)
            alive = []
            for k, frag in zip(starts, frags):
                count = counts.get(frag)
                if count is None:
                    continue
                if count:
                    dag[k].append(k + length - 1)
                if k + length < n:
                    alive.append(k)
            starts = alive
            length += 1
        for k, ends in enumerate(dag):
            if not ends:
                ends.append(k)
        return dag

    def _cut_block(self, block: str) -> list[str]:
        """jieba's calc and __cut_DAG: the most probable route, runs of single characters to the HMM."""
        words = self._blocks.get(block)
        if words is None:
            words = self._blocks[block] = self._route_words(block)
        return words

    def _route_words(self, block: str) -> list[str]:
        """The words of one block, cut afresh (see `_cut_block`)."""
        n = len(block)
        dag = self._dag(block)
        counts = self._counts
        logtotal = self._logtotal
        route: list[tuple[float, int]] = [(0, 0)] * (n + 1)
        for idx in range(n - 1, -1, -1):
            route[idx] = max(
                (log(counts.get(block[idx:x + 1]) or 1) - logtotal + route[x + 1][0], x) for x in dag[idx]
            )
        words: list[str] = []
        x = 0
        buf = ""
        while x < n:
            y = route[x][1] + 1
            if y - x == 1:
                buf += block[x]
            else:
                if buf:
                    words.extend(self._single_run(buf))
                    buf = ""
                words.append(block[x:y])
            x = y
        if buf:
            words.extend(self._single_run(buf))
        return words

    def _single_run(self, buf: str) -> list[str]:
        """A run of characters the route left single: a word, characters, or the HMM's words."""
        if len(buf) == 1:
            return [buf]
        if not self.freq(buf):
            return self._hmm_cut(buf)
        return list(buf)

    def _hmm_cut(self, text: str) -> list[str]:
        """jieba.finalseg.cut: Viterbi over Han runs, letters and digits kept whole."""
        words: list[str] = []
        for block in self._hmm_re_han.split(text):
            if self._hmm_re_han.match(block):
                words.extend(self._viterbi_words(block))
            else:
                words.extend(part for part in self._hmm_re_skip.split(block) if part)
        return words

    def _viterbi_words(self, block: str) -> list[str]:
        """jieba.finalseg's Viterbi over B/M/E/S states, and the words its best path marks."""
        emits = self._emit(block)
        trans = self._trans
        prob = {y: self._start[y] + emits[0].get(y, MIN_FLOAT) for y in STATES}
        path = {y: [y] for y in STATES}
        for em_row in emits[1:]:
            new_prob: dict[str, float] = {}
            new_path: dict[str, list[str]] = {}
            for y in STATES:
                em = em_row.get(y, MIN_FLOAT)
                best, state = max([(prob[y0] + trans[y0].get(y, MIN_FLOAT) + em, y0) for y0 in PREV_STATES[y]])
                new_prob[y] = best
                new_path[y] = path[state] + [y]
            prob, path = new_prob, new_path
        _, last = max((prob[y], y) for y in "ES")
        words: list[str] = []
        begin = nexti = 0
        for i, pos in enumerate(path[last]):
            if pos == "B":
                begin = i
            elif pos == "E":
                words.append(block[begin:i + 1])
                nexti = i + 1
            elif pos == "S":
                words.append(block[i])
                nexti = i + 1
        if nexti < len(block):
            words.append(block[nexti:])
        return words
