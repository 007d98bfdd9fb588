"""Notifications: the in-app inbox, producers from case events and reminders, mail."""
