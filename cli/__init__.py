"""The ``keyproj`` console command."""
