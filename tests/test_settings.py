"""Settings from KEYPROJ_* variables: SQLite under instance/ by default, PostgreSQL on request."""

from __future__ import annotations

import pytest

from keyproj.settings import Settings


def test_defaults_keep_everything_under_instance(tmp_path):
    settings = Settings.from_env({"KEYPROJ_INSTANCE_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'keyproj.db'}"
    assert settings.profile == "lianping"
    assert settings.port == 5000
    # The generated secret is kept, so sign-ins survive a restart.
    assert (
        Settings.from_env({"KEYPROJ_INSTANCE_DIR": str(tmp_path)}).secret_key == settings.secret_key
    )


def test_environment_overrides(tmp_path):
    settings = Settings.from_env(
        {
            "KEYPROJ_INSTANCE_DIR": str(tmp_path),
            "KEYPROJ_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/keyproj",
            "KEYPROJ_PROFILE": "handan",
            "KEYPROJ_PORT": "8080",
            "KEYPROJ_SECRET_KEY": "s3cret",
        }
    )
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert (settings.profile, settings.port, settings.secret_key) == ("handan", 8080, "s3cret")


def test_bad_number_names_the_variable(tmp_path):
    with pytest.raises(ValueError, match="KEYPROJ_PORT"):
        Settings.from_env({"KEYPROJ_INSTANCE_DIR": str(tmp_path), "KEYPROJ_PORT": "abc"})
