"""The web face of the store: an HTTP API (FastAPI) and a dashboard, served by `sambandh serve`.

    >>> from sambandh.web import create_app
    >>> app = create_app("sambandh.db", token="secret")      # doctest: +SKIP

See docs/api.md.
"""

from __future__ import annotations

from .app import SETTINGS, Settings, create_app

__all__ = ["SETTINGS", "Settings", "create_app"]
