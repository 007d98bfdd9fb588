"""The organisation: units, users, leaders and liaisons, sign-in and API tokens."""
