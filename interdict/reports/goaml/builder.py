"""Build a goAML report tree from an approved-suspicious case and the reporter's details.

Transactions (a monitoring case) become bi-party ``transaction`` elements: ``t_from``/``t_to``
for counterparties and the ``_my_client`` variants, with the KYC the workspace holds, for our
own customers and accounts. Screening hits (no transaction) become an ``activity`` report
naming our customer and the listing. Codes come from the FIU's schema or from REPORTER.yaml,
never from this module: gender and country codes are taken only when the FIU's list has them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from interdict.errors import BadInputError
from interdict.reports.goaml.writer import EITHER
from interdict.reports.goaml.xsd import FiuSchema
from interdict.store.audit import utc_now

__all__ = ["Reporter", "build_report", "pick_indicators"]


@dataclass(frozen=True)
class Reporter:
    """REPORTER.yaml: who reports, and the codes only the reporting entity can know."""

    data: Mapping[str, Any]

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> Reporter:
        """Check the required fields (``rentity_id``, ``currency_code_local``,
        ``reporting_person: {first_name, last_name, email}``)."""
        if not isinstance(data, Mapping):
            raise BadInputError("REPORTER.yaml must be a mapping", where=where)
        person = data.get("reporting_person")
        missing = [k for k in ("rentity_id", "currency_code_local") if not data.get(k)]
        if not isinstance(person, Mapping):
            missing.append("reporting_person")
        else:
            missing += [f"reporting_person.{k}" for k in ("first_name", "last_name", "email")
                        if not person.get(k)]  # fmt: skip
        if missing:
            raise BadInputError(
                f"REPORTER.yaml lacks {', '.join(missing)}",
                where=where,
                hint="see the README's goAML section for the fields",
            )
        return cls(data)

    def get(self, key: str, default: Any = None) -> Any:
        """A field of REPORTER.yaml."""
        return self.data.get(key, default)


def build_report(
    schema: FiuSchema,
    case: Mapping[str, Any],
    reporter: Reporter,
    *,
    report_code: str,
    indicators: Sequence[str],
    reason: str,
) -> dict[str, Any]:
    """The report tree (goAML vocabulary) for ``case``."""
    _check_code(schema, "report_code", report_code)
    submission = reporter.get("submission_code") or _electronic(schema)
    now = utc_now().replace(microsecond=0).isoformat()
    tree: dict[str, Any] = {
        "rentity_id": reporter.get("rentity_id"),
        "rentity_branch": reporter.get("rentity_branch"),
        "submission_code": submission,
        "report_code": report_code,
        "entity_reference": case["case_id"],
        "submission_date": now,
        "report_date": None if schema.has_element("submission_date") else now,
        "currency_code_local": reporter.get("currency_code_local"),
        "reporting_person": _reporting_person(schema, reporter),
        "reporting_user_code": reporter.get("reporting_user_code"),
        "location": reporter.get("location"),
        "reason": reason,
        "action": reporter.get("action") or _action(case),
        "report_indicators": {"indicator": list(indicators)} if indicators else None,
    }
    transactions = [t for a in case["alerts"] for t in a["data"].get("transactions", [])]
    if transactions:
        tree["transaction"] = [
            _transaction(schema, reporter, case, row) for row in _unique(transactions)
        ]
    else:
        tree["activity"] = _activity(schema, case)
    return tree


def pick_indicators(schema: FiuSchema, case: Mapping[str, Any]) -> list[str]:
    """Indicators of the FIU's list whose code or description matches the case's alerts."""
    words = set()
    for alert in case["alerts"]:
        text = " ".join([alert["matcher"], alert["matched_name"], alert["source"]])
        if alert["source"] != "monitoring":
            text += " sanctions designated terrorist list"
        words |= set(re.findall(r"[a-z]{4,}", text.lower().replace("_", " ")))
    best: list[tuple[int, str]] = []
    for code, doc in schema.documented_codes("indicator").items():
        vocabulary = set(re.findall(r"[a-z]{4,}", f"{code} {doc}".lower()))
        stems = {w[:5] for w in vocabulary}
        score = sum(1 for w in words if w in vocabulary or w[:5] in stems)
        if score:
            best.append((score, code))
    best.sort(key=lambda item: (-item[0], item[1]))
    return [code for _, code in best[:1]]


def _check_code(schema: FiuSchema, element: str, code: str) -> None:
    codes = schema.codes(element)
    if codes and code not in codes:
        shown = ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")
        raise BadInputError(
            f"{element} {code!r} is not in this FIU's list",
            where=str(schema.path),
            hint=f"the schema allows: {shown}",
        )


def _electronic(schema: FiuSchema) -> str | None:
    codes = schema.codes("submission_code")
    return "E" if "E" in codes else (codes[0] if len(codes) == 1 else None)


def _action(case: Mapping[str, Any]) -> str:
    if case.get("frozen"):
        return "Funds frozen without delay; relationship under review"
    return "Reported to the FIU; enhanced monitoring of the relationship"


def _reporting_person(schema: FiuSchema, reporter: Reporter) -> dict[str, Any]:
    person = dict(reporter.get("reporting_person"))
    email = person.pop("email")
    if "gender" in person:
        person["gender"] = _gender(schema, person["gender"])
    return {**person, "email": email, "emails": {"email": email}}


def _gender(schema: FiuSchema, value: Any) -> str | None:
    if not value:
        return None
    codes = schema.codes("gender")
    initial = str(value)[:1].upper()
    return initial if initial in codes else None


def _country(schema: FiuSchema, value: Any) -> str | None:
    codes = schema.codes("country_code") or schema.codes("nationality1")
    text = str(value or "").upper()
    return text if text and (not codes or text in codes) else None


def _person(schema: FiuSchema, party: Mapping[str, Any]) -> dict[str, Any]:
    """A goAML person from a screened party or customer record (name kept as written; the
    writer transliterates it to what the FIU's patterns accept)."""
    parts = str(party.get("name", "")).split()
    first, last = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (parts[0], parts[0])
    countries = [c.get("code") if isinstance(c, Mapping) else c for c in party.get("countries", [])]
    birth = str(party.get("birth_date") or "")
    return {
        "gender": _gender(schema, party.get("gender")),
        "first_name": first,
        "last_name": last,
        "birthdate": f"{birth}T00:00:00" if re.fullmatch(r"\d{4}-\d\d-\d\d", birth) else None,
        "id_number": party.get("id_number"),
        "nationality1": _country(schema, countries[0]) if countries else None,
    }


def _activity(schema: FiuSchema, case: Mapping[str, Any]) -> dict[str, Any]:
    parties = []
    for alert in case["alerts"]:
        party = alert["data"].get("party") or {
            "id": alert["customer_id"],
            "name": alert["customer_name"],
        }
        listing = f"{alert['list']} {alert['source_id']} ({alert['matched_name']})"
        person = _person(schema, party)
        parties.append(
            {
                EITHER: [{"person_my_client": person}, {"person": person}],
                "significance": 10 if alert["score"] >= 0.95 else 8,
                "reason": f"Possible match with listed {listing}, score {alert['score']:.2f}",
                "comments": "; ".join(alert["explanation"][:3]),
            }
        )
    return {"report_parties": {"report_party": parties}}


def _unique(rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        seen.setdefault(str(row["txn_id"]), row)
    return list(seen.values())


def _transaction(
    schema: FiuSchema, reporter: Reporter, case: Mapping[str, Any], row: Mapping[str, Any]
) -> dict[str, Any]:
    ours = {a["customer_id"] for a in case["alerts"]}
    accounts = reporter.get("accounts") or {}
    transaction: dict[str, Any] = {
        "transactionnumber": row["txn_id"],
        "internal_ref_number": case["case_id"],
        "transaction_location": reporter.get("transaction_location")
        or reporter.get("rentity_branch"),
        "transaction_description": row.get("purpose") or _describe(case),
        "date_transaction": str(row["timestamp"]).replace(" ", "T")[:19],
        "transmode_code": reporter.get("transmode_code") or row.get("payment_format"),
        "transmode_comment": reporter.get("transmode_comment")
        or row.get("payment_format")
        or "as recorded by the payment system",
        "amount_local": f"{float(row['amount']):.2f}",
    }
    sides = []
    for side in ("from", "to"):
        account = str(row[f"{side}_account"])
        mine = account in ours

        def party(full: bool, side: str = side, account: str = account) -> dict[str, Any]:
            return {
                f"{side}_funds_code": reporter.get("funds_code"),
                f"{side}_account": _account(reporter, account, row, full, accounts),
                f"{side}_country": row.get(f"country_{side}") or reporter.get("country_code"),
            }

        # our customer: the _my_client variant with full KYC, else (KYC incomplete) the plain one
        options = [{f"t_{side}_my_client": party(True)}] if mine else []
        sides.append([*options, {f"t_{side}": party(False)}])
    transaction[EITHER] = [{**a, **b} for a in sides[0] for b in sides[1]]
    return transaction


def _describe(case: Mapping[str, Any]) -> str:
    return "; ".join(str(a["explanation"][0]) for a in case["alerts"] if a["explanation"])[:4000]


def _account(
    reporter: Reporter,
    account: str,
    row: Mapping[str, Any],
    mine: bool,
    known: Mapping[str, Any],
) -> dict[str, Any]:
    side = "from" if str(row["from_account"]) == account else "to"
    bank = row.get(f"{side}_bank")
    data: dict[str, Any] = {
        "institution_name": reporter.get("institution_name") if mine else bank or "unknown",
        EITHER: [
            {"swift": reporter.get("swift")} if mine else {"institution_code": bank or "unknown"},
            {"institution_code": reporter.get("institution_code")} if mine else {"swift": bank},
        ],
        "non_bank_institution": "false",
        "branch": (reporter.get("branch") or reporter.get("rentity_branch") or "main")
        if mine
        else None,
        "account": account,
        "currency_code": row.get("currency"),
        "account_name": f"account {account}",
    }
    if mine:
        data.update(reporter.get("my_client_account") or {})
        data.update(known.get(account) or {})
    return data
