"""Tables of the event store, and their versioned migrations.

SQLAlchemy Core only, so one code path serves SQLite and PostgreSQL. Dates
are `YYYY-MM-DD` strings (portable, sortable, and what the exports write);
lists are JSON columns. A database records its schema version in `meta`;
opening an older one runs the missing steps of MIGRATIONS in one transaction,
opening a newer one is refused with a message that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    select,
)
from sqlalchemy.engine import Connection

from ..errors import SambandhError

metadata = MetaData()


class StoreError(SambandhError):
    """The database cannot be opened or queried as asked."""

    code = "E500"


meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String(32), primary_key=True),  # content hash of the text (or of the record identity)
    Column("source_id", String(512)),  # the id the input gave
    Column("ident", String(32)),  # hash of (id, url, title, published): meets a record that has no text (v2)
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("date", String(10)),
    Column("lang", String(8)),
    Column("lang_in", String(8)),  # language given by the input, reused by reprocess
    Column("source", Text),  # host of the URL, feed, or input file: what "sources" counts
    Column("origin", Text),  # where it was read: file path, URL, feed URL
    Column("text", Text),  # original text (absent for extract records read without it)
    Column("meta", JSON),
    Column("countries", JSON),
    Column("topics", JSON),
    Column("extractor", String(64)),
    Column("contract", String(16)),
    Column("n_events", Integer, nullable=False, default=0),
    Column("ingested_at", String(32), nullable=False),
    Index("ix_documents_url", "url"),
    Index("ix_documents_ident", "ident"),
    Index("ix_documents_source_id", "source_id"),
    Index("ix_documents_extractor", "extractor"),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(32)),
    Column("text", Text),
    Column("name", Text),
    Column("code", String(16)),
    Column("country", String(16)),
    Column("office", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("extra", JSON),
    Index("ix_entities_doc", "doc_id"),
)

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event", String(16), nullable=False),
    Column("pair", String(40), nullable=False),  # sorted "A|B": reports disagree on direction
    Column("modality", String(16), nullable=False),
    Column("actor", String(16)),
    Column("recipient", String(16)),
    Column("mode", String(32)),  # of the first event: a visit and a phone call are two stories
    Column("loc_country", String(16)),
    Column("first_date", String(10)),
    Column("last_date", String(10)),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
    Column("mentions", Integer, nullable=False, default=0),
    Column("articles", Integer, nullable=False, default=0),
    Column("sources", Integer, nullable=False, default=0),
    Column("goldstein", Float),
    Column("quad_code", Integer),
    Column("cameo", String(8)),
    Column("evidence", Text),
    Column("origin_doc", String(32)),  # the document that opened the story: deletes stay local
    Index("ix_stories_pair", "pair", "last_date"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id")),
    Column("key", String(128)),  # the extractor's event id
    Column("seq", Integer, nullable=False),
    Column("event", String(16), nullable=False),
    Column("mode", String(32)),
    Column("reciprocal", Boolean),
    Column("modality", String(16)),
    Column("quad_code", Integer),
    Column("cameo", String(8)),
    Column("goldstein", Float),
    Column("actor_code", String(16)),
    Column("actor_country", String(16)),
    Column("actor_sector", String(16)),
    Column("actor_office", Text),
    Column("actor_name", Text),
    Column("recipient_code", String(16)),
    Column("recipient_country", String(16)),
    Column("recipient_sector", String(16)),
    Column("recipient_office", Text),
    Column("recipient_name", Text),
    Column("topics_key", Text),  # "|defence|trade|": LIKE-searchable on both databases
    Column("loc_name", Text),
    Column("loc_country", String(16)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("date", String(10)),
    Column("sentence", Integer),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("evidence", Text),
    Column("rule", String(128)),
    Column("confidence", Float),
    Column("extractor", String(64)),
    Column("data", JSON, nullable=False),  # the event exactly as the extractor wrote it
    Index("ix_events_doc", "doc_id"),
    Index("ix_events_story", "story_id"),
    Index("ix_events_dyad", "actor_code", "recipient_code", "date"),
    Index("ix_events_recipient", "recipient_code", "date"),
    Index("ix_events_date", "date"),
    Index("ix_events_type", "event", "date"),
)

agreements = Table(
    "agreements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pair", String(200), nullable=False),  # sorted parties joined by "|"
    Column("parties", JSON, nullable=False),
    Column("title", Text),
    Column("sectors", JSON),
    Column("status", String(32)),
    Column("first_date", String(10)),
    Column("last_date", String(10)),
    Column("mentions", Integer, nullable=False, default=0),
    Column("articles", Integer, nullable=False, default=0),
    Column("origin_doc", String(32)),
    Index("ix_agreements_pair", "pair"),
)

agreement_status = Table(
    "agreement_status", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agreement_id", Integer, ForeignKey("agreements.id"), nullable=False),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(32), nullable=False),
    Column("date", String(10)),
    Column("sentence", Integer),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("evidence", Text),
    Index("ix_agreement_status_agreement", "agreement_id"),
    Index("ix_agreement_status_doc", "doc_id"),
)

commitments = Table(
    "commitments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("pair", String(200)),
    Column("parties", JSON),
    Column("action", Text),
    Column("object", Text),
    Column("topics", JSON),
    Column("horizon", Text),
    Column("modality", String(16)),
    Column("date", String(10)),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("evidence", Text),
    Index("ix_commitments_doc", "doc_id"),
)

actors = Table(
    "actors", metadata,
    Column("code", String(16), primary_key=True),
    Column("country", String(16)),
    Column("name", Text),
    Column("as_actor", Integer, nullable=False, default=0),
    Column("as_recipient", Integer, nullable=False, default=0),
    Column("first_date", String(10)),
    Column("last_date", String(10)),
)

rejects = Table(
    "rejects", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(40), nullable=False),  # hash of origin + place + reason: re-ingest adds no copies
    Column("origin", Text),
    Column("place", Text),
    Column("stage", String(16)),  # source, read, extract, store
    Column("reason", Text, nullable=False),
    Column("raw", Text),  # the input as read (truncated), so nothing is lost
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("key", name="uq_rejects_key"),
)

feeds = Table(
    "feeds", metadata,
    Column("url", String(1024), primary_key=True),
    Column("etag", Text),
    Column("modified", Text),
    Column("title", Text),
    Column("checked_at", String(32)),
    Column("status", Integer),
)

SCHEMA_VERSION = 2


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn)


def _v2_document_ident(conn: Connection) -> None:
    """documents.ident: extract records without text and articles with text meet through it."""
    from sqlalchemy import text

    from .write import ident_key

    conn.execute(text("ALTER TABLE documents ADD COLUMN ident VARCHAR(32)"))
    conn.execute(text("CREATE INDEX ix_documents_ident ON documents (ident)"))
    rows = conn.execute(select(documents.c.id, documents.c.source_id, documents.c.url, documents.c.title,
                               documents.c.published)).all()
    if rows:
        from sqlalchemy import bindparam

        conn.execute(documents.update().where(documents.c.id == bindparam("b_id")),
                     [{"b_id": r.id, "ident": ident_key(r.source_id, r.url, r.title, r.published)} for r in rows])


# version -> step that brings a database at version-1 up to version. A new
# column or table is a new entry here plus the change to the tables above.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _create_v1, 2: _v2_document_ident}


def schema_version(conn: Connection) -> int | None:
    if not inspect(conn).has_table("meta"):
        return None
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else None


def migrate(conn: Connection, *, upgrade: bool = True, target: int | None = None) -> int:
    """Create or upgrade the schema inside the caller's transaction; returns the version now."""
    target = target or max(max(MIGRATIONS), SCHEMA_VERSION)
    have = schema_version(conn)
    if have is None:
        names = set(inspect(conn).get_table_names())
        if names & {"documents", "events"}:
            raise StoreError("this database has sambandh-like tables but no schema version; "
                             "point --db at a new database file", code="E501")
        have = 0
    if have > target:
        raise StoreError(f"database schema is version {have}, this sambandh knows up to {target}; "
                         "upgrade sambandh (pip install -U sambandh)", code="E502")
    if have < target and have > 0 and not upgrade:
        raise StoreError(f"database schema is version {have}, needs {target}; run `sambandh stats --db URL` "
                         "once to upgrade it (back up the file first)", code="E503")
    if have == 0:  # a new database gets today's tables in one step
        metadata.create_all(conn)
        conn.execute(meta.insert(), [{"key": "schema_version", "value": str(target)}])
        return target
    for version in range(have + 1, target + 1):
        MIGRATIONS[version](conn)
    if have < target:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(target)))
    return target
