"""change counter epoch

A random id of the database's life, carried in every sync cursor: `tournee restore` draws a
new one, so a device whose cursor came from before the restore is told to sync afresh (410)
instead of silently skipping the changes numbered again after it.

Revision ID: c4d2e6f8a1b3
Revises: bc3fabf13c29
Create Date: 2026-11-24 12:55:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4d2e6f8a1b3'
down_revision = 'bc3fabf13c29'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('change_counter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('epoch', sa.String(length=16), nullable=False,
                                      server_default='0'))
    op.execute(sa.text("UPDATE change_counter SET epoch = :epoch").bindparams(
        epoch=secrets.token_hex(4)))


def downgrade():
    with op.batch_alter_table('change_counter', schema=None) as batch_op:
        batch_op.drop_column('epoch')
