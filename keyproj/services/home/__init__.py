"""Each role's home page (issue 15): counts and short lists, one module per role, within access."""
