"""The Flask application factory.

``create_app(config)`` reads the settings (defaults, then ``TRACUU_*``
variables, then ``config``), validates them, and wires the blueprints, the
error handlers and the HTTP behaviour. Nothing is read from globals: each
app, a test's included, has its own settings, index and engine.
"""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from . import errors, http, routes_documents, routes_meta, routes_pages, routes_search
from .services import Services
from .settings import load_settings

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build an app. ``config`` maps setting names (``index``, ``write_key``,
    ...) to values; upper-case keys go to Flask's own config (``TESTING``)."""
    config = dict(config or {})
    flask_config = {k: config.pop(k) for k in list(config) if k.isupper()}
    settings = load_settings(overrides=config)  # raises SettingsError on a bad value
    app = Flask(__name__)
    app.config.update(flask_config)
    app.config["TRACUU"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["tracuu"] = Services(settings)
    errors.init_app(app)
    http.init_app(app)
    app.register_blueprint(routes_search.bp)
    app.register_blueprint(routes_documents.bp)
    app.register_blueprint(routes_meta.bp)
    app.register_blueprint(routes_pages.bp)
    return app
