"""WSGI entry point: ``gunicorn wsgi:app`` (``tracuu serve`` does this for you)."""

from api.app import create_app

app = create_app()
