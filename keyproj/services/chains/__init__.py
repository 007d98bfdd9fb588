"""Industry chains under chain chiefs (链长制, DC5): one plan, four lists, their projects."""
