"""Diagrams the office edits (X3): validation, versions (deploy, list, diff, retire) and the
migration of running cases."""
