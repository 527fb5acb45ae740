"""Documents through the stages: read → segment → align, timed per stage, on every core."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from .aligning import align_document
from .errors import InputError
from .lexicon import Counts, sentence_counts
from .models import Passage
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
    counts = sentence_counts(passages)
    t3 = time.perf_counter()
    stages = {"read": t1 - t0, "segment": t2 - t1, "align": t3 - t2}
    return DocResult(doc.digest, passages, len(seg.debris), counts, stages)


def _attempt(file: CorpusFile) -> DocResult | InputError:
    """Worker entry: a bad document comes back as its error, not as a broken pool."""
    try:
        return process_document(file)
    except InputError as exc:
        return exc


def process_documents(files: Sequence[CorpusFile], workers: int | None = None) -> Iterator[DocResult | InputError]:
    """Results in the order of `files`; several documents are processed in parallel processes."""
    workers = workers or min(len(files), os.cpu_count() or 1)
    if workers <= 1 or len(files) <= 1:
        yield from map(_attempt, files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_attempt, files)
