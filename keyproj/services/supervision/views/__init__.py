"""Read models of the supervision ledger: its page, its export, the units' records."""
