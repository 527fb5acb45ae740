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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .indexing import IndexStore, passage_from_fields
from .lexicon import Counts, en_content_stems, pinyin, zh_content_words
from .models import Passage

EQUIVALENTS = "equivalents.json"
PINYIN = "pinyin.json"
COUNTS_DIR = "counts"
MIN_PAIRS = 2
MIN_DICE = 0.25
MAX_TRANSLATIONS = 8


def sentence_counts(passages: Iterable[Passage]) -> Counts:
    """Counts over every two-sided sentence pair of the passages."""
    counts = Counts()
    for p in passages:
        for bead in p.sentences:
            if bead.zh and bead.en:
                # Single characters count here: jieba cuts 云计算 as 云 + 计算 in some contexts.
                counts.add(zh_content_words(bead.zh, min_len=1), en_content_stems(bead.en))
    return counts


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def refresh(store: IndexStore) -> bool:
    """Recount documents whose hash changed and rebuild the tables; True when anything changed."""
    counts_dir = store.path / COUNTS_DIR
    counts_dir.mkdir(parents=True, exist_ok=True)
    manifest = store.manifest()
    wanted = {f"{store.key_file(name).stem}-{state.digest[:16]}.json": name for name, state in manifest.items()}
    changed = False
    for stale in counts_dir.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
            changed = True
    missing = [(file, name) for file, name in wanted.items() if not (counts_dir / file).exists()]
    if missing or not (store.path / EQUIVALENTS).exists():
        changed = True
    if not changed:
        return False
    ix = store.open()
    with ix.searcher() as searcher:
        for file, name in missing:
            passages = (passage_from_fields(f) for f in searcher.documents(doc=name))
            _write_json(counts_dir / file, sentence_counts(passages).to_json())
        vocabulary = [
            (word.decode("utf-8"), searcher.doc_frequency("zh", word))
            for word in searcher.lexicon("zh")
        ]
    total = Counts()
    for file in wanted:
        total.merge(Counts.from_json(json.loads((counts_dir / file).read_text(encoding="utf-8"))))
    _write_json(store.path / EQUIVALENTS, _table(total))
    _write_json(store.path / PINYIN, _pinyin_table(vocabulary))
    return True


def _table(counts: Counts) -> dict[str, dict[str, list[list[object]]]]:
    """Both directions, best association first: {"zh": {word: [[stem, dice, n]]}, "en": {...}}."""
    zh: dict[str, list[list[object]]] = defaultdict(list)
    en: dict[str, list[list[object]]] = defaultdict(list)
    for (z, e), (dice, n) in counts.associations(MIN_PAIRS, MIN_DICE).items():
        zh[z].append([e, round(dice, 3), n])
        en[e].append([z, round(dice, 3), n])
    for table in (zh, en):
        for key, rows in table.items():
            rows.sort(key=lambda r: (-r[1], -r[2]))
            del rows[MAX_TRANSLATIONS:]
    return {"zh": dict(zh), "en": dict(en)}


def _pinyin_table(vocabulary: list[tuple[str, int]]) -> dict[str, list[list[object]]]:
    """Toneless pinyin → indexed Chinese words with that reading, most frequent first."""
    table: dict[str, list[list[object]]] = defaultdict(list)
    for word, df in vocabulary:
        if word and all("\u4e00" <= ch <= "\u9fff" for ch in word):
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
