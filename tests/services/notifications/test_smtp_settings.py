"""KEYPROJ_SMTP_* settings: mail is off without a host; STARTTLS and login only when configured."""

from __future__ import annotations

import pytest

from keyproj.settings import Settings


def test_mail_is_off_by_default(tmp_path):
    smtp = Settings.from_env({"KEYPROJ_INSTANCE_DIR": str(tmp_path)}).smtp
    assert not smtp.enabled
    assert (smtp.port, smtp.user, smtp.sender, smtp.starttls) == (
        25,
        "",
        "keyproj@localhost",
        False,
    )


def test_smtp_variables(tmp_path):
    smtp = Settings.from_env(
        {
            "KEYPROJ_INSTANCE_DIR": str(tmp_path),
            "KEYPROJ_SMTP_HOST": "smtp.example.cn",
            "KEYPROJ_SMTP_PORT": "587",
            "KEYPROJ_SMTP_USER": "keyproj",
            "KEYPROJ_SMTP_PASSWORD": "s3cret",
            "KEYPROJ_SMTP_FROM": "zdb@county.gov.cn",
            "KEYPROJ_SMTP_STARTTLS": "true",
        }
    ).smtp
    assert smtp.enabled
    assert (smtp.host, smtp.port, smtp.user, smtp.password) == (
        "smtp.example.cn",
        587,
        "keyproj",
        "s3cret",
    )
    assert (smtp.sender, smtp.starttls) == ("zdb@county.gov.cn", True)
    assert "s3cret" not in repr(smtp)  # settings get logged; the password must not be


def test_bad_starttls_value_names_the_variable(tmp_path):
    with pytest.raises(ValueError, match="KEYPROJ_SMTP_STARTTLS"):
        Settings.from_env({"KEYPROJ_INSTANCE_DIR": str(tmp_path), "KEYPROJ_SMTP_STARTTLS": "maybe"})
