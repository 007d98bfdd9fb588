"""The rule scan: evaluate and insert warnings, start their cases, the LP12 feedback import."""
