"""Bulletins (通报): the period's figures, numbered and archived, as a page and a DOCX."""
