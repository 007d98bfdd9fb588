"""Interviews (约谈, HD6): proposals from the system's own data, the key office's records,
scheduling, the interview itself and the commitments made there."""
