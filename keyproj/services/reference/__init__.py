"""Reference data and plumbing: the working-day calendar, the outbox, database set-up."""
