"""Near-duplicate articles: link each reprint to the article it copies.

Extraction yields reports; consolidation turns them into events, and how many independent
sources report an event is part of how far it can be trusted. Syndicated wire copy breaks that
count: one agency story reprinted by forty papers, each under its own headline and credit line,
is one source, not forty. GDELT shows the failure: its NumArticles and NumMentions, offered as a
measure of an event's importance, count every document that mentions the event, so one wire
story reprinted across many sites counts many times. So before consolidation counts sources,
every lightly edited copy is linked to its original and can be weighed as its echo.

How: each text is normalised (Unicode NFKC, lower case, curly quotes straightened, punctuation
dropped, white space folded) and cut into word n-grams (shingles). Two texts are near-duplicates
when the Jaccard similarity of their shingle sets reaches the threshold. Comparing every pair
is quadratic, so each text gets a MinHash sketch (datasketch) cut into LSH bands: two texts
sharing a band key are candidates, found in about linear time; each candidate is then verified
with the exact Jaccard of the two shingle sets, since LSH proposes false positives and MinHash
only estimates. Verified pairs are joined into groups (a copy of a copy belongs with the
original); the earliest published member of a group is its original and every other member
links to it.

Why datasketch: a maintained, pure-Python (numpy) implementation of MinHash, seeded so that
sketches are the same in every process, with a SHA-1 based hash of each shingle (never Python's
salted ``hash()``). Its LSH index is not used: it lives in memory, while the band keys here are
plain strings the store keeps (consolidate/run.py), so that a run sketches only the articles
that are new and finds their candidates with an indexed lookup. The band split is chosen here
rather than by datasketch's optimiser, for recall (see ``_LSH_RECALL``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

# Measured with 5-word shingles on the hand-written stories of one North Korean launch in
# tests/test_consolidate_neardup.py (a 330-word wire story; a longer story dilutes the same
# edits and scores higher):
#   0.621  the wire story and a paper's reprint: new headline, other dateline and credit line,
#          one of nine paragraphs trimmed, one sentence reworded (must link)
#   0.494  the wire story cut to its top half, headline and four paragraphs (not linked: for a
#          copy that only cuts, the Jaccard is the share it kept)
#   0.126  the same agency's story of another launch, recycling two background paragraphs and
#          the credit line word for word (must not link)
#   0.059  another outlet's own report of the same launch: same facts, names and numbers, the
#          military's statement quoted word for word (must not link)
# 0.6 would pass the reprint by 0.02; 0.5 leaves 0.12 of margin under it and stays four times
# over the highest different-story pair.
DEFAULT_THRESHOLD = 0.5

# A copy keeps the story's opening; two short stories that share only background paragraphs
# (an agency's boilerplate, quoted in both: Jaccard 0.79 in a review's test) open differently.
# So a pair under SURE_COPY must also share LEDE_MIN of the shingles of their first sentences
# (a new dateline or credit line changes a few; a different opening nearly all). A reprint that
# rewrites its opening and much of the rest is not linked: it is counted as a source of its own.
LEDE_WORDS = 60  # a first sentence longer than this is cut
LEDE_MIN = 0.2
SURE_COPY = 0.85

# Fixed, so that the permutations, hence the sketches and the candidates, are the same in every
# process and every run.
_SEED = 1
# A pair LSH does not propose is a copy never linked, while a false candidate costs one exact
# Jaccard; so the bands are made short enough that a pair right at the threshold is proposed
# with at least this probability. (datasketch's own choice of bands balances false positives
# against false negatives and proposes a pair at the threshold only about half the time: 0.55
# at 0.5 with 128 permutations.)
_LSH_RECALL = 0.99

_STRAIGHT_QUOTES = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
})


@dataclass(frozen=True, slots=True)
class ArticleText:
    id: str  # document id
    text: str  # the article's main text
    published: datetime | None  # aware or naive (read as UTC); None = unknown
    order: int  # ingest order (tie-breaker)


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    doc_id: str  # the copy
    original_id: str  # the article it copies (never itself a copy: chains resolve to the root)
    # Jaccard similarity of the shingle sets of the copy and the original, exact, rounded to 3
    # places. A copy joined to its group through another copy may score under the threshold.
    similarity: float


class _Folding(dict[int, str]):
    """Translation table for one text, filled as its characters are met: apostrophes and
    invisible format characters go ("korea's" -> "koreas"), other punctuation becomes a space
    ("short-range" -> "short range"), everything else stays."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if char == "'" or category == "Cf":
            folded = ""
        elif category.startswith("P"):
            folded = " "
        else:
            folded = char
        self[code] = folded
        return folded


def normalised_words(text: str) -> list[str]:
    """The words of ``text`` after NFKC, lower case, straight quotes and dropped punctuation."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_STRAIGHT_QUOTES)
    return text.translate(_Folding()).split()


def shingle_set(text: str, n: int = 5) -> frozenset[str]:
    """The word n-grams of ``text``; a text of fewer than ``n`` words is one shingle of all of
    them, and a text with no words has none."""
    words = normalised_words(text)
    if len(words) < n:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Exact Jaccard similarity of two sets; 0.0 when both are empty."""
    if not a and not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _seniority(article: ArticleText) -> tuple[bool, datetime, int, str]:
    """Sort key: earliest published first, unknown last, then ingest order, then id."""
    published = article.published
    if published is None:
        return (True, datetime.min.replace(tzinfo=UTC), article.order, article.id)
    if published.tzinfo is None or published.utcoffset() is None:
        published = published.replace(tzinfo=UTC)
    return (False, published, article.order, article.id)


def _check_parameters(threshold: float, num_perm: int, shingle: int) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold {threshold!r} is not in (0, 1]; give a Jaccard similarity "
                         f"such as the default {DEFAULT_THRESHOLD}")
    if num_perm < 2:
        raise ValueError(f"num_perm {num_perm!r} is under 2; LSH needs at least two "
                         "permutations to band them (the default is 128)")
    if shingle < 1:
        raise ValueError(f"shingle {shingle!r} is under 1; give the words per shingle "
                         "(the default is 5)")


def _unique(articles: Iterable[ArticleText]) -> dict[str, ArticleText]:
    """One article per id. The same id given twice with the same text counts once (the senior
    record kept, so input order does not matter); with another text it is an error, since ids
    are derived from content."""
    kept: dict[str, ArticleText] = {}
    for article in articles:
        seen = kept.get(article.id)
        if seen is None:
            kept[article.id] = article
        elif seen.text != article.text:
            raise ValueError(f"document id {article.id!r} is given twice with different texts; "
                             "give each text its own id")
        elif _seniority(article) < _seniority(seen):
            kept[article.id] = article
    return kept


def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """LSH bands and rows per band: the longest bands (fewest false candidates) that still
    propose a pair of similarity ``threshold`` with probability ``_LSH_RECALL``, at least two
    bands; one row per band when no length reaches that recall."""
    for rows in range(num_perm // 2, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= _LSH_RECALL:
            return bands, rows
    return num_perm, 1


def _opening(text: str) -> list[str]:
    """The words of a story's first sentence (at most LEDE_WORDS of them), past the lines that
    are none: a headline, a dateline, a byline a reprint changes (short, or unpunctuated)."""
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    body = next((p for p in paragraphs if len(p.split()) >= 12 and re.search(r"[.!?]", p)),
                text)
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'“])", body.strip())
    # past a short note a reprint may open with ("Reprinted from Harbour Wire.")
    first = next((t for t in sentences if len(t.split()) >= 8), sentences[0])
    return normalised_words(first)[:LEDE_WORDS]


@dataclass(frozen=True, slots=True)
class Sketch:
    """What near-duplicate detection keeps of one text: its shingles, those of its opening,
    and its LSH band keys (two texts sharing a key are candidates)."""

    shingles: frozenset[str]
    opening: frozenset[str]
    bands: tuple[str, ...]


def sketch(text: str, *, threshold: float = DEFAULT_THRESHOLD, num_perm: int = 128,
           shingle: int = 5, bands: bool = True) -> Sketch:
    """The sketch of ``text``; a text with no words has no shingles and no band keys. Without
    ``bands`` (enough to verify a candidate) the MinHash, most of the cost, is skipped."""
    shingles = shingle_set(text, shingle)
    if not shingles or not bands:
        opening = shingle_set(" ".join(_opening(text)), shingle) if shingles else frozenset()
        return Sketch(shingles, opening, ())
    minhash = MinHash(num_perm=num_perm, seed=_SEED, hashfunc=sha1_hash32, scheme="affine32")
    minhash.update_batch(s.encode("utf-8") for s in shingles)
    n_bands, rows = _bands(threshold, num_perm)
    values = minhash.hashvalues
    keys = tuple(f"{b}:{values[b * rows:(b + 1) * rows].tobytes().hex()}"
                 for b in range(n_bands))
    return Sketch(shingles, shingle_set(" ".join(_opening(text)), shingle), keys)


def copy_similarity(a: Sketch, b: Sketch, threshold: float = DEFAULT_THRESHOLD
                    ) -> float | None:
    """The exact Jaccard of two candidates when they are near-duplicates, else None: at least
    ``threshold``, and under SURE_COPY the openings must share LEDE_MIN of their shingles."""
    similarity = jaccard(a.shingles, b.shingles)
    if similarity < threshold:
        return None
    if similarity < SURE_COPY and jaccard(a.opening, b.opening) < LEDE_MIN:
        return None
    return similarity


def candidate_pairs(new: Mapping[str, Sequence[str]],
                    stored: Mapping[str, Iterable[str]] | None = None) -> set[tuple[str, str]]:
    """Pairs (a, b), a < b, that share a band key: among the ``new`` texts (id -> keys), and
    between a new text and a ``stored`` one (key -> ids of texts sketched before)."""
    by_key: dict[str, list[str]] = {}
    for doc_id, keys in new.items():
        for key in keys:
            by_key.setdefault(key, []).append(doc_id)
    pairs: set[tuple[str, str]] = set()
    for key, ids in by_key.items():
        others = [*ids, *((stored or {}).get(key, ()))]
        for i, a in enumerate(ids):
            for b in others[i + 1:]:
                if a != b:
                    pairs.add((a, b) if a < b else (b, a))
    return pairs


def _verified_pairs(sketches: Mapping[str, Sketch], threshold: float) -> list[tuple[str, str]]:
    """Pairs (a, b), a < b, among LSH candidates, that copy_similarity accepts."""
    candidates = candidate_pairs({d: s.bands for d, s in sketches.items()})
    return [(a, b) for a, b in sorted(candidates)
            if copy_similarity(sketches[a], sketches[b], threshold) is not None]


def _groups(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of the pairs (union-find), singletons included."""
    parent = {doc_id: doc_id for doc_id in ids}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for doc_id in parent:
        members.setdefault(root(doc_id), []).append(doc_id)
    return list(members.values())


def find_near_duplicates(articles: Iterable[ArticleText], *, threshold: float = DEFAULT_THRESHOLD,
                         num_perm: int = 128, shingle: int = 5) -> list[DuplicateLink]:
    """Link every near-duplicate article to the original of its group.

    Articles whose shingle sets have an exact Jaccard similarity of at least ``threshold`` are
    near-duplicates; near-duplicates of near-duplicates share a group. The original of a group
    is its earliest published member (unknown dates last), then the first ingested, then the
    smallest id. Articles with no words are skipped. The result, sorted by original and copy,
    does not depend on the order of the input.

    Raises ValueError for a parameter out of range or an id given twice with different texts.
    """
    _check_parameters(threshold, num_perm, shingle)
    unique = _unique(articles)
    sketches = {doc_id: sk for doc_id, a in unique.items()
                if (sk := sketch(a.text, threshold=threshold, num_perm=num_perm,
                                 shingle=shingle)).shingles}
    if len(sketches) < 2:
        return []
    return links_of(_verified_pairs(sketches, threshold),
                    {doc_id: _seniority(unique[doc_id]) for doc_id in sketches},
                    lambda a, b: jaccard(sketches[a].shingles, sketches[b].shingles))


def links_of(pairs: Iterable[tuple[str, str]], seniority: Mapping[str, Any],
             similarity: Callable[[str, str], float]) -> list[DuplicateLink]:
    """The links of verified ``pairs``: each group (pairs joined transitively) links every
    member to its most senior one (the smallest ``seniority`` key, which every member of a
    pair must have), with ``similarity(copy, original)``; sorted by original and copy."""
    links: list[DuplicateLink] = []
    for members in _groups(sorted({d for pair in pairs for d in pair}), pairs):
        original = min(members, key=lambda doc_id: seniority[doc_id])
        links.extend(
            DuplicateLink(doc_id=doc_id, original_id=original,
                          similarity=round(similarity(doc_id, original), 3))
            for doc_id in members if doc_id != original
        )
    return sorted(links, key=lambda link: (link.original_id, link.doc_id))
