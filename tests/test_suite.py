"""The test run itself: the backends it leaves out are named at the top and again at the end,
once each, also when pytest-xdist spreads the tests over several workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.builders.suite import NO_POSTGRES, NO_REDIS

ROOT = Path(__file__).parents[1]


def run_pytest(tmp_path: Path, *args: str, **env: str) -> str:
    """The output of a pytest run of one passing test with the suite's plugin and ``env``."""
    (tmp_path / "test_one.py").write_text("def test_one():\n    pass\n", encoding="utf-8")
    # The outer run's own settings (its backends, its xdist worker) stay out of the inner one.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("KEYPROJ_TEST_", "PYTEST_"))
    }
    # Only the plugins under test: loading every installed one would take most of the time.
    plugins = ["-p", "xdist.plugin", "-p", "tests.builders.suite", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, *args, "test_one.py"],
        cwd=tmp_path,
        env={**inherited, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_backends_left_out_are_named_once_at_the_top_and_once_at_the_end_on_two_workers(
    tmp_path,
):
    output = run_pytest(tmp_path, "-n", "2")
    assert "2 workers [1 item]" in output
    result = output.rindex("1 passed")
    for reason in (NO_POSTGRES, NO_REDIS):
        assert output.count(reason) == 2, output
        assert output.index(reason) < output.index("2 workers"), output
        assert output.index("backends left out") < output.rindex(reason) < result, output


def test_a_run_with_both_backends_names_them_without_the_password_and_warns_of_nothing(tmp_path):
    output = run_pytest(
        tmp_path,
        KEYPROJ_TEST_DATABASE_URL="postgresql+psycopg://postgres:s3cret@127.0.0.1:5432/test",
        KEYPROJ_TEST_REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert "PostgreSQL tests: postgresql+psycopg://postgres:***@127.0.0.1:5432/test" in output
    assert "Redis worker tests: redis://127.0.0.1:6379/0" in output
    assert "s3cret" not in output
    assert "WARNING" not in output
    assert "backends left out" not in output
