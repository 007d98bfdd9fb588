"""Password hashing (argon2) and the password policy: ≥ 8 characters, 3 of 4 character classes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from keyproj.errors import ValidationError

_hasher = PasswordHasher()


def check_policy(password: str) -> None:
    """Raise a ValidationError on ``password`` when it breaks the policy."""
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) < 8 or classes < 3:
        raise ValidationError.single(
            "password", "密码", "至少8位，且包含大写字母、小写字母、数字、符号中的至少三类"
        )


def hash_password(password: str) -> str:
    """An argon2 hash of a password that meets the policy."""
    check_policy(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
