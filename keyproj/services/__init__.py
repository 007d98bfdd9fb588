"""Use cases called by the web app, the workers and the command line."""
