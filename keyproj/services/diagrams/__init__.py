"""Diagrams edited in the browser (X3): validation, versions, and what the modeler offers."""
