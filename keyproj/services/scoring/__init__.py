"""Quarterly department scores (AL11, AL12)."""
