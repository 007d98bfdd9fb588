"""Printable official documents (DOCX in the GB/T 9704 layout) of what the product issues."""
