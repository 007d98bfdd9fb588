"""Builders of test data and the fixtures every test may ask for.

Registered as a pytest plugin by the root conftest, so that pytest rewrites the assertions in
these modules too. Import builders from their modules, e.g. ``from tests.builders.county import
County``; fixtures are never imported, only asked for.
"""

pytest_plugins = ["tests.builders.fixtures", "tests.builders.suite"]
