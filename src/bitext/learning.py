"""Learning from the built index: translation equivalents and the pinyin vocabulary.

After each build, co-occurrence counts of Chinese words and English stems over
the aligned sentence pairs are kept per document (keyed by its content hash,
so an incremental build recounts only what changed) and summed into a table of
equivalents that search uses to highlight the translation of a query. The
pinyin vocabulary maps toneless pinyin to the indexed Chinese words, for
queries typed without a Chinese input method.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .indexing import MANIFEST, IndexStore, write_atomic
from .lexicon import Counts, pinyin
from .segmenting import is_han

EQUIVALENTS = "equivalents.json"
PINYIN = "pinyin.json"
COUNTS_DIR = "counts"
TOTAL = "counts-total.json"
EQUIVALENT_MIN_PAIRS = 2
EQUIVALENT_MIN_DICE = 0.25
MAX_TRANSLATIONS = 8


def _write_json(path: Path, data: object) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False))


def counts_file(store: IndexStore, doc: str, digest: str) -> Path:
    """Where a document's counts live; the content hash in the name retires stale ones."""
    return store.path / COUNTS_DIR / f"{store.key_file(doc).stem}-{digest[:16]}.json"


def save_counts(store: IndexStore, doc: str, digest: str, counts: Counts) -> None:
    """Keep one document's counts, replacing those of its earlier versions."""
    path = counts_file(store, doc, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_json(path, counts.to_json())


def tables_current(store: IndexStore) -> bool:
    """Whether both learned tables exist and are newer than the last build's manifest."""
    try:
        built = (store.path / MANIFEST).stat().st_mtime_ns
        return all((store.path / name).stat().st_mtime_ns >= built for name in (EQUIVALENTS, PINYIN))
    except OSError:
        return False


def refresh(store: IndexStore) -> bool:
    """Bring the tables up to date with the indexed documents; True when anything changed.

    A running total of all documents' counts is kept, so a build that changed
    one document of many reads two counts files, not all of them.
    """
    counts_dir = store.path / COUNTS_DIR
    counts_dir.mkdir(parents=True, exist_ok=True)
    wanted = {counts_file(store, name, state.digest).name for name, state in store.manifest().items()}
    on_disk = {p.name for p in counts_dir.glob("*.json")}
    total, included = _load_total(store)
    leaving = included - wanted
    if any(name not in on_disk for name in leaving):  # cannot take back what is gone: count afresh
        total, included, leaving = Counts(), set(), set()
    arriving = (wanted & on_disk) - included
    if not leaving and not arriving and tables_current(store):
        _forget(counts_dir, on_disk - wanted)
        return False
    for name in leaving:
        total.remove(_load_counts(counts_dir / name))
    for name in arriving:
        total.merge(_load_counts(counts_dir / name))
    included = (included - leaving) | arriving
    _write_json(store.path / TOTAL, {"included": sorted(included), "counts": total.to_json(prune=False)})
    _forget(counts_dir, on_disk - wanted)
    with store.open().searcher() as searcher:
        vocabulary = [
            (word.decode("utf-8"), searcher.doc_frequency("zh", word))
            for word in searcher.lexicon("zh")
        ]
    _write_json(store.path / EQUIVALENTS, _table(total))
    _write_json(store.path / PINYIN, _pinyin_table(vocabulary, Tables(store.path).pinyin))
    return True


def _load_counts(path: Path) -> Counts:
    return Counts.from_json(json.loads(path.read_text(encoding="utf-8")))


def _load_total(store: IndexStore) -> tuple[Counts, set[str]]:
    """The running total and the counts files it holds; empty when missing or damaged."""
    try:
        data = json.loads((store.path / TOTAL).read_text(encoding="utf-8"))
        return Counts.from_json(data["counts"]), set(data["included"])
    except (OSError, ValueError, KeyError, TypeError):
        return Counts(), set()


def _forget(counts_dir: Path, names: set[str]) -> None:
    """Delete counts files of documents no longer indexed (after the total let go of them)."""
    for name in names:
        (counts_dir / name).unlink(missing_ok=True)


def _table(counts: Counts) -> dict[str, dict[str, list[list[object]]]]:
    """Both directions, best association first: {"zh": {word: [[stem, dice, n]]}, "en": {...}}."""
    zh: dict[str, list[list[object]]] = defaultdict(list)
    en: dict[str, list[list[object]]] = defaultdict(list)
    for (z, e), (dice, n) in counts.associations(EQUIVALENT_MIN_PAIRS, EQUIVALENT_MIN_DICE).items():
        zh[z].append([e, round(dice, 3), n])
        en[e].append([z, round(dice, 3), n])
    for table in (zh, en):
        for rows in table.values():
            rows.sort(key=lambda r: (-r[1], -r[2]))
            del rows[MAX_TRANSLATIONS:]
    return {"zh": dict(zh), "en": dict(en)}


def _pinyin_table(
    vocabulary: list[tuple[str, int]], previous: dict[str, list[list[object]]]
) -> dict[str, list[list[object]]]:
    """Toneless pinyin → indexed Chinese words with that reading, most frequent first.

    Readings already in the previous table are reused: only new words are looked up.
    """
    known = {str(word): reading for reading, rows in previous.items() for word, _ in rows}
    table: dict[str, list[list[object]]] = defaultdict(list)
    for word, df in vocabulary:
        if word and all(map(is_han, word)):
            table[known.get(word) or pinyin(word)].append([word, df])
    for rows in table.values():
        rows.sort(key=lambda r: -r[1])
    return dict(table)


@dataclass
class Tables:
    """The learned tables of one index, loaded on first use."""

    path: Path

    def _load(self, name: str) -> dict:  # type: ignore[type-arg]
        file = self.path / name
        if not file.exists():
            return {}
        try:
            return json.loads(file.read_text(encoding="utf-8"))
        except ValueError:
            return {}

    @cached_property
    def equivalents(self) -> dict[str, dict[str, list[list[object]]]]:
        return self._load(EQUIVALENTS) or {"zh": {}, "en": {}}

    @cached_property
    def pinyin(self) -> dict[str, list[list[object]]]:
        return self._load(PINYIN)

    def translations(self, field: str, term: str) -> list[list[object]]:
        """[other-side term, dice, count] rows for a Chinese word ('zh') or an English stem ('en')."""
        return self.equivalents.get(field, {}).get(term, [])
