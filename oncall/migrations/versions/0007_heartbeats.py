"""heartbeats: each heartbeat's clock, last beat and open miss

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:24:02.834149
"""

from alembic import op
import sqlalchemy as sa
import oncall.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('heartbeats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('started_at', oncall.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_beat_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_beat_source', sa.String(length=20), nullable=True),
    sa.Column('beats', sa.Integer(), nullable=False),
    sa.Column('misses', sa.Integer(), nullable=False),
    sa.Column('missing_since', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('missing_alert_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['missing_alert_id'], ['alerts.id'], name=op.f('fk_heartbeats_missing_alert_id_alerts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_heartbeats')),
    sa.UniqueConstraint('name', name=op.f('uq_heartbeats_name'))
    )


def downgrade() -> None:
    op.drop_table('heartbeats')
