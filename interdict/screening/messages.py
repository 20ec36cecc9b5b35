"""Screen whole messages: every party of a payment, every traveller of a manifest.

Payments: each party is screened by name (:class:`Screener`) and each agent also by BIC against
the BICs the lists carry (:class:`BicIndex`, first eight characters — the institution — must
agree). FATF Recommendation 16 completeness is checked per transfer: originator name, account,
and address or national identity / customer number or date and place of birth; beneficiary
name and account. Each missing element is a :class:`Finding`. Manifests: each traveller is
screened with name, date of birth, nationality, gender and document number.

The readers have validated everything; this module only screens and reports. Results keep the
CLI's per-party shape (``id``, ``matches``, ``matcher``, ``list_versions``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from interdict.model import Entity, Party
from interdict.readers.base import looks_like_xml
from interdict.readers.payments import PaymentMessage, PaymentParty
from interdict.readers.travel import Manifest
from interdict.screening.result import Match, ScreeningResult
from interdict.screening.screener import Screener

__all__ = [
    "BicIndex",
    "Finding",
    "ManifestScreening",
    "MessageKind",
    "PaymentScreening",
    "r16_findings",
    "screen_manifest",
    "screen_payments",
    "sniff_message",
]

MessageKind = Literal["xml", "mt", "edifact"]
R16 = "FATF R.16"


@dataclass(frozen=True)
class Options:
    """How to screen: the same knobs as ``interdict screen``."""

    threshold: float
    limit: int
    lists: set[str] | None


class BicIndex:
    """Listed institutions by BIC (institution code, country and location: 8 characters)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._by_bic8: dict[str, list[tuple[str, Match]]] = {}
        for entity in entities:
            for identifier in entity.identifiers:
                if identifier.kind != "bic":
                    continue
                listed = "".join(identifier.value.split()).upper()
                if len(listed) not in (8, 11):
                    continue
                provenance = entity.provenance
                match = Match(
                    list_name=provenance.list_name if provenance else "?",
                    list_version=provenance.list_version if provenance else 0,
                    source_id=entity.source_id,
                    entity_id=entity.entity_id(),
                    schema=entity.schema.value,
                    score=1.0,
                    matched_name=entity.names[0].full,
                    explanation=(),
                )
                self._by_bic8.setdefault(listed[:8], []).append((listed, match))

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_bic8.values())

    def matches(self, bic: str, lists: set[str] | None = None) -> list[Match]:
        """Listed entities whose BIC names the same institution as ``bic``."""
        found: list[Match] = []
        for listed, match in self._by_bic8.get(bic.upper()[:8], ()):
            if lists is not None and match.list_name not in lists:
                continue
            reason = f"BIC {bic} names the institution of listed BIC {listed} (score 1.00)"
            found.append(
                Match(
                    list_name=match.list_name,
                    list_version=match.list_version,
                    source_id=match.source_id,
                    entity_id=match.entity_id,
                    schema=match.schema,
                    score=1.0,
                    matched_name=match.matched_name,
                    explanation=(reason,),
                )
            )
        return found


@dataclass(frozen=True)
class Finding:
    """One FATF R.16 element missing from a transfer."""

    message: int
    transaction: str
    party: str
    element: str
    field: str
    text: str
    where: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the API and CLI output."""
        return {
            "rule": R16,
            "message": self.message,
            "transaction": self.transaction,
            "party": self.party,
            "element": self.element,
            "field": self.field,
            "text": self.text,
            "where": self.where,
        }


def r16_findings(messages: Iterable[PaymentMessage]) -> list[Finding]:
    """What each transfer lacks of the originator and beneficiary information R.16 requires."""
    findings: list[Finding] = []
    for message in messages:
        for transfer in message.transfers:
            for label, who, field_name in (
                ("originator", transfer.originator, transfer.originator_field),
                ("beneficiary", transfer.beneficiary, transfer.beneficiary_field),
            ):
                if who is None:
                    problems, spot = [("party", f"no {label} ({field_name})")], transfer.where
                else:
                    problems, spot = _missing(label, who), who.where
                findings.extend(
                    Finding(
                        message.index, transfer.reference, label, element, field_name, text, spot
                    )
                    for element, text in problems
                )
    return findings


def _missing(label: str, who: PaymentParty) -> list[tuple[str, str]]:
    missing: list[tuple[str, str]] = []
    if not who.name:
        only = f" (identified only by BIC {who.bic})" if who.bic else ""
        missing.append(("name", f"{label} name is missing{only}"))
    if not who.account:
        missing.append(
            ("account", f"{label} account number is missing (or a unique transaction reference)")
        )
    if label == "originator" and not (
        who.address or who.identifiers or who.bic or (who.birth_date and who.birth_place)
    ):
        missing.append(
            (
                "address_or_identity",
                "originator has no address, national identity or customer identification "
                "number (or BIC), nor date and place of birth",
            )
        )
    return missing


@dataclass
class PaymentScreening:
    """Every party of the payment messages with its matches, and the R.16 findings."""

    messages: list[PaymentMessage]
    parties: list[tuple[PaymentParty, ScreeningResult | None]]
    findings: list[Finding]
    matcher: str
    list_versions: dict[str, int]

    @property
    def hits(self) -> list[tuple[str, Match]]:
        """``(party id, match)`` for every match, for the audit trail."""
        return [(p.id, m) for p, r in self.parties if r for m in r.matches]

    def to_dict(self) -> dict[str, Any]:
        """JSON form: messages, parties (role, where, matches), findings, warnings."""
        parties = []
        for party, result in self.parties:
            entry: dict[str, Any] = {"id": party.id, **party.describe()}
            entry["matches"] = [m.to_dict() for m in result.matches] if result else []
            if party.error:
                entry["error"] = f"{party.where}: {party.error}"
            elif result is None:
                entry["note"] = "no name or BIC to screen"
            parties.append(entry)
        return {
            "messages": [
                {
                    "index": m.index,
                    "type": m.type,
                    "reference": m.reference,
                    "transfers": len(m.transfers),
                    "network_screening": (
                        m.network_screening.describe() if m.network_screening else None
                    ),
                }
                for m in self.messages
            ],
            "parties": parties,
            "findings": [f.to_dict() for f in self.findings],
            "hits": len(self.hits),
            "matcher": self.matcher,
            "list_versions": dict(self.list_versions),
            "warnings": [w for m in self.messages for w in m.warnings],
        }


@dataclass
class ManifestScreening:
    """One result per traveller, in manifest order."""

    manifest: Manifest
    results: list[ScreeningResult | None]
    matcher: str
    list_versions: dict[str, int]
    notes: list[str] = field(default_factory=list)

    @property
    def hits(self) -> list[tuple[str, Match]]:
        """``(traveller id, match)`` for every match, for the audit trail."""
        return [(r.id, m) for r in self.results if r for m in r.matches]

    def to_dict(self) -> dict[str, Any]:
        """JSON form: messages with their flights, one result per traveller, warnings."""
        results = []
        for traveller, result in zip(self.manifest.travellers, self.results, strict=True):
            entry: dict[str, Any] = (
                result.to_dict()
                if result is not None
                else {
                    "id": traveller.id,
                    "matches": [],
                    "matcher": self.matcher,
                    "list_versions": dict(self.list_versions),
                    "error": traveller.error,
                }
            )
            entry["traveller"] = traveller.describe()
            results.append(entry)
        return {
            "messages": [
                {
                    "index": m.index,
                    "type": m.type,
                    "version": m.version,
                    "reference": m.reference,
                    "flights": [
                        {"number": f.number, "departure": f.departure, "arrival": f.arrival}
                        for f in m.flights
                    ],
                    "travellers": len(m.travellers),
                }
                for m in self.manifest.messages
            ],
            "results": results,
            "hits": len(self.hits),
            "matcher": self.matcher,
            "list_versions": dict(self.list_versions),
            "warnings": list(self.manifest.warnings),
        }


def screen_payments(
    messages: list[PaymentMessage],
    screener: Screener,
    bics: BicIndex,
    *,
    threshold: float,
    limit: int = 10,
    lists: set[str] | None = None,
    checkpoint: Callable[[], None] | None = None,
) -> PaymentScreening:
    """Screen every party and agent of ``messages``; check R.16 on every transfer.

    ``checkpoint`` is called before each party (a service's time budget raises from it)."""
    options = Options(threshold, limit, lists)
    cache: dict[tuple[object, ...], ScreeningResult] = {}
    screened: list[tuple[PaymentParty, ScreeningResult | None]] = []
    for message in messages:
        for party in message.parties:
            if checkpoint is not None:
                checkpoint()
            screened.append((party, _screen_party(party, screener, bics, options, cache)))
    return PaymentScreening(
        messages=messages,
        parties=screened,
        findings=r16_findings(messages),
        matcher=screener.matcher,
        list_versions=screener.list_versions,
    )


def _screen_party(
    party: PaymentParty,
    screener: Screener,
    bics: BicIndex,
    options: Options,
    cache: dict[tuple[object, ...], ScreeningResult],
) -> ScreeningResult | None:
    if party.party is None and not party.bic:
        return None
    matches: dict[str, Match] = {}
    if party.party is not None:
        by_name = _cached(party.party, screener, options, cache)
        matches.update((m.entity_id, m) for m in by_name.matches)
    if party.bic:
        for match in bics.matches(party.bic, options.lists):
            current = matches.get(match.entity_id)
            if current is None or current.score < match.score:
                matches[match.entity_id] = match
    ordered = sorted(matches.values(), key=lambda m: (-m.score, m.entity_id))[: options.limit]
    name = party.party.name if party.party is not None else None
    return ScreeningResult(
        party.id, tuple(ordered), screener.matcher, screener.list_versions, name=name
    )


def _cached(
    party: Party,
    screener: Screener,
    options: Options,
    cache: dict[tuple[object, ...], ScreeningResult],
) -> ScreeningResult:
    """The same name and attributes are screened once per request (initiating party = debtor)."""
    key = (
        party.name,
        party.birth_date,
        party.countries,
        party.gender,
        party.id_number,
        party.schema_,
    )
    if key not in cache:
        cache[key] = screener.screen(
            party, threshold=options.threshold, limit=options.limit, lists=options.lists
        )
    return cache[key]


def screen_manifest(
    manifest: Manifest,
    screener: Screener,
    *,
    threshold: float,
    limit: int = 10,
    lists: set[str] | None = None,
    checkpoint: Callable[[], None] | None = None,
) -> ManifestScreening:
    """Screen every traveller of ``manifest`` (travellers without a name keep their error);
    ``checkpoint`` as for :func:`screen_payments`."""
    results: list[ScreeningResult | None] = []
    for traveller in manifest.travellers:
        if traveller.party is None:
            results.append(None)
            continue
        if checkpoint is not None:
            checkpoint()
        results.append(
            screener.screen(traveller.party, threshold=threshold, limit=limit, lists=lists)
        )
    return ManifestScreening(manifest, results, screener.matcher, screener.list_versions)


def sniff_message(data: bytes) -> MessageKind | None:
    """Guess a message's syntax from its first characters: XML (in UTF-8, UTF-16 or UTF-32),
    SWIFT MT or EDIFACT."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if looks_like_xml(data):
        return "xml"
    if head.startswith((b"{1:", b"{2:", b"{4:", b"$")):
        return "mt"
    if head[:3] in (b"UNA", b"UNB"):
        return "edifact"
    return None
