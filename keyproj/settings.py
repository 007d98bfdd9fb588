"""One Settings object read from the ``KEYPROJ_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

DEFAULT_PROFILE = "lianping"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server notifications are sent through; mail is off while ``host`` is empty."""

    host: str = ""
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "keyproj@localhost"
    starttls: bool = False

    @property
    def enabled(self) -> bool:
        """True when a mail server is configured."""
        return bool(self.host)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings:
        """Read the ``KEYPROJ_SMTP_*`` variables."""
        return cls(
            host=env.get("KEYPROJ_SMTP_HOST", "").strip(),
            port=_int(env, "KEYPROJ_SMTP_PORT", 25),
            user=env.get("KEYPROJ_SMTP_USER", ""),
            password=env.get("KEYPROJ_SMTP_PASSWORD", ""),
            sender=env.get("KEYPROJ_SMTP_FROM") or "keyproj@localhost",
            starttls=_bool(env, "KEYPROJ_SMTP_STARTTLS", False),
        )


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
    scan_at: time = time(6, 0)  # the daily rule scan, Beijing time
    reminders_at: time = time(8, 30)  # report reminders and the bulletin notice, Beijing time
    beat_tick_s: int = 60  # how often the frequent jobs (timer sweep, outbox, mail) run
    # Sweeps sharing the due cases side by side in the workers' processes: two on PostgreSQL
    # (the worker runs two processes; row locks keep them apart), one on SQLite (one writer).
    sweep_shards: int = 1
    broker_visibility_timeout: int = 3600  # Redis re-delivers a task unacknowledged this long
    smtp: SmtpSettings = field(default_factory=SmtpSettings)  # mail is off without a host
    attachment_store: str = "filesystem"  # where attachments are kept (only a folder so far)
    attachment_dir: Path | None = None  # the folder; ``instance/attachments`` when not set
    attachment_max_mb: int = 20  # the largest attachment accepted, in MB

    @property
    def attachment_folder(self) -> Path:
        """The folder attachments are stored in, outside the database."""
        return self.attachment_dir or self.instance_dir / "attachments"

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
            scan_at=_clock(env, "KEYPROJ_SCAN_TIME", time(6, 0)),
            reminders_at=_clock(env, "KEYPROJ_REMINDER_TIME", time(8, 30)),
            beat_tick_s=_int(env, "KEYPROJ_BEAT_TICK_SECONDS", 60),
            sweep_shards=_sweep_shards(env, database_url),
            broker_visibility_timeout=_int(env, "KEYPROJ_BROKER_VISIBILITY_TIMEOUT", 3600),
            smtp=SmtpSettings.from_env(env),
            attachment_store=env.get("KEYPROJ_ATTACHMENT_STORE") or "filesystem",
            attachment_dir=_path(env, "KEYPROJ_ATTACHMENT_DIR"),
            attachment_max_mb=_int(env, "KEYPROJ_ATTACHMENT_MAX_MB", 20),
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为整数，实际为“{raw}”") from None


def _sweep_shards(env: Mapping[str, str], database_url: str) -> int:
    default = 2 if database_url.startswith("postgresql") else 1
    shards = _int(env, "KEYPROJ_SWEEP_SHARDS", default)
    if not 1 <= shards <= 16:
        raise ValueError(f"环境变量 KEYPROJ_SWEEP_SHARDS 应为1至16之间的整数，实际为“{shards}”")
    return shards


def _path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "").strip()
    return Path(raw).resolve() if raw else None


def _clock(env: Mapping[str, str], name: str, default: time) -> time:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为时刻，如 06:30，实际为“{raw}”") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"环境变量 {name} 应为 true 或 false，实际为“{raw}”")


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
