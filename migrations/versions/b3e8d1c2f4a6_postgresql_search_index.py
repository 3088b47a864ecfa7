"""search index on PostgreSQL: tsvector over unaccent(), GIN, and trigrams on the title

SQLite has had its FTS5 table since the first migration; this gives PostgreSQL its own
(see app/services/search.py). No PostgreSQL database predates it, so there is nothing to fill.

Revision ID: b3e8d1c2f4a6
Revises: a7c909f0b759
Create Date: 2026-11-24 10:05:00.000000

"""
from alembic import op

revision = 'b3e8d1c2f4a6'
down_revision = 'a7c909f0b759'
branch_labels = None
depends_on = None

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_index ("
    " rowid bigint PRIMARY KEY, entity varchar(16) NOT NULL, entity_id char(32) NOT NULL,"
    " title text NOT NULL, body text NOT NULL, folded text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX ix_search_index_document ON search_index USING gin (document)",
    "CREATE INDEX ix_search_index_folded ON search_index USING gin (folded gin_trgm_ops)",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in CREATE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE search_index")
