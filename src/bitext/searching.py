"""Searching: keyword queries and quote lookup over the index, with excerpts.

A hit's excerpt is the sentence bead of its passage that matches the query
best, shown with the sentence(s) that translate it; highlights are character
spans of the query's words inside each excerpt.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

from .analysis import en_analyzer, zh_tokens
from .errors import BitextError, DamagedIndexError, InputError
from .indexing import IndexStore, passage_from_fields, quote_key
from .models import Hit, Passage, Results, SentencePair

LANG_FIELDS = {"auto": ["zh", "en"], "zh": ["zh"], "en": ["en"]}
_SYNTAX = re.compile(r"[\"'“”‘’:()\[\]{}^~*?+\-!]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")

Span = tuple[int, int]


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping union of character spans."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def zh_matches(text: str, terms: set[str]) -> list[tuple[str, Span]]:
    """(term, span) for each jieba token of `text` that is among `terms`."""
    if not terms or not text:
        return []
    return [(tok, (s, e)) for tok, _, s, e in zh_tokens(text) if tok in terms]


def en_matches(text: str, terms: set[str]) -> list[tuple[str, Span]]:
    """(stem, span) for each English word of `text` whose stem is among `terms`."""
    if not terms or not text:
        return []
    tokens = en_analyzer()(text, chars=True, removestops=False)
    return [(t.text, (t.startchar, t.endchar)) for t in tokens if t.text in terms]


class Searcher:
    """An open index answering searches, quotes and look-ups until closed."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self.ix = store.open()
        try:
            self.searcher = self.ix.searcher()
        except Exception as exc:  # unreadable segment files fail in struct, OS or EOF errors
            raise DamagedIndexError(
                f"index at {store.path} is damaged ({exc.__class__.__name__}); run `bitext build --full`"
            ) from exc

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- keyword search -------------------------------------------------------

    def parse(self, text: str, lang: str = "auto"):  # noqa: ANN201 - whoosh Query
        """Whoosh syntax when it parses; otherwise the same words as plain terms."""
        from whoosh.qparser import MultifieldParser, OrGroup

        if lang not in LANG_FIELDS:
            raise InputError(f"unknown --lang {lang!r}: use auto, zh or en")
        parser = MultifieldParser(LANG_FIELDS[lang], self.ix.schema, group=OrGroup)
        try:
            return parser.parse(text)
        except Exception:  # whoosh's parser fails in many ways on odd input
            return parser.parse(_SYNTAX.sub(" ", text))

    def search(self, text: str, limit: int = 10, lang: str = "auto", doc: str | None = None) -> Results:
        """Ranked passages for a query in either language, or both."""
        from whoosh.query import NullQuery, Term

        started = time.perf_counter()
        if limit < 1:
            raise InputError("--limit must be at least 1")
        q = self.parse(text, lang)
        if q is NullQuery or not list(q.iter_all_terms()):
            return Results(text, 0, _ms(started), [])
        filt = Term("doc", doc) if doc else None
        try:
            found = self.searcher.search(q, limit=limit, filter=filt, terms=True)
        except Exception as exc:  # a query whoosh builds but cannot run
            raise InputError(f"query cannot be searched: {text!r} ({exc.__class__.__name__})") from exc
        terms: dict[str, set[str]] = {"zh": set(), "en": set()}
        for field, term in q.iter_all_terms():
            if field in terms:
                terms[field].add(term.decode("utf-8") if isinstance(term, bytes) else term)
        hits = [
            _keyword_hit(rank, hit.score, passage_from_fields(hit.fields()), terms)
            for rank, hit in enumerate(found, 1)
        ]
        return Results(text, len(found), _ms(started), hits)

    # -- quote lookup ---------------------------------------------------------

    def quote(self, text: str, limit: int = 10) -> Results:
        """Passages that contain `text` exactly, up to spacing, width, case and quotes.

        The passage the quote fills most of comes first: a heading before the
        table of contents that repeats it.
        """
        started = time.perf_counter()
        key, _ = quote_key(text)
        if not key:
            raise InputError("nothing to look up: the quote has no letters or digits")
        found = [
            (len(key) / max(len(zk if key in zk else ek), 1), pid)
            for pid, zk, ek in self.store.iter_keys()
            if key in zk or key in ek
        ]
        found.sort(key=lambda f: -f[0])
        hits = []
        for score, pid in found[:limit]:
            passage = self.get(pid)
            if passage is not None:
                hits.append(_quote_hit(len(hits) + 1, score, passage, key))
        return Results(text, len(found), _ms(started), hits)

    # -- direct access --------------------------------------------------------

    def get(self, pid: str) -> Passage | None:
        fields = self.searcher.document(id=pid)
        return passage_from_fields(fields) if fields else None

    def neighbours(self, pid: str, context: int = 1) -> list[Passage]:
        """The passage `pid` with `context` passages either side, in document order."""
        from whoosh.query import And, NumericRange, Term

        passage = self.get(pid)
        if passage is None:
            raise BitextError(f"no passage with id {pid!r}; ids look like DOC#0042 (see search --json)")
        q = And([Term("doc", passage.doc), NumericRange("order", passage.order - context, passage.order + context)])
        found = self.searcher.search(q, limit=None, sortedby="order")
        return [passage_from_fields(h.fields()) for h in found]

    def passages(self) -> Iterator[Passage]:
        """Every passage, document by document, in document order."""
        rows = [passage_from_fields(f) for f in self.searcher.all_stored_fields()]
        rows.sort(key=lambda p: (p.doc, p.order))
        yield from rows


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _beads(passage: Passage) -> list[SentencePair]:
    return passage.sentences or [SentencePair(passage.zh, passage.en)]


def _keyword_hit(rank: int, score: float, passage: Passage, terms: dict[str, set[str]]) -> Hit:
    """Pick the sentence bead with most query words and highlight them on both sides."""
    best: tuple[int, SentencePair, list[Span], list[Span]] | None = None
    for bead in _beads(passage):
        zm = zh_matches(bead.zh, terms["zh"])
        em = en_matches(bead.en, terms["en"])
        found = len({t for t, _ in zm} | {t for t, _ in em})
        if best is None or found > best[0]:
            best = (found, bead, merge_spans([s for _, s in zm]), merge_spans([s for _, s in em]))
    assert best is not None
    _, bead, zs, es = best
    return Hit(rank, score, passage, bead.zh, bead.en, zs, es)


def _quote_hit(rank: int, score: float, passage: Passage, key: str) -> Hit:
    """The bead (or run of beads) holding the quote, with the quote highlighted."""
    beads = _beads(passage)
    for width in range(1, len(beads) + 1):
        for start in range(len(beads) - width + 1):
            group = beads[start:start + width]
            zh = "".join(b.zh for b in group)
            en = " ".join(b.en for b in group if b.en)
            for side, text in (("zh", zh), ("en", en)):
                folded, offsets = quote_key(text)
                at = folded.find(key)
                if at >= 0:
                    span = [(offsets[at], offsets[at + len(key) - 1] + 1)]
                    zs, es = (span, []) if side == "zh" else ([], span)
                    return Hit(rank, score, passage, zh, en, zs, es)
    return Hit(rank, score, passage, passage.zh, passage.en, [], [])


def open_searcher(index: Path) -> Searcher:
    """A Searcher over an existing index."""
    from .indexing import require_index

    return Searcher(require_index(index))
