"""checkout offers: the shopper's line an upgrade replaced (restored when the upgrade is deleted)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkout_offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_variant_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("original_quantity", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkout_offers", schema=None) as batch_op:
        batch_op.drop_column("original_quantity")
        batch_op.drop_column("original_variant_id")
