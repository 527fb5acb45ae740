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
import os
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .indexing import MANIFEST, IndexStore
from .lexicon import Counts, pinyin
from .segmenting import is_han

EQUIVALENTS = "equivalents.json"
PINYIN = "pinyin.json"
COUNTS_DIR = "counts"
EQUIVALENT_MIN_PAIRS = 2
EQUIVALENT_MIN_DICE = 0.25
MAX_TRANSLATIONS = 8


def _write_json(path: Path, data: object) -> None:
    """Write a file whole or not at all (a temporary of this process, then a rename)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


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
    """Sum the counts of the indexed documents into the tables; True when anything changed."""
    counts_dir = store.path / COUNTS_DIR
    counts_dir.mkdir(parents=True, exist_ok=True)
    wanted = {counts_file(store, name, state.digest).name for name, state in store.manifest().items()}
    changed = not tables_current(store)
    for path in counts_dir.glob("*.json"):
        if path.name not in wanted:
            path.unlink(missing_ok=True)
            changed = True
    present = {p.name for p in counts_dir.glob("*.json")}
    tables_time = (store.path / EQUIVALENTS).stat().st_mtime_ns if not changed else 0
    changed = changed or any((counts_dir / n).stat().st_mtime_ns > tables_time for n in present)
    if not changed:
        return False
    total = Counts()
    for name in sorted(present & wanted):
        total.merge(Counts.from_json(json.loads((counts_dir / name).read_text(encoding="utf-8"))))
    with store.open().searcher() as searcher:
        vocabulary = [
            (word.decode("utf-8"), searcher.doc_frequency("zh", word))
            for word in searcher.lexicon("zh")
        ]
    _write_json(store.path / EQUIVALENTS, _table(total))
    _write_json(store.path / PINYIN, _pinyin_table(vocabulary))
    return True


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


def _pinyin_table(vocabulary: list[tuple[str, int]]) -> dict[str, list[list[object]]]:
    """Toneless pinyin → indexed Chinese words with that reading, most frequent first."""
    table: dict[str, list[list[object]]] = defaultdict(list)
    for word, df in vocabulary:
        if word and all(map(is_han, word)):
            table[pinyin(word)].append([word, df])
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
