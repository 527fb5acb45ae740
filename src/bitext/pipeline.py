"""Documents through the stages: read → segment → align, timed per stage, on every core."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from .aligning import align_document
from .errors import BitextError, InputError, InternalError
from .lexicon import Counts, sentence_counts
from .models import Document, Passage, Segmented
from .reading import CorpusFile, read_document
from .segmenting import segment


@dataclass(frozen=True)
class DocResult:
    """The passages of one document, with its hash, debris count and time per stage."""

    digest: str
    passages: list[Passage]
    debris: int
    counts: Counts
    stages: dict[str, float] = field(default_factory=dict)


def process_document(file: CorpusFile) -> DocResult:
    """Read, segment and align one corpus file."""
    t0 = time.perf_counter()
    doc = read_document(file)
    t1 = time.perf_counter()
    seg = segment(doc)
    t2 = time.perf_counter()
    passages = align_document(seg)
    check_nothing_lost(doc, seg, passages)
    counts = sentence_counts(passages)
    t3 = time.perf_counter()
    stages = {"read": t1 - t0, "segment": t2 - t1, "align": t3 - t2}
    return DocResult(doc.digest, passages, len(seg.debris), counts, stages)


def check_nothing_lost(doc: Document, seg: Segmented, passages: Iterable[Passage]) -> None:
    """Every non-whitespace character read must be in exactly one passage or in the counted debris.

    Multisets are compared, so a character dropped, invented or put into two
    passages is caught whatever the stages did with spacing and line breaks;
    a difference is a bug of the tool and stops the build, naming the document.
    """
    read = _visible(doc.blocks)
    kept = _visible([text for p in passages for text in (p.zh, p.en)] + seg.debris)
    if read != kept:
        lost, added = read - kept, kept - read
        raise InternalError(
            f"{doc.name}: segmenting and aligning lost {lost.total()} and added {added.total()} characters "
            f"(lost {''.join(sorted(lost))[:12]!r}, added {''.join(sorted(added))[:12]!r}); "
            "this is a bug of bitext, please report it"
        )


def _visible(texts: list[str]) -> Counter[str]:
    """How often each non-whitespace character occurs in `texts`."""
    counts = Counter("".join(texts))
    for ch in [ch for ch in counts if ch.isspace()]:
        del counts[ch]
    return counts


def _attempt(file: CorpusFile) -> DocResult | BitextError:
    """Worker entry: a bad document comes back as its error, not as a broken pool or build.

    A broken invariant (InternalError) is a bug, but one document's bug must
    not keep the others out of the index: it is skipped with its message.
    """
    try:
        return process_document(file)
    except (InputError, InternalError) as exc:
        return exc


def process_documents(files: Sequence[CorpusFile]) -> Iterator[DocResult | BitextError]:
    """Results in the order of `files`; several documents are processed in parallel processes."""
    workers = min(len(files), os.cpu_count() or 1)
    if workers <= 1 or len(files) <= 1:
        yield from map(_attempt, files)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(),)) as pool:
        try:
            yield from pool.map(_attempt, files)
        except BaseException:  # Ctrl-C or a failed document: stop the workers now, not after their current documents
            for worker in list(pool._processes.values()):  # no public handle on them before Python 3.14
                worker.terminate()  # map() has cancelled the documents not started; leaving `with` joins the pool
            raise


def _worker_start(build: int) -> None:
    """A worker leaves Ctrl-C to its build (which stops the pool) and exits when its build is killed.

    Without the watch, workers of a build killed with SIGKILL would wait for
    work forever, holding the CPU and the files they had open.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == build:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
