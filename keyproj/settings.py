"""One Settings object read from the ``KEYPROJ_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PROFILE = "lianping"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build it with :meth:`from_env`."""

    instance_dir: Path
    database_url: str
    profile: str
    secret_key: str
    port: int
    broker_url: str
    session_idle_minutes: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings; SQLite under ``instance/`` unless ``KEYPROJ_DATABASE_URL`` says otherwise."""
        env = os.environ if env is None else env
        instance = Path(env.get("KEYPROJ_INSTANCE_DIR", "instance")).resolve()
        database_url = env.get("KEYPROJ_DATABASE_URL") or f"sqlite:///{instance / 'keyproj.db'}"
        broker = env.get("KEYPROJ_BROKER_URL") or f"sqla+sqlite:///{instance / 'broker.db'}"
        return cls(
            instance_dir=instance,
            database_url=database_url,
            profile=env.get("KEYPROJ_PROFILE", DEFAULT_PROFILE),
            secret_key=env.get("KEYPROJ_SECRET_KEY") or _instance_secret(instance),
            port=_int(env, "KEYPROJ_PORT", 5000),
            broker_url=broker,
            session_idle_minutes=_int(env, "KEYPROJ_SESSION_IDLE_MINUTES", 30),
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为整数，实际为“{raw}”") from None


def _instance_secret(instance: Path) -> str:
    """A secret kept in ``instance/secret_key`` so sessions survive restarts without configuration."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
