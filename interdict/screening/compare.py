"""Compare two names part by part: token similarity with a reason, and an order-free alignment.

Pure functions over :class:`~interdict.names.tokens.NameAnalysis`: no index, no I/O, so the same
code runs in a service, a batch job or a Spark partition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler, Levenshtein

from interdict.names.tokens import (
    MAX_JOIN,
    NameAnalysis,
    Role,
    Token,
    joined_skeletons,
    spelt_together,
)

__all__ = [
    "Alignment",
    "PartMatch",
    "Similarities",
    "align_names",
    "alignment_bound",
    "could_join",
    "part_similarities",
    "token_similarity",
]

MIN_PART_SIMILARITY = 0.72
"""Below this two parts are not considered the same part at all."""


@dataclass(frozen=True, slots=True)
class PartMatch:
    """Query part(s) aligned with candidate part(s), how, and how closely."""

    query: str
    candidate: str
    similarity: float
    how: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """The outcome of aligning a query name with a candidate name."""

    matches: tuple[PartMatch, ...]
    query_coverage: float
    candidate_coverage: float
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]

    @property
    def score(self) -> float:
        """Geometric mean of the weighted coverage of both names, in [0, 1]."""
        return float((self.query_coverage * self.candidate_coverage) ** 0.5)


def _spelling(x: str, y: str) -> float:
    """Jaro-Winkler, discounted when lengths differ by two or more (Smith / Smithson):
    Jaro-Winkler rewards a shared prefix however much longer the other word is."""
    similarity = JaroWinkler.normalized_similarity(x, y)
    short, long = sorted((len(x), len(y)))
    if long - short >= 2 and long:
        similarity *= (short / long) ** 0.5
    return float(similarity)


def _best_spelling(a: Token, b: Token) -> float:
    return max(_spelling(x, y) for x in a.forms[:2] for y in b.forms[:2])


_SIMILARITY_CACHE: dict[tuple[str, str], tuple[float, str]] = {}
_CACHE_LIMIT = 500_000


def token_similarity(a: Token, b: Token) -> tuple[float, str]:
    """How alike two name parts are, in [0, 1], and the reason an analyst reads.

    Memoised on the two parts' text: a part's analysis depends on its text alone.
    """
    key = (a.text, b.text)
    found = _SIMILARITY_CACHE.get(key)
    if found is None or found is UNRELATED:
        if len(_SIMILARITY_CACHE) >= _CACHE_LIMIT:
            _SIMILARITY_CACHE.clear()
        found = _SIMILARITY_CACHE[key] = _token_similarity(a, b)
    return found


def _token_similarity(a: Token, b: Token) -> tuple[float, str]:
    cross_script = a.vowelless != b.vowelless
    same = set(a.forms) & set(b.forms)
    # A short vowelless rendering ("chi", "md") equal to a Latin word is mostly coincidence.
    if same and (not cross_script or max(len(f) for f in same) >= 4):
        return 1.0, "same spelling"
    spelling = _best_spelling(a, b)
    if a.group is not None and b.group is not None:
        if a.group == b.group:
            return 0.95, f"variants of the name {a.group}"
        if a.skeletons & b.skeletons:
            # Muhammad / Mahmud, Salih / Salah: one consonant skeleton, two names — but lists
            # do romanise one as the other, so this stays partial evidence.
            return 0.8, f"different names with the same consonants ({a.group}, {b.group})"
        return spelling * 0.75, f"different names ({a.group}, {b.group})"
    shared = a.skeletons & b.skeletons
    if shared:
        longest = max(len(s) for s in shared)
        if cross_script and longest >= 2:
            # Three or more consonants in the same order is strong evidence across scripts.
            sim = 0.93 if longest >= 3 else 0.88
            return sim, "same consonants (Arabic script writes no short vowels)"
        if cross_script and sorted(len(t.forms[0]) for t in (a, b)) >= [3, 4]:
            return 0.8, "same single consonant (Arabic script writes no short vowels)"
        # One- and two-consonant skeletons (Ali, Leo, Ola) are too weak alone to call a match;
        # equal consonants with very different vowels (jeongja / gyong) are weak evidence.
        if (longest >= 3 and spelling >= 0.7) or spelling >= 0.85:
            reason = "same consonants (spelling or transliteration variant)"
            return max(0.88, spelling * 0.97), reason
    stem_shared = (a.stems & (b.stems | b.skeletons)) | (b.stems & a.skeletons)
    if stem_shared and (max(len(s) for s in stem_shared) >= 3 or spelling >= 0.85):
        return 0.85, "same stem (surname or patronymic ending differs)"
    near = any(
        len(x) >= 3 and len(y) >= 3 and Levenshtein.distance(x, y, score_cutoff=1) <= 1
        for x in a.skeletons
        for y in b.skeletons
    )
    if near and spelling >= 0.75:
        reason = f"one consonant apart, spelling similarity {spelling:.2f}"
        return max(0.82, spelling * 0.95), reason
    factor = 0.95 if spelling >= 0.88 else 0.8
    return spelling * factor, f"spelling similarity {spelling:.2f}"


def _run_matches(single: Token, run: list[Token]) -> float:
    """Similarity of one part to adjacent parts written together, or 0."""
    text = "".join(t.forms[0] for t in run)
    if not 0.7 * len(single.forms[0]) <= len(text) <= 1.4 * len(single.forms[0]):
        return 0.0
    joined = (*joined_skeletons(run), *spelt_together(run))
    if any(len(j) >= 3 and j in single.skeletons for j in joined):
        spelling = JaroWinkler.normalized_similarity(text, single.primary)
        if spelling >= 0.8 or single.vowelless:
            return max(0.86, spelling * 0.97)
        return 0.0
    spelling = max(JaroWinkler.normalized_similarity(text, form) for form in single.forms[:2])
    return max(0.88, spelling * 0.95) if spelling >= 0.92 else 0.0


def _align_runs(
    runs_side: list[Token],
    free_runs: set[int],
    singles_side: list[Token],
    free_singles: set[int],
    settled: tuple[set[int], set[int]],
) -> list[tuple[list[int], int, float]]:
    """Runs of 2..MAX_JOIN free adjacent parts on one side equal to one free part on the other.

    Every run is tried against every part and the closest pairs are kept first (the longer run
    on ties), so a run reaching past the parts written together ("qusaysaddamhusseinal" against
    "qusay saddam hussein al tikriti") loses to the run that spells them."""
    tried: list[tuple[float, int, list[int], int]] = []
    for length in range(min(MAX_JOIN, len(runs_side)), 1, -1):
        for start in range(len(runs_side) - length + 1):
            run = list(range(start, start + length))
            if not all(i in free_runs for i in run) or all(i in settled[0] for i in run):
                continue
            for j in sorted(free_singles):
                single = singles_side[j]
                if j in settled[1] or len(single.forms[0]) < 4 or single.role is Role.PARTICLE:
                    continue
                last = runs_side[run[-1]]
                # A run may start with an article ("al fateh" ~ "alfateh"); it ends with one
                # only where the part does too ("husseinal" of "hussein al-tikriti").
                if last.role is Role.PARTICLE and not single.forms[0].endswith(last.forms[0]):
                    continue
                sim = _run_matches(single, [runs_side[i] for i in run])
                if sim:
                    tried.append((sim, length, run, j))
    found: list[tuple[list[int], int, float]] = []
    for sim, _length, run, j in sorted(tried, key=lambda t: (-t[0], -t[1], t[2], t[3])):
        if j in free_singles and all(i in free_runs for i in run):
            found.append((run, j, sim))
            free_runs.difference_update(run)
            free_singles.discard(j)
    return found


def _needs_runs(
    q: list[Token], c: list[Token], sims: dict[tuple[int, int], tuple[float, str]]
) -> bool:
    """Whether joined or split parts could improve on plain pairing (a cheap pre-check)."""
    q_parts = [i for i, t in enumerate(q) if t.role is not Role.PARTICLE]
    c_parts = [j for j, t in enumerate(c) if t.role is not Role.PARTICLE]
    if len(q_parts) != len(c_parts):
        return True
    best_q = {i: 0.0 for i in q_parts}
    best_c = {j: 0.0 for j in c_parts}
    for (i, j), (sim, _how) in sims.items():
        best_q[i] = max(best_q[i], sim)
        best_c[j] = max(best_c[j], sim)
    return min([*best_q.values(), *best_c.values()], default=1.0) < 0.9


def _match_runs(
    q: list[Token],
    c: list[Token],
    sims: dict[tuple[int, int], tuple[float, str]],
    used_q: dict[int, float],
    used_c: dict[int, float],
    matches: list[PartMatch],
) -> None:
    """Parts written apart or together, kept when the joined form beats every single pairing."""
    free_q, free_c = set(range(len(q))), set(range(len(c)))
    good_q = {i for (i, _j), (sim, _h) in sims.items() if sim >= 0.9}
    good_c = {j for (_i, j), (sim, _h) in sims.items() if sim >= 0.9}
    for run, j, sim in _align_runs(q, free_q, c, free_c, (good_q, good_c)):
        if sim > max(sims.get((i, j), (0.0, ""))[0] for i in run):
            used_q.update(dict.fromkeys(run, sim))
            used_c[j] = sim
            text = " ".join(q[i].text for i in run)
            matches.append(PartMatch(text, c[j].text, sim, "parts written apart"))
        else:
            free_q.update(run)
            free_c.add(j)
    for run, i, sim in _align_runs(c, free_c, q, free_q, (good_c, good_q)):
        if sim > max(sims.get((i, j), (0.0, ""))[0] for j in run):
            used_c.update(dict.fromkeys(run, sim))
            used_q[i] = sim
            text = " ".join(c[j].text for j in run)
            matches.append(PartMatch(q[i].text, text, sim, "parts written together"))


MIDDLE_NAME_FACTOR = 0.5
"""An unmatched middle name ("Andrea Pat Steur" vs "Andrea Steur") counts half: lists and
records often leave middle names out."""


def _part_weights(
    tokens: list[Token], used: dict[int, float], weight: Callable[[Token], float]
) -> list[float]:
    parts = [i for i, t in enumerate(tokens) if t.role is not Role.PARTICLE]
    middle = set(parts[1:-1])
    weights = []
    for i, token in enumerate(tokens):
        if token.role is Role.PARTICLE:
            weights.append(0.0)
        elif i in middle and i not in used:
            weights.append(weight(token) * MIDDLE_NAME_FACTOR)
        else:
            weights.append(weight(token))
    return weights


Similarities = dict[tuple[int, int], tuple[float, str]]
"""Similarity and reason of every pair of identity-carrying parts (query index, candidate index)."""


UNRELATED = (0.0, "unrelated parts")
"""What :func:`part_similarities` gives two parts that cannot be the same part."""


def part_similarities(query: NameAnalysis, candidate: NameAnalysis) -> Similarities:
    """:func:`token_similarity` of every query part with every candidate part (no particles),
    except that pairs below :data:`MIN_PART_SIMILARITY` may be given as :data:`UNRELATED`:
    no alignment uses such a pair, so it is not worth the full comparison."""
    sims: Similarities = {}
    c = [(j, ct) for j, ct in enumerate(candidate.tokens) if ct.role is not Role.PARTICLE]
    cache = _SIMILARITY_CACHE
    for i, qt in enumerate(query.tokens):
        if qt.role is Role.PARTICLE:
            continue
        for j, ct in c:
            key = (qt.text, ct.text)
            found = cache.get(key)
            if found is None:
                if _may_align(qt, ct):
                    found = token_similarity(qt, ct)
                else:
                    if len(cache) >= _CACHE_LIMIT:
                        cache.clear()
                    found = cache[key] = UNRELATED  # (token_similarity still computes it)
            sims[i, j] = found
    return sims


def _may_align(a: Token, b: Token) -> bool:
    """False only when :func:`token_similarity` is surely below :data:`MIN_PART_SIMILARITY`.

    Every way to that similarity needs a shared spelling, consonant skeleton, stem or variant
    group, skeletons one edit apart, or a spelling similarity of at least 0.88.
    """
    if not (
        a.form_set.isdisjoint(b.form_set)
        and a.skeletons.isdisjoint(b.skeletons)
        and a.stems.isdisjoint(b.stems)
        and a.stems.isdisjoint(b.skeletons)
        and b.stems.isdisjoint(a.skeletons)
        and a.near_skeletons.isdisjoint(b.near_skeletons)
    ):
        return True
    if a.group is not None and a.group == b.group:
        return True
    for x in a.forms[:2]:
        for y in b.forms[:2]:
            if _spelling_may_reach(x, y, 0.88):
                return True
    return False


def _spelling_may_reach(x: str, y: str, level: float) -> bool:
    """Whether ``_spelling(x, y) >= level``, deciding by lengths alone when they suffice.

    Jaro-Winkler is at most 0.8 + 0.2 × (shorter / longer length), before the length discount.
    """
    short, long = (len(x), len(y)) if len(x) <= len(y) else (len(y), len(x))
    ratio = short / long if long else 1.0
    most = 0.8 + 0.2 * ratio
    if long - short >= 2:
        most *= ratio**0.5
    return most + 1e-9 >= level and _spelling(x, y) >= level


def could_join(query: NameAnalysis, candidate: NameAnalysis) -> bool:
    """Whether parts written together on one side may spell a part of the other."""
    return bool(
        (query.run_skeletons & candidate.part_skeletons)
        or (candidate.run_skeletons & query.part_skeletons)
    )


def _coverage_bound(
    tokens: tuple[Token, ...], best: dict[int, float], weight: Callable[[Token], float]
) -> float:
    """Most weighted coverage one side can reach when each part scores at most ``best[i]``.

    Each matched part adds at most weight × best similarity; the denominator is smallest when
    every middle name is unmatched and so counts :data:`MIDDLE_NAME_FACTOR` of its weight.
    """
    parts = [i for i, t in enumerate(tokens) if t.role is not Role.PARTICLE]
    middle = set(parts[1:-1])
    reached = total = 0.0
    for i in parts:
        w = weight(tokens[i])
        reached += w * best.get(i, 0.0)
        total += w * MIDDLE_NAME_FACTOR if i in middle else w
    return min(1.0, reached / (total or 1.0))


WRITTEN_AS_ONE = 0.97
"""Similarity of two names spelt with the same letters once spaces and hyphens are removed but
split into other parts ("haniabd-al-latiftilfahal-tikriti" / "Hani Abd-al-Latif Tilfah
al-Tikriti"): an evasion, or a clerk's spacing, either way the same name."""


def written_as_one(query: NameAnalysis, candidate: NameAnalysis) -> bool:
    """Whether the two names are the same letters (at least 8) split differently into parts
    (their cleaned spellings, titles and all: tokens may have split a joined word apart)."""
    q, c = query.cleaned, candidate.cleaned
    return q != c and len(q) >= 9 and q.replace(" ", "") == c.replace(" ", "")


def alignment_bound(
    query: NameAnalysis,
    candidate: NameAnalysis,
    weight: Callable[[Token], float],
    sims: Similarities,
) -> float:
    """An upper bound on ``align_names(query, candidate, weight).score``, from ``sims`` alone.

    Cheap: no pairing, no reasons. Parts that may be written together or apart can align in
    ways the pair table does not show, so then the bound is 1.
    """
    if could_join(query, candidate) or written_as_one(query, candidate):
        return 1.0
    best_q: dict[int, float] = {}
    best_c: dict[int, float] = {}
    for (i, j), (sim, _how) in sims.items():
        if sim >= MIN_PART_SIMILARITY:
            if sim > best_q.get(i, 0.0):
                best_q[i] = sim
            if sim > best_c.get(j, 0.0):
                best_c[j] = sim
    if not best_q:
        return 0.0
    q_bound = _coverage_bound(query.tokens, best_q, weight)
    c_bound = _coverage_bound(candidate.tokens, best_c, weight)
    return float((q_bound * c_bound) ** 0.5)


def align_names(
    query: NameAnalysis,
    candidate: NameAnalysis,
    weight: Callable[[Token], float],
    sims: Similarities | None = None,
) -> Alignment:
    """Align name parts regardless of order, joins and splits; weight coverage by ``weight``.

    Particles ("bin", "uulu", "al") weigh nothing and are never aligned alone, but may be part
    of a run written together ("Osamabinladen"). ``sims`` is :func:`part_similarities` of the
    two names when the caller has it already.
    """
    q = list(query.tokens)
    c = list(candidate.tokens)
    if sims is None:
        sims = part_similarities(query, candidate)
    used_q: dict[int, float] = {}
    used_c: dict[int, float] = {}
    matches: list[PartMatch] = []
    if could_join(query, candidate) and _needs_runs(q, c, sims):
        _match_runs(q, c, sims, used_q, used_c, matches)
    pairs = sorted(
        ((sim, i, j, how) for (i, j), (sim, how) in sims.items() if sim >= MIN_PART_SIMILARITY),
        key=lambda p: -p[0],
    )
    for sim, i, j, how in pairs:
        if i in used_q or j in used_c:
            continue
        used_q[i] = used_c[j] = sim
        matches.append(PartMatch(q[i].text, c[j].text, sim, how))
    weights_q = _part_weights(q, used_q, weight)
    weights_c = _part_weights(c, used_c, weight)
    q_cov = sum(weights_q[i] * s for i, s in used_q.items()) / (sum(weights_q) or 1.0)
    c_cov = sum(weights_c[j] * s for j, s in used_c.items()) / (sum(weights_c) or 1.0)
    if (q_cov * c_cov) ** 0.5 < WRITTEN_AS_ONE and written_as_one(query, candidate):
        how = "same letters once spaces and hyphens are removed"
        whole = PartMatch(query.cleaned, candidate.cleaned, WRITTEN_AS_ONE, how)
        return Alignment((whole,), WRITTEN_AS_ONE, WRITTEN_AS_ONE, (), ())
    return Alignment(
        matches=tuple(matches),
        query_coverage=min(1.0, q_cov),
        candidate_coverage=min(1.0, c_cov),
        unmatched_query=tuple(
            t.text for i, t in enumerate(q) if i not in used_q and t.role is not Role.PARTICLE
        ),
        unmatched_candidate=tuple(
            t.text for j, t in enumerate(c) if j not in used_c and t.role is not Role.PARTICLE
        ),
    )
