"""incidents: incidents, attached alerts, role holders, timeline entries, action items

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:21:55.499925
"""

from alembic import op
import sqlalchemy as sa
import oncall.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('team', sa.String(length=100), nullable=True),
    sa.Column('declared_at', oncall.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('declared_by', sa.String(length=100), nullable=False),
    sa.Column('impact_started_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('commander_assigned_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_monitoring_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_update_due_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('postmortem_draft', sa.Text(), nullable=True),
    sa.Column('updated_at', oncall.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_next_update_due_at'), ['next_update_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_status'), ['status'], unique=False)

    op.create_table('action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('priority', sa.String(length=2), nullable=False),
    sa.Column('created_at', oncall.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('done_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.String(length=100), nullable=True),
    sa.Column('last_digest_at', oncall.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_action_items_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items'))
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_items_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index('ix_action_items_open_due', ['done_at', 'due'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_owner'), ['owner'], unique=False)

    op.create_table('incident_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('attached_at', oncall.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_incident_alerts_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_alerts_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_alerts')),
    sa.UniqueConstraint('incident_id', 'alert_id', name=op.f('uq_incident_alerts_incident_id_alert_id'))
    )
    with op.batch_alter_table('incident_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_alerts_alert_id'), ['alert_id'], unique=False)

    op.create_table('incident_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('at', oncall.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_entries_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_entries'))
    )
    with op.batch_alter_table('incident_entries', schema=None) as batch_op:
        batch_op.create_index('ix_incident_entries_incident_at', ['incident_id', 'at'], unique=False)

    op.create_table('incident_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('person', sa.String(length=100), nullable=False),
    sa.Column('assigned_at', oncall.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assigned_by', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_roles_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_roles')),
    sa.UniqueConstraint('incident_id', 'role', name=op.f('uq_incident_roles_incident_id_role'))
    )
    with op.batch_alter_table('incident_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_roles_person'), ['person'], unique=False)

    # Notices (incident role pages, reminders, digests) go through the outbox with no alert.
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('alert_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('incident_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notifications_incident_id'), ['incident_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_incident_id_incidents'), 'incidents', ['incident_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE alert_id IS NULL")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_incident_id_incidents'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notifications_incident_id'))
        batch_op.drop_column('incident_id')
        batch_op.alter_column('alert_id', existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table('incident_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_roles_person'))

    op.drop_table('incident_roles')
    with op.batch_alter_table('incident_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_entries_incident_at')

    op.drop_table('incident_entries')
    with op.batch_alter_table('incident_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_alerts_alert_id'))

    op.drop_table('incident_alerts')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_items_owner'))
        batch_op.drop_index('ix_action_items_open_due')
        batch_op.drop_index(batch_op.f('ix_action_items_incident_id'))

    op.drop_table('action_items')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_status'))
        batch_op.drop_index(batch_op.f('ix_incidents_next_update_due_at'))

    op.drop_table('incidents')
