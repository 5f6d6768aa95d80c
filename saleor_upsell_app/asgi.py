"""ASGI entry point for uvicorn/gunicorn: `uvicorn saleor_upsell_app.asgi:app`."""

from .main import create_app

app = create_app()
