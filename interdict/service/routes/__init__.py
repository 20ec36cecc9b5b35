"""HTTP routes, one module per concern: screening, list administration, system, alerts and
cases, reports, private matching with peers, and the yente-compatible face."""

from interdict.service.routes.admin import router as admin_router
from interdict.service.routes.cases import alerts_router, cases_router
from interdict.service.routes.exchange import router as exchange_router
from interdict.service.routes.reports import router as reports_router
from interdict.service.routes.screen import router as screen_router
from interdict.service.routes.system import router as system_router
from interdict.service.routes.yente import router as yente_router

__all__ = [
    "admin_router",
    "alerts_router",
    "cases_router",
    "exchange_router",
    "reports_router",
    "screen_router",
    "system_router",
    "yente_router",
]
