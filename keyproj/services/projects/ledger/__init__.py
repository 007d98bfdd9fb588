"""The project ledger (台账) workbook: columns, import and export."""
