"""Decided items (议定事项): recorded from meetings and the office's own page, carried out as cases."""
