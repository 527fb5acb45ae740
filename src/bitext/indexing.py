"""Indexing: passages into a Whoosh index, redoing only documents that changed.

`index/` holds the Whoosh segment files, a manifest of the documents it was
built from (size, mtime and content hash of each) and, per document, a file of
normalised passage keys that quote lookup scans.

A build never changes what a reader sees until it is complete. Whoosh switches
generations atomically when it renames its new table of contents; the manifest
names the generation it describes, and each build writes its keys under new
names and its manifest as `manifest.next.json` before that commit, then moves
it over `manifest.json`. A reader takes whichever manifest names the generation
Whoosh shows, so a build killed at any moment leaves the last complete index.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BitextError, BusyError, DamagedIndexError
from .models import BuildSummary, Passage, SentencePair

FORMAT = 3
MANIFEST = "manifest.json"
NEXT_MANIFEST = "manifest.next.json"
KEYS_DIR = "keys"
WHOOSH_DIR = "whoosh"
INDEX_NAME = "passages"

if TYPE_CHECKING:
    from .reading import CorpusFile

Progress = Callable[[str, int, int], None]


def write_atomic(path: Path, text: str) -> None:
    """Write a file of the index whole or not at all: a temporary of this process, then a rename."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


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
    keys: str  # its quote-key file in keys/, named for the generation that wrote it

    def unchanged(self, st: os.stat_result) -> bool:
        """Whether a file's size and mtime are still those this document was built from."""
        return (self.size, self.mtime_ns) == (st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class IndexState:
    """One manifest: the Whoosh generation it describes and the documents in it."""

    generation: int
    documents: dict[str, DocState]


@dataclass
class BusySummary(BuildSummary):
    """What a build returns while another process is building: nothing done, the last complete index answers."""

    index: str = ""

    def line(self) -> str:
        """Said where a build's summary would be: why nothing was done, and what answers instead."""
        return (
            f"not yet: another build of {self.index} is in progress; answering from the last complete index "
            f"({self.documents} documents, {self.passages} passages)"
        )


class IndexStore:
    """The index folder: opening, checking, and incremental updating."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.whoosh_path = path / WHOOSH_DIR
        self.keys_path = path / KEYS_DIR
        self._pinned: IndexState | None = None  # the state `open()` found: its searcher's quote keys

    # -- manifest -------------------------------------------------------------

    def manifest(self) -> dict[str, DocState]:
        """Documents of the last completed build; empty when there is none (or it is of another format)."""
        state = self.state()
        return dict(state.documents) if state else {}

    def state(self) -> IndexState | None:
        """The manifest of the Whoosh generation on disk; None when no build of this format completed.

        Either `manifest.json` or, after a commit whose switch a killed build did
        not finish, `manifest.next.json` names that generation; a manifest naming
        none is damage. Looks twice more when a build switches during the look.
        """
        for _ in range(3):
            generation: int | None = None
            for name in (MANIFEST, NEXT_MANIFEST):
                state = self._load(name)
                if state is None:
                    continue
                if generation is None:
                    generation = self._open_whoosh().latest_generation()
                if state.generation == generation:
                    return state
            if generation is None:
                return None
        raise DamagedIndexError(
            f"index manifest {self.path / MANIFEST} does not match the Whoosh index; run `bitext build --full`"
        )

    def _load(self, name: str) -> IndexState | None:
        """Parse one manifest file; None when it is missing or of another format."""
        path = self.path / name
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                return None
            docs = {doc: DocState(**fields) for doc, fields in raw["documents"].items()}
            return IndexState(int(raw["generation"]), docs)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DamagedIndexError(f"index manifest {path} is damaged; run `bitext build --full`") from exc

    def _write_manifest(self, name: str, state: IndexState) -> None:
        """Write a manifest file whole, or not at all."""
        docs = {doc: s.__dict__ for doc, s in sorted(state.documents.items())}
        data = {"format": FORMAT, "generation": state.generation, "documents": docs}
        write_atomic(self.path / name, json.dumps(data, ensure_ascii=False, indent=1))

    def _settle(self) -> None:
        """Finish the manifest switch of a build killed after its commit, or drop the next manifest of one killed before."""
        try:
            state = self._load(NEXT_MANIFEST)
            done = state is not None and state.generation == self._open_whoosh().latest_generation()
        except DamagedIndexError:
            done = False
        if done:
            os.replace(self.path / NEXT_MANIFEST, self.path / MANIFEST)
        else:
            (self.path / NEXT_MANIFEST).unlink(missing_ok=True)

    def readable(self) -> bool:
        """Whether manifest, Whoosh index and quote keys all read; an unreadable index is rebuilt whole."""
        try:
            if self.state() is None:
                return False
            with self._open_whoosh().searcher():
                pass
            for _ in self.iter_keys():
                pass
            return True
        except Exception:  # any failure to read means the index cannot be updated in place
            return False

    def exists(self) -> bool:
        """Whether a build completed here once (a manifest and a Whoosh folder)."""
        return (self.path / MANIFEST).exists() and self.whoosh_path.is_dir()

    # -- reading --------------------------------------------------------------

    def open(self):  # noqa: ANN201 - whoosh Index
        """Open the Whoosh index and hold on to its manifest, or say in one line how to repair it.

        `iter_keys()` then reads the keys that manifest names, so a searcher and
        its quote keys stay of one build while another one commits.
        """
        ix = self._open_whoosh()
        self._pinned = self.state()
        return ix

    def _open_whoosh(self):  # noqa: ANN202 - whoosh Index
        from whoosh import index

        try:
            return index.open_dir(str(self.whoosh_path), indexname=INDEX_NAME)
        except Exception as exc:  # whoosh raises many kinds on damaged files
            raise DamagedIndexError(
                f"index at {self.path} is damaged or unreadable ({exc.__class__.__name__}); "
                "run `bitext build --full`"
            ) from exc

    def key_file(self, doc: str) -> Path:
        """The stable name of a document's quote keys; each build writes them as `<stem>-<generation>.jsonl`."""
        import hashlib

        return self.keys_path / (hashlib.sha1(doc.encode("utf-8")).hexdigest() + ".jsonl")

    def iter_keys(self) -> Iterable[tuple[str, str, str]]:
        """(passage id, zh key, en key) for every passage, document by document."""
        state = self._pinned or self.state()
        if state is None:
            return
        for doc, doc_state in sorted(state.documents.items()):
            try:
                with (self.keys_path / doc_state.keys).open(encoding="utf-8") as fh:
                    rows = [_key_row(line) for line in fh]
            except (OSError, ValueError) as exc:  # a missing file, bad JSON, rows of the wrong shape
                raise DamagedIndexError(
                    f"quote keys of {doc} in {self.keys_path} are damaged or missing; run `bitext build --full`"
                ) from exc
            yield from rows

    # -- writing --------------------------------------------------------------

    def update(
        self,
        corpus: Path,
        full: bool = False,
        progress: Progress | None = None,
    ) -> BuildSummary:
        """Bring the index up to date with `corpus`; only changed documents are redone.

        One build at a time: while another process builds, this returns a
        BusySummary and the last complete index keeps answering (BusyError
        when there is none yet).
        """
        from .locking import build_lock
        from .reading import list_corpus

        started = time.perf_counter()
        files, skipped = list_corpus(corpus)
        with build_lock(self.path, wait=False) as held:
            if not held:
                return self._busy()
            self._pinned = None
            self._settle()
            summary = self._build(files, full, progress)
        summary.skipped[:0] = skipped
        summary.seconds = time.perf_counter() - started
        return summary

    def _busy(self) -> BusySummary:
        """The last complete index, untouched, for a build that found another one running."""
        try:
            state = self.state()
        except DamagedIndexError:
            state = None
        if state is None:
            raise BusyError(f"another build is creating the index at {self.path}; try again when it ends")
        summary = BusySummary(documents=len(state.documents), index=str(self.path))
        summary.count(state.documents.values())
        return summary

    def _build(self, files: list[CorpusFile], full: bool, progress: Progress | None) -> BuildSummary:
        """Redo what changed, under the build lock: keys and next manifest first, then commit, then switch."""
        from whoosh import index
        from whoosh.writing import CLEAR

        from .learning import save_counts
        from .pipeline import process_documents

        summary = BuildSummary()
        usable = self.readable()
        previous = self.manifest() if usable else {}
        fresh = full or not usable
        old = {} if fresh else previous
        if usable:
            ix = self._open_whoosh()
        else:  # nothing worth keeping: start a new Whoosh index in place
            self.whoosh_path.mkdir(parents=True, exist_ok=True)
            ix = index.create_in(str(self.whoosh_path), schema(), indexname=INDEX_NAME)
        self.keys_path.mkdir(exist_ok=True)
        new_state: dict[str, DocState] = {}
        todo = []
        stats: dict[str, os.stat_result] = {}
        for f in files:
            try:
                st = f.path.stat()  # before reading: a change made while the build reads shows as one next time
            except OSError as exc:
                summary.skipped.append(f"{f.name}: cannot be read ({exc.strerror or exc}), skipped")
                continue
            prev = old.get(f.name)
            if prev and prev.unchanged(st):
                new_state[f.name] = prev
            elif prev and _same_content(f, prev.digest):
                new_state[f.name] = replace(prev, size=st.st_size, mtime_ns=st.st_mtime_ns)
            else:
                todo.append(f)
                stats[f.name] = st
        removed = [name for name in previous if name not in new_state and name not in stats]
        # Whoosh's own write lock is an flock, which the worker processes would inherit and a killed
        # build leave held; the build lock already keeps writers apart.
        writer = ix.writer(_lk=False)
        try:
            for name in removed:
                writer.delete_by_term("doc", name)
            if progress:
                progress(todo[0].name if todo else "", 0, len(todo))
            for n, (f, result) in enumerate(zip(todo, process_documents(todo)), 1):
                if progress:
                    progress(f.name, n, len(todo))
                if isinstance(result, BitextError):
                    summary.skipped.append(str(result))
                    writer.delete_by_term("doc", f.name)
                    continue
                for stage, seconds in result.stages.items():
                    summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
                st = stats[f.name]
                t = time.perf_counter()
                writer.delete_by_term("doc", f.name)
                for p in result.passages:
                    writer.add_document(**_fields(p))
                keys = self._write_keys(f.name, writer.generation, result.passages)
                save_counts(self, f.name, result.digest, result.counts)
                summary.stage_seconds["index"] = summary.stage_seconds.get("index", 0.0) + time.perf_counter() - t
                summary.rebuilt += 1
                two_sided = sum(p.two_sided for p in result.passages)
                new_state[f.name] = DocState(
                    st.st_size, st.st_mtime_ns, result.digest, len(result.passages), two_sided, result.debris, keys
                )
            if progress:
                progress("", len(todo), len(todo))
            t = time.perf_counter()
            self._write_manifest(NEXT_MANIFEST, IndexState(writer.generation, new_state))
            writer.commit(mergetype=CLEAR if fresh else None)  # CLEAR: the new segment replaces all others
            summary.stage_seconds["commit"] = time.perf_counter() - t
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        os.replace(self.path / NEXT_MANIFEST, self.path / MANIFEST)
        self._remove_unused_keys([*previous.values(), *new_state.values()])
        summary.removed = len(removed)
        summary.documents = len(new_state)
        summary.count(new_state.values())
        return summary

    def _write_keys(self, doc: str, generation: int, passages: list[Passage]) -> str:
        """Write a document's quote keys under a name of this generation (readers of the last one keep theirs)."""
        name = f"{self.key_file(doc).stem}-{generation}.jsonl"
        rows = (json.dumps([p.id, quote_key(p.zh)[0], quote_key(p.en)[0]], ensure_ascii=False) for p in passages)
        write_atomic(self.keys_path / name, "".join(row + "\n" for row in rows))
        return name

    def _remove_unused_keys(self, keep: Iterable[DocState]) -> None:
        """Delete key files that neither the new nor the previous manifest names (a reader may hold the previous)."""
        wanted = {state.keys for state in keep}
        for path in self.keys_path.iterdir():
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def _key_row(line: str) -> tuple[str, str, str]:
    """One line of a key file: [passage id, zh key, en key], or ValueError."""
    row = json.loads(line)
    if not (isinstance(row, list) and len(row) == 3 and all(isinstance(item, str) for item in row)):
        raise ValueError(f"not a row of quote keys: {line[:60]!r}")
    return row[0], row[1], row[2]


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
