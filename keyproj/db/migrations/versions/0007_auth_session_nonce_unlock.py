"""sessions ended on the server, unlock by an administrator, lockout of unknown usernames

Revision ID: 0007_auth_session_nonce
Revises: 0006
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_auth_session_nonce"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No nonce yet: every session signed before the upgrade is refused and signs in again.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_nonce", sa.String(length=64), nullable=True))
    with op.batch_alter_table("auth_events") as batch:
        batch.add_column(sa.Column("actor", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_auth_events_username_occurred_at", "auth_events", ["username", "occurred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_auth_events_username_occurred_at", table_name="auth_events")
    with op.batch_alter_table("auth_events") as batch:
        batch.drop_column("actor")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_nonce")
