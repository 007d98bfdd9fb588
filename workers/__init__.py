"""Celery workers: the timer sweep, rule scans, reminders, notifications and mail."""
