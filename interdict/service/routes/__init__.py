"""HTTP routes, one module per concern: screening, list administration, system, and the
yente-compatible face."""

from interdict.service.routes.admin import router as admin_router
from interdict.service.routes.screen import router as screen_router
from interdict.service.routes.system import router as system_router
from interdict.service.routes.yente import router as yente_router

__all__ = ["admin_router", "screen_router", "system_router", "yente_router"]
