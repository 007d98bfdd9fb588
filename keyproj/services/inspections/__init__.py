"""Joint inspection groups (联合检查组, GS5): groups, weekly records, missed weeks and the bulletin."""
