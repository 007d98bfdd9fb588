"""The supervision office's work (LP13, LP20): the ledger, filings, results and accountability."""
