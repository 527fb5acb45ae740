"""Indexing: passages into a Whoosh index, redoing only documents that changed.

`index/` holds the Whoosh segment files, a manifest of the documents it was
built from (size, mtime and content hash of each) and, per document, a file of
normalised passage keys that quote lookup scans.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BitextError, BusyError, DamagedIndexError, InputError
from .models import BuildSummary, Passage, SentencePair

FORMAT = 2
MANIFEST = "manifest.json"
KEYS_DIR = "keys"
WHOOSH_DIR = "whoosh"
INDEX_NAME = "passages"

if TYPE_CHECKING:
    from .reading import CorpusFile

Progress = Callable[[str, int, int], None]


def schema():  # noqa: ANN201 - whoosh Schema
    """Chinese side analysed by jieba (search mode, word positions), English stemmed."""
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

    from .analysis import en_analyzer, zh_analyzer

    return Schema(
        id=ID(stored=True, unique=True),
        doc=ID(stored=True),
        order=NUMERIC(stored=True, sortable=True),
        section=STORED(),
        zh=TEXT(analyzer=zh_analyzer(), stored=True, phrase=True, multitoken_query="and"),
        en=TEXT(analyzer=en_analyzer(), stored=True, phrase=True),
        confidence=STORED(),
        sentences=STORED(),
    )


def quote_key(text: str) -> tuple[str, list[int]]:
    """Text folded for quote lookup, with the source offset of every kept character.

    Whitespace, punctuation and control characters are dropped; width, case,
    quotes and traditional/simplified forms are folded by `normalize`.
    """
    from .analysis import normalize

    folded = normalize(text)
    keep = [i for i, ch in enumerate(folded) if unicodedata.category(ch)[0] not in "PZC"]
    return "".join(folded[i] for i in keep), keep


@dataclass(frozen=True)
class DocState:
    """What the manifest remembers of one document."""

    size: int
    mtime_ns: int
    digest: str
    passages: int
    two_sided: int
    debris: int


class IndexStore:
    """The index folder: opening, checking, and incremental updating."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.whoosh_path = path / WHOOSH_DIR
        self.keys_path = path / KEYS_DIR

    # -- manifest -------------------------------------------------------------

    def manifest(self) -> dict[str, DocState]:
        """Documents of the last completed build; empty when there is none."""
        path = self.path / MANIFEST
        if not path.exists():
            return {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                return {}
            return {name: DocState(**state) for name, state in raw["documents"].items()}
        except (ValueError, KeyError, TypeError) as exc:
            raise DamagedIndexError(
                f"index manifest {path} is damaged; run `bitext build --full`"
            ) from exc

    def _write_manifest(self, docs: dict[str, DocState]) -> None:
        data = {"format": FORMAT, "documents": {n: s.__dict__ for n, s in sorted(docs.items())}}
        tmp = self.path / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path / MANIFEST)

    def readable(self) -> bool:
        """Whether the manifest and the Whoosh index open; a damaged index is rebuilt whole."""
        try:
            self.manifest()
            with self.open().searcher():
                return True
        except Exception:  # any failure to read means the index cannot be updated in place
            return False

    def exists(self) -> bool:
        return (self.path / MANIFEST).exists() and self.whoosh_path.is_dir()

    # -- reading --------------------------------------------------------------

    def open(self):  # noqa: ANN201 - whoosh Index
        """Open the Whoosh index, or say in one line how to repair it."""
        from whoosh import index

        try:
            return index.open_dir(str(self.whoosh_path), indexname=INDEX_NAME)
        except Exception as exc:  # whoosh raises many kinds on damaged files
            raise DamagedIndexError(
                f"index at {self.path} is damaged or unreadable ({exc.__class__.__name__}); "
                "run `bitext build --full`"
            ) from exc

    def key_file(self, doc: str) -> Path:
        import hashlib

        return self.keys_path / (hashlib.sha1(doc.encode("utf-8")).hexdigest() + ".jsonl")

    def iter_keys(self) -> Iterable[tuple[str, str, str]]:
        """(passage id, zh key, en key) for every passage, document by document."""
        if not self.keys_path.is_dir():
            return
        for path in sorted(self.keys_path.glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    pid, zk, ek = json.loads(line)
                    yield pid, zk, ek

    # -- writing --------------------------------------------------------------

    def update(
        self,
        corpus: Path,
        full: bool = False,
        progress: Progress | None = None,
    ) -> BuildSummary:
        """Bring the index up to date with `corpus`; only changed documents are redone."""
        from whoosh import index
        from whoosh.index import LockError

        from .learning import save_counts
        from .pipeline import process_documents
        from .reading import list_corpus

        started = time.perf_counter()
        summary = BuildSummary()
        files, summary.skipped = list_corpus(corpus)
        self.path.mkdir(parents=True, exist_ok=True)
        self.keys_path.mkdir(exist_ok=True)
        fresh = full or not self.exists() or not self.readable()
        old = {} if fresh else self.manifest()
        if fresh:
            self.whoosh_path.mkdir(exist_ok=True)
            ix = index.create_in(str(self.whoosh_path), schema(), indexname=INDEX_NAME)
            for stale in self.keys_path.glob("*.jsonl"):
                stale.unlink()
        else:
            ix = self.open()
        current = {f.name: f for f in files}
        new_state: dict[str, DocState] = {}
        todo = []
        for f in files:
            st = f.path.stat()
            prev = old.get(f.name)
            if prev and prev.size == st.st_size and prev.mtime_ns == st.st_mtime_ns:
                new_state[f.name] = prev
            elif prev and _same_content(f, prev.digest):
                new_state[f.name] = DocState(
                    st.st_size, st.st_mtime_ns, prev.digest, prev.passages, prev.two_sided, prev.debris
                )
            else:
                todo.append(f)
        removed = [name for name in old if name not in current]
        try:
            writer = ix.writer(timeout=0.5)
        except LockError as exc:
            raise BusyError(f"another build is updating {self.path}; try again when it ends") from exc
        try:
            for name in removed:
                writer.delete_by_term("doc", name)
                self.key_file(name).unlink(missing_ok=True)
            if progress:
                progress(todo[0].name if todo else "", 0, len(todo))
            for n, (f, result) in enumerate(zip(todo, process_documents(todo)), 1):
                if progress:
                    progress(f.name, n, len(todo))
                if isinstance(result, InputError):
                    summary.skipped.append(str(result))
                    writer.delete_by_term("doc", f.name)
                    self.key_file(f.name).unlink(missing_ok=True)
                    continue
                for stage, seconds in result.stages.items():
                    summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
                st = f.path.stat()
                t = time.perf_counter()
                writer.delete_by_term("doc", f.name)
                for p in result.passages:
                    writer.add_document(**_fields(p))
                self._write_keys(f.name, result.passages)
                save_counts(self, f.name, result.digest, result.counts)
                summary.stage_seconds["index"] = summary.stage_seconds.get("index", 0.0) + time.perf_counter() - t
                summary.rebuilt += 1
                two_sided = sum(p.two_sided for p in result.passages)
                new_state[f.name] = DocState(
                    st.st_size, st.st_mtime_ns, result.digest, len(result.passages), two_sided, result.debris
                )
            if progress:
                progress("", len(todo), len(todo))
            t = time.perf_counter()
            writer.commit(optimize=fresh)
            summary.stage_seconds["commit"] = time.perf_counter() - t
        except BaseException:
            writer.cancel()
            raise
        self._write_manifest(new_state)
        summary.removed = len(removed)
        summary.documents = len(new_state)
        summary.count(new_state.values())
        summary.seconds = time.perf_counter() - started
        return summary

    def _write_keys(self, doc: str, passages: list[Passage]) -> None:
        path = self.key_file(doc)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for p in passages:
                row = [p.id, quote_key(p.zh)[0], quote_key(p.en)[0]]
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, path)


def _same_content(file: CorpusFile, digest: str) -> bool:
    """Whether a file whose size or mtime changed still has the content hash `digest`."""
    from .reading import file_digest

    try:
        return file_digest(file.path.read_bytes()) == digest
    except OSError:
        return False


def _fields(p: Passage) -> dict[str, object]:
    return {
        "id": p.id,
        "doc": p.doc,
        "order": p.order,
        "section": p.section,
        "zh": p.zh,
        "en": p.en,
        "confidence": p.confidence,
        "sentences": [[s.zh, s.en] for s in p.sentences],
    }


def passage_from_fields(fields: dict[str, object]) -> Passage:
    """Rebuild a Passage from Whoosh stored fields."""
    return Passage(
        id=str(fields["id"]),
        doc=str(fields["doc"]),
        order=int(fields["order"]),  # type: ignore[arg-type]
        section=str(fields.get("section", "")),
        zh=str(fields["zh"]),
        en=str(fields["en"]),
        confidence=float(fields.get("confidence", 0.0)),  # type: ignore[arg-type]
        sentences=[SentencePair(z, e) for z, e in fields.get("sentences", [])],  # type: ignore[union-attr]
    )


def require_index(path: Path) -> IndexStore:
    """An IndexStore that exists, or an error that says to build one."""
    store = IndexStore(path)
    if not store.exists():
        raise BitextError(f"no index at {path}; run `bitext build` first")
    return store
