"""One document through the stages: read → segment → align, timed per stage."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .aligning import align_document
from .models import Passage
from .reading import CorpusFile, read_document
from .segmenting import segment


@dataclass(frozen=True)
class DocResult:
    """The passages of one document, with its hash and debris count."""

    digest: str
    passages: list[Passage]
    debris: int


def process_document(file: CorpusFile, stage_seconds: dict[str, float]) -> DocResult:
    """Read, segment and align one corpus file; adds each stage's time to `stage_seconds`."""
    t0 = time.perf_counter()
    doc = read_document(file)
    t1 = time.perf_counter()
    seg = segment(doc)
    t2 = time.perf_counter()
    passages = align_document(seg)
    t3 = time.perf_counter()
    for stage, dt in (("read", t1 - t0), ("segment", t2 - t1), ("align", t3 - t2)):
        stage_seconds[stage] = stage_seconds.get(stage, 0.0) + dt
    return DocResult(doc.digest, passages, len(seg.debris))
