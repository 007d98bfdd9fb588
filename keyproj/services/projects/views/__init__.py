"""Read models of the project, report and issue pages."""
