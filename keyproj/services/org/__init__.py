"""The organisation: units, users, leaders and liaisons, sign-in and API tokens."""

# Ids are PostgreSQL integers: a larger number names no row, and asking for it would fail.
MAX_ID = 2**31 - 1
