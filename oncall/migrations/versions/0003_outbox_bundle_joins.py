"""outbox: pages that join a bundle, and the SMS that announced a reply code

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 06:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attached_to', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notifications_attached_to'), ['attached_to'], unique=False)
    with op.batch_alter_table('reply_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reply_codes', schema=None) as batch_op:
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_attached_to'))
        batch_op.drop_column('attached_to')
