"""Matcher ``name_v2``: name_v1's part alignment, with evidence rules and role-aware costs.

What changes from name_v1 (which stays as it is, selectable by name):

- a name is *prepared* first: legal forms ("OOO", "joint stock company"), numbers (44,
  Forty-Four, 1st) and notes ("born in 1970") are taken out of the name alignment and compared
  apart (:func:`~interdict.screening.evidence.compare_legal_forms`, ``compare_numbers``);
- part pairs are scored by name_v1's rules plus :data:`~interdict.screening.evidence.PART_RULES`
  (Han characters as characters, Korean romanisations, initials), the best rule winning;
- unmatched parts cost by rarity × role (given, middle, patronymic, generic organisation word)
  and each writes what it cost ("patronymic vladimirovich absent from the screened name
  (−0.04)"); a middle name on both sides that differs is a contradiction, not an omission;
- every weight is in ``screening/data/name_v2.yaml``.

Scores only go down from the alignment's bound (every name rule is a factor ≤ 1, except the
Korean whole-name rule, which the bound includes), so :func:`score_name_above` stays exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from interdict.model import NameQuality
from interdict.names.korean import is_korean_name, korean_key
from interdict.names.tokens import NameAnalysis, Role, Token
from interdict.screening import evidence
from interdict.screening.compare import (
    MIDDLE_NAME_FACTOR,
    UNRELATED,
    Alignment,
    Similarities,
    align_names,
    alignment_bound,
    part_similarities,
)
from interdict.screening.evidence import Evidence, tables
from interdict.screening.scorer import (
    BOUND_SLACK,
    MAX_RAISE,
    ListedName,
    Query,
    Scored,
    adjusted_score,
    attribute_adjustments,
)

__all__ = ["NAME", "Prepared", "prepare", "score_name_above"]

NAME = "name_v2"
Weight = Callable[[Token], float]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name with what is compared apart taken out of its alignment."""

    name: NameAnalysis
    """The name; legal forms, numbers and notes turned into weightless particles."""
    legal_forms: tuple[tuple[str, str], ...]
    """``(as written, family)`` of each legal form."""
    numbers: tuple[int, ...]
    primaries: tuple[str, ...]
    """Usual spelling of each identity-carrying part, in order (for the Korean rule)."""
    korean: bool = False
    """The name looks Korean (:func:`~interdict.names.korean.is_korean_name`): its parts are
    compared as Korean syllables, and a syllable such as "Il" is a name, not an article."""


_PREPARED: dict[str, Prepared] = {}
_CACHE_LIMIT = 300_000


def prepare(analysis: NameAnalysis) -> Prepared:
    """The prepared form of an analysed name (memoised: it depends on the cleaned text)."""
    found = _PREPARED.get(analysis.cleaned)
    if found is None:
        if len(_PREPARED) >= _CACHE_LIMIT:
            _PREPARED.clear()
        found = _PREPARED[analysis.cleaned] = _prepare(analysis)
    return found


def _prepare(analysis: NameAnalysis) -> Prepared:
    tokens = list(analysis.tokens)
    words = [t.primary for t in tokens]
    forms = _legal_forms(tokens, words)
    taken = {i for span, _ in forms for i in span}
    notes = _notes(words)
    numbers = _numbers(words, taken | notes)
    taken |= notes | {i for i, _ in numbers}
    if all(i in taken or t.role is Role.PARTICLE for i, t in enumerate(tokens)):
        taken = set()  # a name made only of forms and numbers is still compared as a name
        forms, numbers = [], []
    kept = [replace(t, role=Role.PARTICLE) if i in taken else t for i, t in enumerate(tokens)]
    korean = is_korean_name(words)
    if korean:
        # "Il", "Ul" read as articles elsewhere; in a Korean name they are syllables of it.
        kept = [
            replace(t, role=Role.NAME) if t.role is Role.PARTICLE and i not in taken else t
            for i, t in enumerate(kept)
        ]
    parts = frozenset(s for t in kept if t.role is not Role.PARTICLE for s in t.skeletons)
    name = NameAnalysis(
        analysis.original,
        analysis.cleaned,
        analysis.script,
        tuple(kept),
        analysis.run_skeletons,
        parts,
    )
    written = tuple((" ".join(tokens[i].text for i in span), family) for span, family in forms)
    return Prepared(
        name,
        written,
        tuple(n for _, n in numbers if n >= 0),
        tuple(t.primary for t in kept if t.role is not Role.PARTICLE),
        korean,
    )


def _legal_forms(tokens: list[Token], words: list[str]) -> list[tuple[range, str]]:
    """Spans of legal forms, longest first; a short one-word form only at either end."""
    t = tables()
    found: list[tuple[range, str]] = []
    i = 0
    while i < len(words):
        for size in range(min(t.longest_form, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            family = t.legal_forms.get(phrase) or t.legal_forms.get(
                " ".join(tok.text for tok in tokens[i : i + size])
            )
            at_end = i == 0 or i + size == len(words)
            if family and (size > 1 or len(phrase) > 3 or at_end):
                found.append((range(i, i + size), family))
                i += size
                break
        else:
            i += 1
    return found


def _notes(words: list[str]) -> set[int]:
    """Positions of notes such as "born in 1970", "dob 1970", "b 1970"."""
    t = tables()
    notes: set[int] = set()
    for i, word in enumerate(words):
        if word not in t.note_lead:
            continue
        j = i + 1
        while j < len(words) and words[j] in t.note_filler:
            j += 1
        if j < len(words) and words[j].isdigit() and 1900 <= int(words[j]) <= 2100:
            notes.update(range(i, j + 1))
    return notes


def _number_word(word: str) -> int | None:
    t = tables().number_words
    if word.isdigit():
        return int(word)
    if len(word) > 2 and word[:-2].isdigit() and word[-2:] in ("st", "nd", "rd", "th"):
        return int(word[:-2])
    for kind in ("units", "tens", "ordinals"):
        if word in t[kind]:
            return t[kind][word]
    return None


def _numbers(words: list[str], taken: set[int]) -> list[tuple[int, int]]:
    """``(position, value)`` of every part of a number: digits, ordinals, number words
    ("forty four" is one number, 44: its second part has value ``-1``)."""
    number_words = tables().number_words
    found: list[tuple[int, int]] = []
    for i, word in enumerate(words):
        if i in taken:
            continue
        value = _number_word(word)
        if value is None and i == len(words) - 1 and i > 0:
            value = number_words["roman"].get(word)
        if value is None:
            continue
        if found and found[-1][0] == i - 1 and words[i - 1] in number_words["tens"] and value < 10:
            found[-1] = (i - 1, found[-1][1] + value)
            found.append((i, -1))
            continue
        found.append((i, value))
    return found


# --- part similarities ------------------------------------------------------------------


_PAIRS: dict[tuple[str, str, bool], tuple[float, str]] = {}


def korean_romanisation(a: Token, b: Token) -> Evidence | None:
    """The same Korean syllables romanised another way (Gwang = Kwang, Chong = Jong): applied
    only where both names look Korean (see :func:`similarities`)."""
    x, y = korean_key(a.primary), korean_key(b.primary)
    if x is None or x != y or a.primary == b.primary:
        return None
    score = tables().rules["korean_romanisation"]
    return Evidence(score, f"Korean romanisation {a.text.title()} = {b.text.title()}")


PART_RULES: tuple[evidence.PartRule, ...] = (evidence.same_han, evidence.initial)
"""Part rules name_v2 adds to name_v1's (the best one wins; a ``final`` one decides)."""
KOREAN_RULES: tuple[evidence.PartRule, ...] = (korean_romanisation,)
"""Part rules for two Korean-looking names only."""


def _pair(a: Token, b: Token, base: tuple[float, str], korean: bool) -> tuple[float, str]:
    """name_v1's similarity of two parts, improved or overruled by name_v2's part rules."""
    key = (a.text, b.text, korean)
    found = _PAIRS.get(key)
    if found is None:
        if len(_PAIRS) >= _CACHE_LIMIT:
            _PAIRS.clear()
        rules = PART_RULES + KOREAN_RULES if korean else PART_RULES
        found = _PAIRS[key] = _best_rule(a, b, base, rules)
    return found


def _best_rule(
    a: Token, b: Token, base: tuple[float, str], rules: tuple[evidence.PartRule, ...]
) -> tuple[float, str]:
    best = Evidence(base[0], base[1])
    if base is not UNRELATED:
        lowered = evidence.surname_prefix_only(a, b, best)
        if lowered is not None:
            best = lowered
    for rule in rules:
        found = rule(a, b)
        if found is None:
            continue
        if found.final:
            return found.score, found.reason
        if found.score > best.score:
            best = found
    return best.score, best.reason


def similarities(query: NameAnalysis, listed: NameAnalysis, korean: bool = False) -> Similarities:
    """Similarity and reason of every pair of identity-carrying parts, by name_v2's rules
    (``korean``: both names look Korean, so Korean romanisations count)."""
    sims = part_similarities(query, listed)
    return {
        (i, j): _pair(query.tokens[i], listed.tokens[j], found, korean)
        for (i, j), found in sims.items()
    }


def korean_whole_name(query: Sequence[str], listed: Sequence[str]) -> Evidence | None:
    """Two Korean names whose syllables agree in one romanisation however the given name is
    grouped or ordered (Kim Jong Un = Kim Chong-un = Kim Jongun = Jong Un Kim): ``query`` and
    ``listed`` are the parts' usual spellings of two names that look Korean."""
    q_keys, l_keys = _korean_orders(query), _korean_orders(listed)
    if not q_keys & l_keys:
        return None
    score = tables().rules["korean_whole_name"]
    return Evidence(score, "the same Korean name romanised another way")


def _korean_orders(parts: Sequence[str]) -> frozenset[str]:
    """Syllable keys of a name as written and with its last part moved first."""
    keys = [korean_key(p) or p for p in parts]
    return frozenset({"".join(keys), "".join(keys[-1:] + keys[:-1])})


def _weights(weight: Weight) -> Weight:
    """Rarity × role: generic organisation words and patronymics cost less when absent."""
    roles = tables().roles
    generic = tables().generic_words

    def weigh(token: Token) -> float:
        base = weight(token)
        if token.primary in generic:
            base *= roles["generic_org_word"]
        if token.role is Role.PATRONYMIC:
            base *= roles["patronymic"]
        return base

    return weigh


# --- the matcher --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Factor:
    """A name rule's factor on the name score and its reason."""

    factor: float
    reason: str


def _name_factors(query: Prepared, listed: Prepared) -> list[_Factor]:
    """What legal forms and numbers say, as factors ≤ 1 (cheap: before any alignment)."""
    found = [
        evidence.compare_legal_forms(query.legal_forms, listed.legal_forms),
        evidence.compare_numbers(query.numbers, listed.numbers),
    ]
    return [_Factor(e.score, e.reason) for e in found if e is not None]


def score_name_above(
    query: Query, listed: ListedName, weight: Weight, floor: float
) -> Scored | None:
    """Score one listed name against a query, or ``None`` when below ``floor`` (name_v2)."""
    q, c = prepare(query.name), prepare(listed.name)
    weigh = _weights(weight)
    both_korean = q.korean and c.korean
    sims = similarities(q.name, c.name, both_korean)
    factors = _name_factors(q, c)
    korean = korean_whole_name(q.primaries, c.primaries) if both_korean else None
    weak = tables().factors["weak_alias"] if listed.quality is NameQuality.WEAK else 1.0
    fixed = weak
    for f in factors:
        fixed *= f.factor
    adjustments = None
    omit = _omitting(weigh, q.name, c.name)
    if floor > 0:
        bound = alignment_bound(q.name, c.name, weigh, sims)
        if omit is not None:
            bound = max(bound, alignment_bound(q.name, c.name, omit, sims))
        bound = max(bound, korean.score if korean else 0.0) * fixed
        if bound * MAX_RAISE + BOUND_SLACK < floor:
            return None
        adjustments = attribute_adjustments(query, listed)
        if adjusted_score(bound, adjustments)[0] + BOUND_SLACK < floor:
            return None
    alignment = align_names(q.name, c.name, weigh, sims)
    reasons: list[str] = []
    omitted = omit is not None and _middles_left_out(q.name, c.name, alignment)
    if omitted and omit is not None:
        weigh = omit
        alignment = align_names(q.name, c.name, weigh, sims)
    name_score = alignment.score
    whole = korean is not None and korean.score > name_score
    if whole and korean is not None:
        # Every syllable agrees: nothing is absent, however the parts were grouped.
        name_score = korean.score
        reasons.append(f"{korean.reason} ({korean.score:.2f})")
        alignment = Alignment(alignment.matches, 1.0, 1.0, (), ())
    rules = [*factors, *_middle_factors(q.name, c.name, alignment)]
    short = len(alignment.matches) == 1 and bool(alignment.unmatched_candidate) and name_score > 0
    if short:
        rules.append(_Factor(tables().factors["short_name"], "only one name part agrees"))
    if weak < 1.0:
        rules.append(_Factor(weak, "weak alias, as the list marks it"))
    for rule in rules:
        name_score *= rule.factor
    if adjustments is None:
        adjustments = attribute_adjustments(query, listed)
    score, deltas = adjusted_score(name_score, adjustments)
    if score < floor:
        return None
    reasons[:0] = [
        f"{m.query} ~ {m.candidate}: {m.how} ({m.similarity:.2f})" for m in alignment.matches
    ]
    reasons += _absent(q.name, c.name, alignment, weigh)
    if omitted:
        reasons.append("given and family names agree: the middle names absent are left out")
    reasons += [r.reason if r.factor == 1.0 else f"{r.reason} (x{r.factor:.2f})" for r in rules]
    reasons += [f"{a.reason} ({d:+.2f})" for a, d in zip(adjustments, deltas, strict=True)]
    reasons.insert(0, f"name score {name_score:.2f} ({listed.kind.value} name), final {score:.2f}")
    return Scored(score, name_score, tuple(reasons))


def _parts(name: NameAnalysis) -> list[Token]:
    return [t for t in name.tokens if t.role is not Role.PARTICLE]


def _omitting(weigh: Weight, query: NameAnalysis, listed: NameAnalysis) -> Weight | None:
    """Weights for a screened name that leaves out the listed name's middle names ("Vladimir
    Putin" for "Vladimir Vladimirovich Putin"): each listed middle part weighs
    ``roles.middle_omitted`` more lightly. ``None`` when the listed name has no middle part or
    the screened name fewer than two parts. (A screened name with a middle name the listed one
    lacks is not eased: that is how another person of the same given and family name reads.)"""
    q, c = _parts(query), _parts(listed)
    if len(q) < 2 or len(c) < 3:
        return None
    factor = tables().roles["middle_omitted"]
    middles = {id(t) for t in c[1:-1]}

    def weigh_omitted(token: Token) -> float:
        w = weigh(token)
        return w * factor if id(token) in middles else w

    return weigh_omitted


def _middles_left_out(query: NameAnalysis, listed: NameAnalysis, alignment: Alignment) -> bool:
    """Every part of the screened name (two or more) agrees with a part of the listed name,
    whose given and family names agree and only middle parts are unmatched: an omission, not a
    contradiction."""
    short, long = _parts(query), _parts(listed)
    left = alignment.unmatched_candidate
    if len(short) < 2 or len(long) < 3 or alignment.unmatched_query or not left:
        return False
    ends = {long[0].text, long[-1].text}
    middles = {t.text for t in long[1:-1]}
    return all(p in middles and p not in ends for p in left)


def _roles(name: NameAnalysis) -> dict[str, str]:
    """Each identity-carrying part's role by position: given, middle, family, patronymic."""
    parts = [t for t in name.tokens if t.role is not Role.PARTICLE]
    roles: dict[str, str] = {}
    generic = tables().generic_words
    for k, token in enumerate(parts):
        if token.role is Role.PATRONYMIC:
            role = "patronymic"
        elif token.primary in generic:
            role = "generic word"
        elif len(parts) == 1:
            role = "name"
        else:
            role = (
                "given name" if k == 0 else "family name" if k == len(parts) - 1 else "middle name"
            )
        roles.setdefault(token.text, role)
    return roles


def _middle_factors(
    query: NameAnalysis, listed: NameAnalysis, alignment: Alignment
) -> list[_Factor]:
    """A middle name or patronymic unmatched on both sides: different people."""
    q_roles, c_roles = _roles(query), _roles(listed)
    middle = ("middle name", "patronymic")
    q = [p for p in alignment.unmatched_query if q_roles.get(p) in middle]
    c = [p for p in alignment.unmatched_candidate if c_roles.get(p) in middle]
    role = "patronymic" if any(c_roles.get(p) == "patronymic" for p in c) else "middle name"
    found = evidence.different_middle(q, c, role)
    return [_Factor(found.score, found.reason)] if found else []


def _absent(
    query: NameAnalysis, listed: NameAnalysis, alignment: Alignment, weigh: Weight
) -> list[str]:
    """Each unmatched part with its role and what its absence cost the name score."""
    reasons: list[str] = []
    cov = (alignment.query_coverage, alignment.candidate_coverage)
    for side, (name, unmatched, other) in enumerate(
        (
            (query, alignment.unmatched_query, "listed"),
            (listed, alignment.unmatched_candidate, "screened"),
        )
    ):
        weights = _effective_weights(name, set(unmatched), weigh)
        total = sum(weights.values())
        roles = _roles(name)
        for part in unmatched:
            rest = total - weights.get(part, 0.0)
            without = min(1.0, cov[side] * total / rest) if rest > 0 else cov[side]
            pair = (without, cov[1]) if side == 0 else (cov[0], without)
            cost = (pair[0] * pair[1]) ** 0.5 - (cov[0] * cov[1]) ** 0.5
            reasons.append(
                f"{roles.get(part, 'name part')} {part} absent from the {other} name ({-cost:+.2f})"
            )
    return reasons


def _effective_weights(name: NameAnalysis, unmatched: set[str], weigh: Weight) -> dict[str, float]:
    """Each part's weight in the coverage, as the alignment counts it (middle names unmatched
    count :data:`~interdict.screening.compare.MIDDLE_NAME_FACTOR`)."""
    parts = [t for t in name.tokens if t.role is not Role.PARTICLE]
    weights: dict[str, float] = {}
    for k, token in enumerate(parts):
        w = weigh(token)
        if 0 < k < len(parts) - 1 and token.text in unmatched:
            w *= MIDDLE_NAME_FACTOR
        weights[token.text] = weights.get(token.text, 0.0) + w
    return weights
