"""The ASGI entry point: ``uvicorn interdict.service.asgi:app`` (settings from INTERDICT_*)."""

from interdict.service.app import create_app

app = create_app()
