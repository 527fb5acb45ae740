"""Small typed records that pass between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal, Protocol

Lang = Literal["zh", "en"]


class DocCounts(Protocol):
    """Per-document counts the manifest keeps."""

    passages: int
    two_sided: int
    debris: int


@dataclass(frozen=True)
class Document:
    """A corpus file read into raw blocks (paragraph candidates), in order."""

    name: str
    blocks: list[str]
    digest: str


@dataclass(frozen=True)
class Paragraph:
    """One monolingual paragraph; `order` is its place in the document."""

    order: int
    lang: Lang
    text: str


@dataclass(frozen=True)
class LinePair:
    """A line that holds both languages (table row, bilingual heading)."""

    order: int
    zh: str
    en: str


@dataclass
class Segmented:
    """A document cut into paragraphs, same-line pairs and counted debris."""

    doc: str
    paragraphs: list[Paragraph]
    line_pairs: list[LinePair]
    debris: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SentencePair:
    """Sentences of one passage that translate each other (either side may be empty)."""

    zh: str
    en: str


@dataclass
class Passage:
    """The smallest unit that carries one translation, with where it stands."""

    id: str
    doc: str
    order: int
    section: str
    zh: str
    en: str
    confidence: float
    sentences: list[SentencePair] = field(default_factory=list)

    @property
    def two_sided(self) -> bool:
        return bool(self.zh and self.en)

    def to_json(self) -> dict[str, object]:
        """The export shape of the contract."""
        return {
            "id": self.id, "doc": self.doc, "section": self.section,
            "zh": self.zh, "en": self.en, "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Hit:
    """One ranked search or quote result with its parallel excerpt."""

    rank: int
    score: float
    passage: Passage
    zh_excerpt: str
    en_excerpt: str
    zh_highlights: list[tuple[int, int]]
    en_highlights: list[tuple[int, int]]

    def to_json(self) -> dict[str, object]:
        """The hit shape of the contract's search and quote JSON."""
        p = self.passage
        return {
            "rank": self.rank,
            "score": round(self.score, 3),
            "id": p.id,
            "doc": p.doc,
            "section": p.section,
            "zh": p.zh,
            "en": p.en,
            "zh_excerpt": self.zh_excerpt,
            "en_excerpt": self.en_excerpt,
            "zh_highlights": [list(s) for s in self.zh_highlights],
            "en_highlights": [list(s) for s in self.en_highlights],
        }


@dataclass(frozen=True)
class Results:
    """The answer to one query."""

    query: str
    total: int
    took_ms: float
    hits: list[Hit]

    def to_json(self) -> dict[str, object]:
        """One object per query, as the contract gives it."""
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_json() for h in self.hits],
        }


@dataclass(frozen=True)
class Equivalent:
    """A learned translation of a term, how strongly and how often, with one example pair."""

    term: str
    translation: str
    dice: float
    count: int
    example: SentencePair | None

    def to_json(self) -> dict[str, object]:
        """The glossary row of `bitext terms --json`."""
        ex = {"zh": self.example.zh, "en": self.example.en} if self.example else None
        return {"translation": self.translation, "dice": self.dice, "count": self.count, "example": ex}


@dataclass
class BuildSummary:
    """What a build did, for the one-line report and `stats`."""

    documents: int = 0
    rebuilt: int = 0
    removed: int = 0
    passages: int = 0
    two_sided: int = 0
    unpaired: int = 0
    debris: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def count(self, docs: Iterable[DocCounts]) -> None:
        """Totals over the documents of the index."""
        for d in docs:
            self.passages += d.passages
            self.two_sided += d.two_sided
            self.unpaired += d.passages - d.two_sided
            self.debris += d.debris

    def line(self) -> str:
        """The one-line summary a build prints."""
        return (
            f"{self.documents} documents ({self.rebuilt} rebuilt, {self.removed} removed), "
            f"{self.passages} passages, {self.two_sided} two-sided, "
            f"{self.unpaired} unpaired paragraphs, {self.debris} debris lines, "
            f"{len(self.skipped)} skipped, {self.seconds:.2f} s"
        )
