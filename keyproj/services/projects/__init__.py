"""Projects, plans, reports and issues, with their read models and the ledger workbook."""
