"""lift: guardrail pauses, digests, scheduled runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 02:17:21.511864
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import saleor_upsell_app.kit.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", saleor_upsell_app.kit.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", saleor_upsell_app.kit.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job", "period", name="uq_scheduled_run"),
    )
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chart", sa.LargeBinary(), nullable=True),
        sa.Column("emailed_to", sa.String(length=500), nullable=True),
        sa.Column("created_at", saleor_upsell_app.kit.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["installation_id"], ["installations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("installation_id", "week", name="uq_digest_week"),
    )
    op.create_table(
        "rule_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("channel_slug", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("paused_at", saleor_upsell_app.kit.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["installation_id"], ["installations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rule_id"], ["rules.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rule_pauses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rule_pauses_installation_time", ["installation_id", "paused_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rule_pauses", schema=None) as batch_op:
        batch_op.drop_index("ix_rule_pauses_installation_time")

    op.drop_table("rule_pauses")
    op.drop_table("digests")
    op.drop_table("scheduled_runs")
