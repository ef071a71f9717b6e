"""The learner's time zone (`users.time_zone`, an IANA name; none = UTC), and stored
emails in their one compared form (issue 30).

Emails were stored trimmed and lower-cased; `identifiers.canonical_email` also applies
NFKC_Casefold and IDNA. Rows whose new form would collide with another row's (two
look-alike accounts made before) are left as they are, for an administrator to merge.

Revision ID: 0011_security
Revises: 0011_reading
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_security"
down_revision = "0011_reading"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("time_zone", sa.String(64), nullable=True))
    from opad.identifiers import InvalidIdentifier, canonical_email

    bind = op.get_bind()
    users = sa.table("users", sa.column("id", sa.String), sa.column("email", sa.String))
    rows = bind.execute(sa.select(users.c.id, users.c.email)).all()
    taken = {email for _, email in rows}
    for ident, email in rows:
        try:
            canonical = canonical_email(email)
        except InvalidIdentifier:
            continue  # built-in users and odd legacy rows keep their form
        if canonical != email and canonical not in taken:
            bind.execute(users.update().where(users.c.id == ident).values(email=canonical))
            taken.add(canonical)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("time_zone")
