"""search index words: every folded word of every record, in a B-tree, for short prefixes

A query of one to three letters used to rank every record holding a word it starts (10,000+
on a large book: 15-20 ms); it now reads this table in order (see app/services/search.py and
docs/decisions.md). Filled from the existing index rows. On SQLite the FTS5 table is made
again with prefix indexes up to 6 letters (from its own rows), for names typed whole; on
PostgreSQL the GIN indexes stop queueing new entries (fastupdate off) and the queue is merged.

Revision ID: e7f1a2b3c4d5
Revises: c4d2e6f8a1b3
Create Date: 2026-11-24 15:20:00

"""
from alembic import op

from app.services.search import upgrade_index

revision = 'e7f1a2b3c4d5'
down_revision = 'c4d2e6f8a1b3'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    upgrade_index(bind)
    if bind.dialect.name == "postgresql":
        op.execute("ANALYZE search_index_words")  # or the planner sorts every match


def downgrade():
    op.execute("DROP TABLE search_index_words")
