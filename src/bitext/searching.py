"""Searching: keyword queries and quote lookup over the index, with excerpts.

A hit's excerpt is the sentence bead of its passage that matches the query
best, shown with the sentence(s) that translate it; highlights are character
spans of the query's words inside each excerpt.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .analysis import en_analyzer, zh_tokens
from .errors import BitextError, DamagedIndexError, InputError
from .indexing import IndexStore, passage_from_fields, quote_key
from .learning import Tables
from .segmenting import is_han
from .models import Equivalent, Hit, Passage, Results, SentencePair

MAX_QUERY_CHARS = 1000  # Whoosh's parser is quadratic on long unbroken text
MIN_HIGHLIGHT_DICE = 0.3
RELATIVE_HIGHLIGHT_DICE = 0.6
TRANSLATION_WEIGHT = 0.25
TRANSLATION_BOOST = 0.5
PINYIN_ALTERNATIVES = 4
LANG_FIELDS = {"auto": ["zh", "en"], "zh": ["zh"], "en": ["en"]}
_SYNTAX = re.compile(r"[\"'“”‘’:()\[\]{}^~*?+\-!]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")

Span = tuple[int, int]


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping union of character spans."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def zh_matches(text: str, terms: set[str]) -> list[tuple[str, Span]]:
    """(term, span) for each word of `text` holding a token among `terms`.

    The span is the whole word, so a sub-word match (信用 in 芝麻信用) marks
    the word a reader sees.
    """
    if not terms or not text:
        return []
    words: dict[int, Span] = {}
    found: dict[int, str] = {}
    for tok, pos, start, end in zh_tokens(text):
        a, b = words.get(pos, (start, end))
        words[pos] = (min(a, start), max(b, end))
        if tok in terms:
            found.setdefault(pos, tok)
    return [(tok, words[pos]) for pos, tok in found.items()]


def en_matches(text: str, terms: set[str]) -> list[tuple[str, Span]]:
    """(stem, span) for each English word of `text` whose stem is among `terms`."""
    if not terms or not text:
        return []
    tokens = en_analyzer()(text, chars=True, removestops=False)
    return [(t.text, (t.startchar, t.endchar)) for t in tokens if t.text in terms]


@dataclass(frozen=True)
class Targets:
    """What to highlight on each side: the query's own terms and their learned translations."""

    zh: set[str]
    en: set[str]
    zh_translations: set[str]
    en_translations: set[str]


class Searcher:
    """An open index answering searches, quotes and look-ups until closed."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self.tables = Tables(store.path)
        self.ix = store.open()
        try:
            self.searcher = self.ix.searcher()
        except Exception as exc:  # unreadable segment files fail in struct, OS or EOF errors
            raise DamagedIndexError(
                f"index at {store.path} is damaged ({exc.__class__.__name__}); run `bitext build --full`"
            ) from exc

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- keyword search -------------------------------------------------------

    def parse(self, text: str, lang: str = "auto"):  # noqa: ANN201 - whoosh Query
        """Whoosh syntax when it parses; otherwise the same words as plain terms."""
        from whoosh.qparser import MultifieldParser, OrGroup

        if lang not in LANG_FIELDS:
            raise InputError(f"unknown --lang {lang!r}: use auto, zh or en")
        parser = MultifieldParser(LANG_FIELDS[lang], self.ix.schema, group=OrGroup)
        try:
            return parser.parse(text)
        except Exception:  # whoosh's parser fails in many ways on odd input
            return parser.parse(_SYNTAX.sub(" ", text))

    def search(self, text: str, limit: int = 10, lang: str = "auto", doc: str | None = None) -> Results:
        """Ranked passages for a query in either language, or both."""
        from whoosh.query import AndMaybe, NullQuery, Or, Term

        started = time.perf_counter()
        if limit < 1:
            raise InputError("--limit must be at least 1")
        if len(text) > MAX_QUERY_CHARS:
            raise InputError(
                f"a query of {len(text)} characters is too long to search (at most {MAX_QUERY_CHARS}); "
                "to find where a passage comes from, use `bitext quote`"
            )
        q = self.parse(text, lang)
        if q is NullQuery:
            return Results(text, 0, _ms(started), [])
        if doc and not self.searcher.doc_frequency("doc", doc):
            raise InputError(f"no document named {doc!r} in the index (names are paths under the corpus)")
        filt = Term("doc", doc) if doc else None
        targets = self.targets(q)
        translated = [Term("en", t, boost=TRANSLATION_BOOST) for t in sorted(targets.en_translations)]
        translated += [Term("zh", t, boost=TRANSLATION_BOOST) for t in sorted(targets.zh_translations)]
        # Passages whose other side holds the translation of the query make better parallel excerpts.
        ranked = AndMaybe(q, Or(translated)) if translated else q
        try:
            # Whoosh's block-quality skipping can loop for ever inside AndMaybe: score every match.
            found = self.searcher.search(ranked, limit=limit, filter=filt, optimize=ranked is q)
        except Exception as exc:  # a query whoosh builds but cannot run
            raise InputError(f"query cannot be searched: {text!r} ({exc.__class__.__name__})") from exc
        hits = [
            _keyword_hit(rank, hit.score, passage_from_fields(hit.fields()), targets)
            for rank, hit in enumerate(found, 1)
        ]
        return Results(text, len(found), _ms(started), hits)

    def targets(self, q: object) -> Targets:
        """The query's terms per side, and the words that translate them on the other side."""
        terms: dict[str, set[str]] = {"zh": set(), "en": set()}
        # Plain terms, and prefix and wildcard queries (loan*) expanded against the index.
        expanded = q.existing_terms(self.searcher.reader(), expand=True)  # type: ignore[attr-defined]
        for field, term in [*q.iter_all_terms(), *expanded]:  # type: ignore[attr-defined]
            if field in terms:
                terms[field].add(term.decode("utf-8") if isinstance(term, bytes) else term)
        zh_parts = {tok for term in terms["zh"] for tok, _, _, _ in zh_tokens(term)}
        return Targets(
            zh=terms["zh"],
            en=terms["en"],
            zh_translations={t for stem in terms["en"] for t in self._translations("en", stem)},
            en_translations={t for word in zh_parts for t in self._translations("zh", word)},
        )

    def _translations(self, field: str, term: str) -> list[str]:
        """Learned translations close enough to the best one to be worth marking."""
        rows = self.tables.translations(field, term)
        if not rows:
            return []
        floor = max(MIN_HIGHLIGHT_DICE, RELATIVE_HIGHLIGHT_DICE * float(rows[0][1]))  # type: ignore[arg-type]
        return [str(r[0]) for r in rows if float(r[1]) >= floor]  # type: ignore[arg-type]

    def pinyin_query(self, text: str) -> str:
        """Chinese words whose toneless pinyin spells `text` (spaces optional), as a query.

        The pinyin is cut into the fewest indexed readings; each reading stands
        for the indexed words that sound like it, most frequent first.
        """
        letters = "".join(ch for ch in text.lower() if ch.isalpha() and ch.isascii())
        if not letters:
            raise InputError("--pinyin takes Latin letters, e.g. \"zhima xinyong\"")
        table = self.tables.pinyin
        best: list[list[str] | None] = [[]] + [None] * len(letters)
        for i in range(len(letters)):
            if best[i] is None:
                continue
            for j in range(i + 1, min(len(letters), i + 24) + 1):
                piece = letters[i:j]
                if piece in table and (best[j] is None or len(best[i]) + 1 < len(best[j])):  # type: ignore[arg-type]
                    best[j] = best[i] + [piece]  # type: ignore[operator]
        pieces = best[-1]
        if not pieces:
            raise InputError(f"no indexed Chinese word reads as {text!r}")
        words = [[str(w) for w, _ in table[p][:PINYIN_ALTERNATIVES]] for p in pieces]
        return " ".join("(" + " OR ".join(f'zh:"{w}"' for w in alts) + ")" for alts in words)

    def terms(self, term: str, limit: int = 10) -> list[Equivalent]:
        """Learned translations of a term in the other language, each with an example pair."""
        from whoosh.query import And, Term

        from .analysis import en_stem, normalize

        term = term.strip()
        if not term:
            raise InputError("give a term, e.g. 贷款 or loan")
        field = "zh" if any(map(is_han, normalize(term))) else "en"
        if field == "zh":
            keys = [normalize(term)] + [tok for tok, _, _, _ in zh_tokens(term)]
        else:
            keys = [en_stem(w) for w in re.findall(r"[A-Za-z]+", term)]
        keys = list(dict.fromkeys(keys))
        other = "en" if field == "zh" else "zh"
        rows: dict[str, tuple[float, int]] = {}
        for key in keys:
            for translation, dice, count in self.tables.translations(field, key):
                if float(dice) > rows.get(str(translation), (0.0, 0))[0]:  # type: ignore[arg-type]
                    rows[str(translation)] = (float(dice), int(count))  # type: ignore[arg-type]
        ranked = sorted(rows.items(), key=lambda r: (-r[1][0], -r[1][1]))[:limit]
        # Only indexed keys go into the example query, so that it can be satisfied.
        indexed = [Term(field, k) for k in keys if self.searcher.doc_frequency(field, k)]
        out = []
        for translation, (dice, count) in ranked:
            found = self.searcher.search(And([*indexed, Term(other, translation)]), limit=1)
            example = None
            if found:
                if field == "zh":
                    targets = Targets(set(keys), set(), set(), {translation})
                else:
                    targets = Targets(set(), set(keys), {translation}, set())
                hit = _keyword_hit(1, 0.0, passage_from_fields(found[0].fields()), targets)
                example = SentencePair(hit.zh_excerpt, hit.en_excerpt)
                translation = _surface(hit, other) or translation
            out.append(Equivalent(term, translation, dice, count, example))
        return out

    # -- quote lookup ---------------------------------------------------------

    def quote(self, text: str, limit: int = 10) -> Results:
        """Passages that contain `text` exactly, up to spacing, width, case and quotes.

        The passage the quote fills most of comes first: a heading before the
        table of contents that repeats it.
        """
        started = time.perf_counter()
        key, _ = quote_key(text)
        if not key:
            raise InputError("nothing to look up: the quote has no letters or digits")
        found = [
            (len(key) / max(len(zk if key in zk else ek), 1), pid)
            for pid, zk, ek in self.store.iter_keys()
            if key in zk or key in ek
        ]
        found.sort(key=lambda f: -f[0])
        hits = []
        for score, pid in found[:limit]:
            passage = self.get(pid)
            if passage is not None:
                hits.append(_quote_hit(len(hits) + 1, score, passage, key))
        return Results(text, len(found), _ms(started), hits)

    # -- direct access --------------------------------------------------------

    def get(self, pid: str) -> Passage | None:
        fields = self.searcher.document(id=pid)
        return passage_from_fields(fields) if fields else None

    def neighbours(self, pid: str, context: int = 1) -> list[Passage]:
        """The passage `pid` with `context` passages either side, in document order."""
        from whoosh.query import And, NumericRange, Term

        passage = self.get(pid)
        if passage is None:
            raise BitextError(f"no passage with id {pid!r}; ids look like DOC#0042 (see search --json)")
        q = And([Term("doc", passage.doc), NumericRange("order", passage.order - context, passage.order + context)])
        found = self.searcher.search(q, limit=None, sortedby="order")
        return [passage_from_fields(h.fields()) for h in found]

    def passages(self) -> Iterator[Passage]:
        """Every passage, document by document, in document order."""
        rows = [passage_from_fields(f) for f in self.searcher.all_stored_fields()]
        rows.sort(key=lambda p: (p.doc, p.order))
        yield from rows


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _beads(passage: Passage) -> list[SentencePair]:
    return passage.sentences or [SentencePair(passage.zh, passage.en)]


def _joined(group: Sequence[SentencePair]) -> tuple[str, str]:
    """The Chinese and the English of consecutive sentence beads, as one excerpt."""
    return "".join(b.zh for b in group), " ".join(b.en for b in group if b.en)


def _keyword_hit(rank: int, score: float, passage: Passage, targets: Targets) -> Hit:
    """Pick the sentence bead with most query words; mark them and their translations.

    A bead the sentence aligner left one-sided is shown with its neighbours,
    so that the excerpt still carries the passage's translation.
    """
    beads = _beads(passage)
    zh_all = targets.zh | targets.zh_translations
    en_all = targets.en | targets.en_translations

    def found(bead: SentencePair) -> float:
        zm = {t for t, _ in zh_matches(bead.zh, zh_all)}
        em = {t for t, _ in en_matches(bead.en, en_all)}
        direct = (zm & targets.zh) | (em & targets.en)
        return len(direct) + TRANSLATION_WEIGHT * (len(zm) + len(em) - len(direct))

    scores = [found(b) for b in beads]
    k = max(range(len(beads)), key=lambda i: (scores[i], -i))
    group = beads[k:k + 1]
    if (not beads[k].zh and passage.zh) or (not beads[k].en and passage.en):
        group = beads[max(k - 1, 0):k + 2]
    zh, en = _joined(group)
    zs = merge_spans([s for _, s in zh_matches(zh, zh_all)])
    es = merge_spans([s for _, s in en_matches(en, en_all)])
    return Hit(rank, score, passage, zh, en, zs, es)


def _surface(hit: Hit, side: str) -> str:
    """The words a reader sees for the highlighted translation in a hit's excerpt."""
    text, spans = (hit.zh_excerpt, hit.zh_highlights) if side == "zh" else (hit.en_excerpt, hit.en_highlights)
    for a, b in spans:
        return text[a:b]
    return ""


def _quote_hit(rank: int, score: float, passage: Passage, key: str) -> Hit:
    """The bead (or run of beads) holding the quote, with the quote highlighted."""
    beads = _beads(passage)
    for width in range(1, len(beads) + 1):
        for start in range(len(beads) - width + 1):
            zh, en = _joined(beads[start:start + width])
            for side, text in (("zh", zh), ("en", en)):
                folded, offsets = quote_key(text)
                at = folded.find(key)
                if at >= 0:
                    span = [(offsets[at], offsets[at + len(key) - 1] + 1)]
                    zs, es = (span, []) if side == "zh" else ([], span)
                    return Hit(rank, score, passage, zh, en, zs, es)
    return Hit(rank, score, passage, passage.zh, passage.en, [], [])
