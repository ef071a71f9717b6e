"""Who is asking: the built-in users, and the modes that decide whether auth is required."""

from __future__ import annotations

# Fixed ids so a migration can create them and every replica agrees on them.
SYSTEM_USER_ID = "00000000-0000-0000-0000-000000000001"  # owns jobs pushed without a user
LOCAL_USER_ID = "00000000-0000-0000-0000-000000000002"  # the one user of a local install
SYSTEM_EMAIL = "system@opad.invalid"
LOCAL_EMAIL = "local@opad.invalid"
