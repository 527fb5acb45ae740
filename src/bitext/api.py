"""The Python API: everything the command line does, callable from code.

    from bitext.api import Bitext
    bt = Bitext("corpus", "index")
    for hit in bt.search("老赖").hits:
        print(hit.zh_excerpt, "|", hit.en_excerpt)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from . import learning
from .errors import BitextError, DamagedIndexError, InputError
from .indexing import IndexStore, Progress, write_atomic
from .locking import build_lock
from .models import BuildSummary, Equivalent, Passage, Results
from .reading import list_corpus
from .searching import Searcher


SKIPPED = "skipped.json"


def _stat(path: Path) -> list[int] | None:
    """Size and mtime that tell whether a file changed; None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def default_corpus() -> Path:
    """`./corpus`, or BITEXT_CORPUS."""
    return Path(os.environ.get("BITEXT_CORPUS", "corpus"))


def default_index() -> Path:
    """`./index`, or BITEXT_INDEX."""
    return Path(os.environ.get("BITEXT_INDEX", "index"))


class Bitext:
    """A corpus and its index; keeps the index open between queries."""

    def __init__(self, corpus: str | Path | None = None, index: str | Path | None = None) -> None:
        self.corpus = Path(corpus) if corpus is not None else default_corpus()
        self.index = Path(index) if index is not None else default_index()
        self.store = IndexStore(self.index)
        self._searcher: Searcher | None = None

    def close(self) -> None:
        """Release the open index (a later query opens it again)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> Bitext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def build(self, full: bool = False, progress: Progress | None = None) -> BuildSummary:
        """Bring the index up to date (only changed documents unless `full`)."""
        self.close()
        with build_lock(self.index, wait=False) as held:
            # Without the lock, update() reports the build running elsewhere and the tables stay its job.
            summary = self.store.update(self.corpus, full=full, progress=progress)
            if held:
                self._remember_skipped()
                learning.refresh(self.store)
        return summary

    def _learn(self) -> None:
        """Rebuild the learned tables, unless a build (which will) holds the index."""
        with build_lock(self.index, wait=False) as held:
            if held:
                learning.refresh(self.store)

    def _remember_skipped(self) -> None:
        """Note the corpus files the build could not use, so that they alone do not make the index stale."""
        files, _ = list_corpus(self.corpus)
        known = self.store.manifest()
        skipped = {f.name: _stat(f.path) for f in files if f.name not in known}
        write_atomic(self.index / SKIPPED, json.dumps(skipped, ensure_ascii=False))

    def _skipped(self) -> dict[str, list[int]]:
        try:
            return json.loads((self.index / SKIPPED).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def is_stale(self) -> bool:
        """True when the index is missing or the corpus changed since the last build."""
        if not self.store.exists():
            return True
        known = self.store.manifest()
        files, _ = list_corpus(self.corpus)
        if set(known) - {f.name for f in files}:
            return True
        skipped = self._skipped()
        for f in files:
            state = known.get(f.name)
            try:
                if state is not None and state.unchanged(f.path.stat()):
                    continue
            except OSError:
                return True
            if state is not None or skipped.get(f.name) != _stat(f.path):
                return True
        return False

    def refresh(self, progress: Progress | None = None) -> BuildSummary | None:
        """Build or update the index when the corpus changed; None when it was current."""
        if not self.corpus.is_dir():
            if self.store.exists():
                return None
            raise InputError(f"corpus folder not found: {self.corpus} (set --corpus or BITEXT_CORPUS)")
        if self.is_stale():
            return self.build(progress=progress)
        if not learning.tables_current(self.store):
            self._learn()  # a build stopped between its commit and its tables
        return None

    @property
    def searcher(self) -> Searcher:
        """The open index; an error that says to build one when there is none."""
        if self._searcher is None:
            if not self.store.exists():
                raise BitextError(f"no index at {self.index}; run `bitext build` first")
            self._searcher = Searcher(self.store)
        return self._searcher

    def search(
        self, query: str, limit: int = 10, lang: str = "auto", doc: str | None = None, pinyin: bool = False
    ) -> Results:
        """Ranked parallel excerpts; with `pinyin`, the query is toneless pinyin for Chinese words."""
        text = self.searcher.pinyin_query(query) if pinyin else query
        results = self._again(lambda: self.searcher.search(text, limit=limit, lang=lang, doc=doc))
        return Results(query, results.total, results.took_ms, results.hits) if pinyin else results

    def terms(self, term: str, limit: int = 10) -> list[Equivalent]:
        """Learned translations of a term, with counts and an example pair each."""
        return self.searcher.terms(term, limit=limit)

    def quote(self, text: str, limit: int = 10) -> Results:
        """Passages that contain a quote, up to spacing, width, case and quotes."""
        return self._again(lambda: self.searcher.quote(text, limit=limit))

    def _again(self, ask: Callable[[], Results]) -> Results:
        """Answer; if builds by other processes retired the files this open index reads, reopen once."""
        try:
            return ask()
        except DamagedIndexError:
            if self._searcher is None:
                raise
            self.close()
            return ask()

    def show(self, pid: str, context: int = 1) -> list[Passage]:
        """A passage with `context` passages either side."""
        return self.searcher.neighbours(pid, context)

    def passages(self) -> Iterator[Passage]:
        """Every passage, document by document, in document order."""
        return self.searcher.passages()

    def stats(self) -> dict[str, object]:
        """Counts of the built index, per document and in total."""
        known = self.store.manifest()
        summary = BuildSummary(documents=len(known))
        summary.count(known.values())
        weakest = sorted(
            (p for p in self.passages() if p.two_sided), key=lambda p: p.confidence
        )[:10]
        return {
            "documents": summary.documents,
            "passages": summary.passages,
            "two_sided": summary.two_sided,
            "unpaired": summary.unpaired,
            "debris": summary.debris,
            "per_document": {
                name: {"passages": s.passages, "two_sided": s.two_sided, "debris": s.debris}
                for name, s in sorted(known.items())
            },
            "weakest": [
                {"id": p.id, "confidence": p.confidence, "zh": p.zh[:80], "en": p.en[:120]}
                for p in weakest
            ],
        }
