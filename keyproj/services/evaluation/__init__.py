"""Evaluations of every project: the HD3 four-colour evaluation and its monthly 专报."""
