"""Administration: units, accounts, API tokens, the calendar, the county's identity, the change log."""
