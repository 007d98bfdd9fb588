"""Attachments: files filed with an issue, a report, a warning or a case task, kept outside the database."""
