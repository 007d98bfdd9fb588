"""Dispatch meetings (AL3, HD4, DC3, GS1, GS2, GS6): schedule, agenda, attendance, minutes."""
