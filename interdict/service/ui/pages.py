"""The workbench pages under ``/ui``: sign-in, alert queue, alert, case, network, entity, lists.

Each page reads through the library (:func:`~interdict.store.alert_sources.list_alerts`,
:class:`~interdict.cases.CaseStore`, :func:`~interdict.cases.propose`,
:func:`~interdict.cases.approve`, :func:`~interdict.reports.goaml.export_goaml`…) as the
signed-in analyst, through :func:`~interdict.service.casework.in_cases` — the same call the API
routes make, so a decision here is the one ``interdict cases propose``/``approve`` makes, with
the same four-eyes rules and the same audit trail. Forms post, then redirect to a page.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from interdict.cases import CaseStore, ProposalVerdict, approve, propose
from interdict.cases.foureyes import reject
from interdict.errors import BadInputError, InterdictError, ListNotFoundError
from interdict.lifecycle.diff import diff_entities, diff_versions
from interdict.reports.goaml import export_goaml
from interdict.service.auth import Role, allows
from interdict.service.casework import in_cases
from interdict.service.routes.reports import kept_schema, kept_schemas
from interdict.service.ui.sessions import COOKIE, LOGIN_COOKIE
from interdict.service.ui.views import (
    QUEUE_SORTS,
    SCORE_BANDS,
    QueueFilter,
    aligned_parts,
    explanation_groups,
    highlight,
    network_of,
    queue,
    script_of,
)
from interdict.service.ui.web import (
    back,
    error_page,
    form_of,
    page,
    posted,
    sessions_of,
    signed_in,
)
from interdict.store.alert_sources import SOURCES, AlertFilter, list_alerts, parse_age

__all__ = ["REPORTERS_FOLDER", "REPORTS_FOLDER", "router"]

router = APIRouter(prefix="/ui", include_in_schema=False)

T = TypeVar("T")
Id = Annotated[str, PathParam(max_length=200)]
REPORTERS_FOLDER = Path("service") / "reporters"
"""Where, under the workspace, the reporting institution's goAML reporter files are kept."""
REPORTS_FOLDER = Path("service") / "reports"
"""Where, under the workspace, reports exported from the workbench are kept."""
_REPORT_FILE = re.compile(r"CASE-\d{6}-[A-Za-z0-9_]{1,20}-[0-9a-f]{12}\.xml")
DECISIONS = {
    "sanctions": (
        ("true_match", "True match", "t"),
        ("false_positive", "False positive", "f"),
        ("unsure", "Unsure", "u"),
    ),
    "monitoring": (
        ("suspicious", "Suspicious", "t"),
        ("not_suspicious", "Not suspicious", "f"),
        ("unsure", "Unsure", "u"),
    ),
}
"""The decision buttons of an alert page by kind: verdict, label, key. ``unsure`` is no verdict:
it opens the case and records the doubt as a comment, for a colleague to pick up."""


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


async def _work(request: Request, route: str, work: Callable[[CaseStore, str], T]) -> T:
    return await in_cases(request, route, work)


# -- signing in and out ------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    """The queue."""
    return RedirectResponse("/ui/alerts", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, error: str = "") -> Response:
    """The sign-in form (its CSRF token is also in a short-lived cookie: double submit)."""
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html", None, login_csrf=token, error=error[:200])
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=600,
        path="/ui/login",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Exchange an analyst's API key for a session cookie; the sign-in is audited."""
    fields = await form_of(request)
    sent = (fields.get("csrf") or [""])[0]
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        return _login_again(request, "The sign-in form expired: please sign in again.", 403)
    api_key = (fields.get("api_key") or [""])[0].strip()
    service = request.app.state.service
    key, _who = service.keys.authenticate(f"Bearer {api_key}")
    if key is None:
        return _login_again(request, "That API key is not valid (or was revoked).", 401)
    if not allows(key.role, Role.ANALYST) or not key.analyst:
        return _login_again(
            request,
            f"Key {key.id} is not an analyst's: the workbench needs a key made with"
            " 'interdict keys create --role analyst --analyst NAME'.",
            403,
        )
    request.state.principal = key
    try:
        await in_cases(request, "POST /ui/login", lambda _s, a: a, action="sign-in")
    except InterdictError as exc:
        return _login_again(request, exc.message, 403)
    token, session = sessions_of(request).start(key.id)
    response = RedirectResponse("/ui/alerts", status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=sessions_of(request).remaining(session),
        path="/ui",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_COOKIE, path="/ui/login", httponly=True, samesite="strict")
    return response


def _login_again(request: Request, message: str, status: int) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html", None, status, login_csrf=token, error=message)
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=600,
        path="/ui/login",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Sign out: the session is forgotten and its cookie cleared."""
    await posted(request)
    sessions_of(request).end(request.cookies.get(COOKIE))
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE, path="/ui", httponly=True, samesite="strict")
    return response


# -- the alert queue ---------------------------------------------------------------------------


@router.get("/alerts", response_class=HTMLResponse)
async def alert_queue(
    request: Request,
    source: Annotated[str, Query(max_length=20)] = "",
    list_name: Annotated[str, Query(alias="list", max_length=100)] = "",
    band: Annotated[str, Query(max_length=10)] = "",
    status: Annotated[str, Query(max_length=20)] = "open",
    age: Annotated[str, Query(max_length=10)] = "",
    assignee: Annotated[str, Query(max_length=100)] = "",
    sort: Annotated[str, Query(max_length=10)] = "due",
) -> Response:
    """Open alerts (or of any status), filtered, sorted, counted, with their due times."""
    signed = signed_in(request)
    try:
        wanted = AlertFilter(
            source=source or None,
            status=status or None,
            list_name=list_name or None,
            max_age=parse_age(age) if age else None,
        )
        if band and band not in SCORE_BANDS:
            raise BadInputError(f"unknown score band {band!r}", where="band",
                                hint="; ".join(SCORE_BANDS))  # fmt: skip

        def read(store: CaseStore, _: str) -> dict[str, Any]:
            cases = {c["case_id"]: c for c in store.all()}
            rows, counts = queue(
                list_alerts(store.workspace, wanted),
                cases,
                store.policy.due_hours,
                QueueFilter(band=band, assignee=assignee, sort=sort),
            )
            return {
                "rows": rows,
                "counts": counts,
                "lists": sorted({v.list_name for v in store.workspace.versions()}),
                "analysts": [a.name for a in store.analysts.all() if a.active],
            }

        found = await _work(request, "GET /ui/alerts", read)
    except InterdictError as exc:
        return error_page(request, exc, signed)
    chosen = {"source": source, "list": list_name, "band": band, "status": status, "age": age,
              "assignee": assignee, "sort": sort}  # fmt: skip
    return page(
        request,
        "alerts.html",
        signed,
        chosen=chosen,
        sources=SOURCES,
        bands=list(SCORE_BANDS),
        sorts=QUEUE_SORTS,
        statuses=("open", "true_match", "false_positive", "superseded", "released"),
        now=datetime.now(UTC),
        **found,
    )


@router.post("/alerts/assign")
async def bulk_assign(request: Request) -> Response:
    """Assign the chosen alerts: each goes into a case of its own (opened when it has none)
    and the case to the chosen analyst — ``cases open`` and ``cases assign``, as the CLI."""
    signed, fields = await posted(request)
    chosen = sorted(set(fields.get("alert_id", [])))[:500]
    to = (fields.get("to") or [""])[0]

    def work(store: CaseStore, analyst: str) -> list[str]:
        if not chosen:
            raise BadInputError("no alert chosen", hint="tick the alerts to assign")
        done = []
        for alert in list_alerts(store.workspace, AlertFilter(alert_ids=tuple(chosen))):
            case_id = alert["case_id"] or store.open([alert["alert_id"]], analyst=analyst)
            store.assign(case_id, to, analyst=analyst)
            done.append(case_id)
        return done

    try:
        cases = await in_cases(request, "POST /ui/alerts/assign", work, alerts=chosen, to=to)
        signed.session.flash("ok", f"{len(cases)} alert(s) assigned to {to}: {', '.join(cases)}")
    except InterdictError as exc:
        signed.session.flash("error", exc.message)
    return back(_same_queue(request))


def _same_queue(request: Request) -> str:
    referer = request.headers.get("referer", "")
    marker = "/ui/alerts?"
    return "/ui/alerts?" + referer.split(marker, 1)[1] if marker in referer else "/ui/alerts"


# -- one alert ---------------------------------------------------------------------------------


def _one_alert(store: CaseStore, alert_id: str) -> dict[str, Any]:
    found = list_alerts(store.workspace, AlertFilter(alert_ids=(alert_id,)))
    if not found:
        raise ListNotFoundError(f"no alert {alert_id!r}", hint="see the alert queue")
    return found[0]


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
async def alert_page(request: Request, alert_id: Id) -> Response:
    """The screened record beside the listed entity, why they matched, and the decision."""
    signed = signed_in(request)

    def read(store: CaseStore, _: str) -> dict[str, Any]:
        alert = _one_alert(store, alert_id)
        entity = None
        if alert.get("entity_id"):
            try:
                entity = store.workspace.entity(alert["entity_id"])
            except InterdictError:
                entity = None  # the list or entity is no longer active: shown from the alert
        same = {
            a["alert_id"]: a
            for a in [
                *list_alerts(store.workspace, AlertFilter(customer_id=alert["customer_id"])),
                *(
                    list_alerts(store.workspace, AlertFilter(entity_id=alert["entity_id"]))
                    if alert.get("entity_id")
                    else []
                ),
            ]
            if a["alert_id"] != alert_id
        }
        case = store.show(alert["case_id"]) if alert["case_id"] else None
        queue_ids = [
            a["alert_id"] for a in list_alerts(store.workspace, AlertFilter(status="open"))
        ]
        return {
            "alert": alert,
            "entity": entity,
            "others": sorted(same.values(), key=lambda a: a["alert_id"]),
            "case": case,
            "ids": queue_ids,
        }

    try:
        found = await _work(request, "GET /ui/alerts/{alert_id}", read)
    except InterdictError as exc:
        return error_page(request, exc, signed)
    alert = found["alert"]
    pairs = aligned_parts(alert["explanation"])
    party = alert["data"].get("party", {})
    ids: list[str] = found["ids"]
    here = ids.index(alert_id) if alert_id in ids else -1
    kind = "monitoring" if alert["source"] == "monitoring" else "sanctions"
    return page(
        request,
        "alert.html",
        signed,
        screened=highlight(str(party.get("name") or alert["customer_name"]), [p for p, _ in pairs]),
        listed=highlight(alert["matched_name"], [q for _, q in pairs]),
        pairs=pairs,
        groups=explanation_groups(alert["explanation"]),
        party=party,
        decisions=DECISIONS[kind],
        decidable=alert["status"] == "open"
        and (found["case"] is None or found["case"]["status"] == "open"),
        previous=ids[here - 1] if here > 0 else None,
        following=ids[here + 1] if 0 <= here < len(ids) - 1 else None,
        script_of=script_of,
        **found,
    )


@router.post("/alerts/{alert_id}/decide")
async def decide(request: Request, alert_id: Id) -> Response:
    """True match / false positive (or suspicious / not suspicious): the alert's case is opened
    when it has none and the verdict proposed on it (``cases open`` + ``cases propose``), for a
    second analyst to approve. Unsure: the case is opened and the doubt recorded as a comment."""
    signed, fields = await posted(request)
    verdict = (fields.get("verdict") or [""])[0]
    reason = (fields.get("reason") or [""])[0]

    def work(store: CaseStore, analyst: str) -> str:
        alert = _one_alert(store, alert_id)
        choice = None if verdict == "unsure" else _verdict(verdict)
        case_id = str(alert["case_id"] or store.open([alert_id], analyst=analyst))
        if choice is None:
            store.comment(case_id, f"Unsure: {reason}", analyst=analyst)
        else:
            propose(store, case_id, choice, reason, analyst=analyst)
        return case_id

    try:
        case_id = await in_cases(
            request, "POST /ui/alerts/{alert_id}/decide", work, alert=alert_id, verdict=verdict
        )
    except InterdictError as exc:
        signed.session.flash("error", exc.message)
        return back(f"/ui/alerts/{alert_id}")
    done = "recorded as unsure" if verdict == "unsure" else f"proposed as {verdict}"
    signed.session.flash("ok", f"Alert {alert_id} {done} in case {case_id}.")
    return back(f"/ui/cases/{case_id}")


def _verdict(text: str) -> ProposalVerdict:
    try:
        return ProposalVerdict(text)
    except ValueError as exc:
        known = ", ".join(v.value for v in ProposalVerdict)
        raise BadInputError(f"unknown verdict {text[:40]!r}", where="verdict",
                            hint=f"one of: {known}, unsure") from exc  # fmt: skip


# -- cases -------------------------------------------------------------------------------------


@router.get("/cases", response_class=HTMLResponse)
async def case_list(
    request: Request, status: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    """Cases; the ones awaiting a second analyst first."""
    signed = signed_in(request)
    try:
        cases = await _work(request, "GET /ui/cases", lambda s, _: s.all(status or None))
    except InterdictError as exc:
        return error_page(request, exc, signed)
    cases.sort(key=lambda c: (c["status"] != "proposed", c["case_id"]))
    return page(request, "cases.html", signed, cases=cases, status=status)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: Id) -> Response:
    """Timeline, comments, alerts, proposal and approval, freezes, reports."""
    signed = signed_in(request)
    home = request.app.state.service.settings.home
    schemas_folder = request.app.state.service.settings.goaml_schemas

    def read(store: CaseStore, analyst: str) -> dict[str, Any]:
        case = store.show(case_id)
        me = store.analysts.find(analyst)
        return {
            "case": case,
            "pending": next((p for p in case["proposals"] if p["status"] == "pending"), None),
            "my_role": me.role.value if me else "",
            "approver_roles": sorted(r.value for r in store.policy.approver_roles),
            "analysts": [a.name for a in store.analysts.all() if a.active],
        }

    try:
        found = await _work(request, "GET /ui/cases/{case_id}", read)
    except InterdictError as exc:
        return error_page(request, exc, signed)
    case = found["case"]
    reports = [e for e in case["events"] if e["action"] == "report"]
    reporters = sorted(p.name for p in (home / REPORTERS_FOLDER).glob("*.yaml"))
    return page(
        request,
        "case.html",
        signed,
        reports=reports,
        kept=_kept_reports(home, case_id),
        schemas=kept_schemas(schemas_folder),
        reporters=reporters,
        comments=[e for e in case["events"] if e["action"] == "comment"],
        **found,
    )


def _kept_reports(home: Path, case_id: str) -> list[str]:
    folder = home / REPORTS_FOLDER
    return sorted(p.name for p in folder.glob(f"{case_id}-*.xml")) if folder.is_dir() else []


def _case_form(
    route: str, action: Callable[[CaseStore, str, str, dict[str, list[str]]], str]
) -> Callable[[Request, str], Any]:
    """A case form: run ``action(store, analyst, case_id, fields)`` and show the case with
    its message (or the library's refusal)."""

    async def handler(request: Request, case_id: Id) -> Response:
        signed, fields = await posted(request)

        def work(store: CaseStore, analyst: str) -> str:
            return action(store, analyst, case_id, fields)

        try:
            message = await in_cases(request, route, work, case_id=case_id)
            signed.session.flash("ok", message)
        except InterdictError as exc:
            signed.session.flash("error", exc.message)
        return back(f"/ui/cases/{case_id}")

    return handler


def _field(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0]


def _approve(store: CaseStore, analyst: str, case_id: str, fields: dict[str, list[str]]) -> str:
    done = approve(store, case_id, analyst=analyst, state_hash=_field(fields, "state_hash") or None)
    return f"Approved {done['verdict']} (proposed by {done['author']}): case {case_id} decided."


def _reject(store: CaseStore, analyst: str, case_id: str, fields: dict[str, list[str]]) -> str:
    reject(store, case_id, _field(fields, "reason"), analyst=analyst)
    return f"Proposal sent back: case {case_id} is open again."


def _comment(store: CaseStore, analyst: str, case_id: str, fields: dict[str, list[str]]) -> str:
    store.comment(case_id, _field(fields, "text"), analyst=analyst)
    return "Comment added."


def _assign(store: CaseStore, analyst: str, case_id: str, fields: dict[str, list[str]]) -> str:
    store.assign(case_id, _field(fields, "to"), analyst=analyst)
    return f"Case assigned to {_field(fields, 'to')}."


def _propose(store: CaseStore, analyst: str, case_id: str, fields: dict[str, list[str]]) -> str:
    made = propose(store, case_id, _verdict(_field(fields, "verdict")), _field(fields, "reason"),
                   analyst=analyst)  # fmt: skip
    return f"Proposed {made['verdict']}: a second analyst must approve."


for _name, _action in (
    ("approve", _approve),
    ("reject", _reject),
    ("comment", _comment),
    ("assign", _assign),
    ("propose", _propose),
):
    router.add_api_route(
        f"/cases/{{case_id}}/{_name}",
        _case_form(f"POST /ui/cases/{{case_id}}/{_name}", _action),
        methods=["POST"],
    )


@router.post("/cases/{case_id}/report")
async def report(request: Request, case_id: Id) -> Response:
    """Export a goAML report of the case: validated against the FIU's schema before it is
    written and recorded in the case (``interdict report goaml``); kept for download."""
    signed, fields = await posted(request)
    settings = request.app.state.service.settings
    kept = settings.home / REPORTS_FOLDER

    def work(store: CaseStore, analyst: str) -> dict[str, Any]:
        xsd = kept_schema(settings.goaml_schemas, _field(fields, "xsd"))
        reporters = settings.home / REPORTERS_FOLDER
        reporter = (reporters / _field(fields, "reporter")).resolve()
        if not reporter.is_relative_to(reporters.resolve()) or not reporter.is_file():
            raise ListNotFoundError(
                f"no reporter file {_field(fields, 'reporter')[:100]!r}",
                where="reporter",
                hint=f"the administrator keeps them in <workspace>/{REPORTERS_FOLDER}",
            )
        code = _field(fields, "report_code") or "STR"
        if not re.fullmatch(r"[A-Za-z0-9_]{1,20}", code):
            raise BadInputError(f"report code {code[:40]!r} is not a goAML code", where="code")
        indicators = [i for i in _field(fields, "indicators").replace(",", " ").split() if i]
        with tempfile.TemporaryDirectory(prefix="interdict-goaml-") as folder:
            out = Path(folder) / "report.xml"
            detail = export_goaml(store, case_id, xsd=xsd, reporter_path=reporter,
                                  report_code=code, indicators=indicators, out=out,
                                  analyst=analyst)  # fmt: skip
            kept.mkdir(parents=True, exist_ok=True)
            name = f"{case_id}-{code}-{detail['sha256'][:12]}.xml"
            shutil.copyfile(out, kept / name)
        return {**detail, "kept": name}

    try:
        done = await in_cases(request, "POST /ui/cases/{case_id}/report", work, case_id=case_id)
    except InterdictError as exc:
        signed.session.flash("error", f"No report: {exc.message}")
        return back(f"/ui/cases/{case_id}")
    notes = "; ".join(done["notes"][:5])
    signed.session.flash(
        "ok",
        f"goAML {done['report_code']} valid against {done['schema']}"
        f" (version {done['schema_version']}), SHA-256 {done['sha256']}: {done['kept']}"
        + (f". Notes: {notes}" if notes else ""),
    )
    return back(f"/ui/cases/{case_id}")


@router.get("/cases/{case_id}/reports/{name}")
async def download_report(request: Request, case_id: Id, name: Id) -> Response:
    """A report exported from the workbench, as XML."""
    signed = signed_in(request)
    folder = request.app.state.service.settings.home / REPORTS_FOLDER
    path = folder / name
    if not _REPORT_FILE.fullmatch(name) or not name.startswith(case_id + "-") or not path.is_file():
        return error_page(request, ListNotFoundError(f"no report {name[:100]!r}"), signed)
    return FileResponse(path, media_type="application/xml", filename=name)


# -- network, entity, lists --------------------------------------------------------------------


@router.get("/network/{account}", response_class=HTMLResponse)
async def network_page(
    request: Request,
    account: Id,
    start: Annotated[str, Query(max_length=10)] = "",
    end: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """The money around an account over a period: a picture and the same data as tables."""
    signed = signed_in(request)
    for value, name in ((start, "start"), (end, "end")):
        if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            problem = BadInputError(f"{name} {value!r} is not a date", where=name,
                                    hint="write YYYY-MM-DD")  # fmt: skip
            return error_page(request, problem, signed)

    def read(store: CaseStore, _: str) -> Any:
        alerts = list_alerts(store.workspace, AlertFilter(source="monitoring"))
        return network_of(account, alerts, start=start, end=end)

    try:
        net = await _work(request, "GET /ui/network/{account}", read)
    except InterdictError as exc:
        return error_page(request, exc, signed)
    return page(request, "network.html", signed, net=net, start=start, end=end)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
async def entity_page(request: Request, entity_id: Id) -> Response:
    """A listed entity: names with their scripts, dates, countries, identifiers, remarks, and
    its history across the list's versions."""
    signed = signed_in(request)

    def read(store: CaseStore, _: str) -> dict[str, Any]:
        versions = store.workspace.entity_versions(entity_id)
        if not versions:
            raise ListNotFoundError(f"no entity {entity_id!r} in any stored list version",
                                    hint="ids look like un:QDi.123")  # fmt: skip
        name = entity_id.partition(":")[0]
        stored = sorted(v.version for v in store.workspace.versions(name))
        by_version = dict(versions)
        history: list[tuple[int, str, list[str]]] = []
        before = None
        for number in stored:
            now = by_version.get(number)
            if before is None and now is not None:
                history.append((number, "added", []))
            elif before is not None and now is None:
                history.append((number, "removed", []))
            elif before is not None and now is not None:
                changed = diff_entities(name, [before], [now]).changed
                if changed:
                    history.append((number, "changed", [f.describe() for f in changed[0].fields]))
            before = now
        return {"entity": versions[-1][1], "latest": versions[-1][0], "history": history}

    try:
        found = await _work(request, "GET /ui/entities/{entity_id}", read)
    except InterdictError as exc:
        return error_page(request, exc, signed)
    return page(request, "entity.html", signed, entity_id=entity_id, script_of=script_of,
                **found)  # fmt: skip


@router.get("/lists", response_class=HTMLResponse)
async def lists_page(
    request: Request,
    name: Annotated[str, Query(alias="list", max_length=100)] = "",
    older: Annotated[int | None, Query(alias="from", ge=1)] = None,
    newer: Annotated[int | None, Query(alias="to", ge=1)] = None,
) -> Response:
    """List versions, the diff between two, and the rescreen alerts each update raised."""
    signed = signed_in(request)

    def read(store: CaseStore, _: str) -> dict[str, Any]:
        versions = store.workspace.versions()
        rescreens: dict[tuple[str, int], int] = {}
        for alert in list_alerts(store.workspace, AlertFilter(source="rescreen")):
            cause = alert["cause"]
            at = (str(cause.get("list", alert["list"])), int(cause.get("to_version") or 0))
            rescreens[at] = rescreens.get(at, 0) + 1
        diff = diff_versions(store.workspace, name, older, newer).to_dict() if name else None
        return {"versions": versions, "rescreens": rescreens, "diff": diff}

    try:
        found = await _work(request, "GET /ui/lists", read)
    except InterdictError as exc:
        return error_page(request, exc, signed)
    return page(request, "lists.html", signed, chosen=name, older=older, newer=newer, **found)
