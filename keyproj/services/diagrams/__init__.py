"""Diagrams the office edits (X3): validation before anything is stored."""
