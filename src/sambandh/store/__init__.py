"""The event store: documents, events, stories, agreements and actors in SQLite or PostgreSQL.

    >>> from sambandh.store import open_store, ingest
    >>> store = open_store("sambandh.db")          # or a postgresql:// URL; default: $SAMBANDH_DB, ./sambandh.db
    >>> ingest(store, ["articles.jsonl"])          # doctest: +SKIP
    >>> store.query_events({"dyad": "IND-RUS", "since": "2025-01-01"}, limit=50)   # doctest: +SKIP

See docs/store.md.
"""

from __future__ import annotations

from .core import Store, open_store, resolve_url
from .ingest import Ingester, IngestResult, ingest, ingest_records
from .query import FILTERS, parse_dyad
from .schema import SCHEMA_VERSION, StoreError

__all__ = ["FILTERS", "SCHEMA_VERSION", "IngestResult", "Ingester", "Store", "StoreError", "ingest", "ingest_records",
           "open_store", "parse_dyad", "resolve_url"]
