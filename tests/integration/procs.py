"""Real processes for integration tests: start a command, read its log as it comes, stop it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).parents[2]
BIN = ROOT / ".venv" / "bin"
# Databases of their own on the shared server, one per pytest-xdist worker (gw0, gw1, …),
# each emptied before a test: Redis's default 16 leave room for six workers.
TEST_REDIS_DBS = range(10, 16)


def redis_db_of(worker_id: str) -> int:
    """The Redis database of the test process ``worker_id`` (xdist's name, "master" alone)."""
    index = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    if index >= len(TEST_REDIS_DBS):
        raise RuntimeError(
            f"worker {worker_id} has no Redis database of its own: the integration tests "
            f"take databases {TEST_REDIS_DBS.start}-{TEST_REDIS_DBS.stop - 1}, one per worker; "
            "run them with fewer workers"
        )
    return TEST_REDIS_DBS[index]


class Process:
    """A child process whose merged output is kept in a file and can be waited on line by line."""

    def __init__(self, name: str, argv: Sequence[str], env: Mapping[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self.proc = subprocess.Popen(
            list(argv),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its own process group: stop() reaches its children too
            # Ctrl-C as in a terminal: a test run started in the background inherits SIGINT
            # ignored, and a shell cannot trap a signal ignored when it started.
            preexec_fn=_default_interrupt,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        with self.log_path.open("w", encoding="utf-8") as log:
            for line in self.proc.stdout:
                log.write(line)
                log.flush()
                with self._changed:
                    self._lines.append(line)
                    self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def expect(self, pattern: str, timeout: float = 60, count: int = 1) -> re.Match[str]:
        """Block until ``count`` lines of output so far match ``pattern``; the last match.

        Lines are searched from the start: processes started together interleave their output
        in no fixed order, so a line may come before the one the test waited for first.
        """
        regex = re.compile(pattern)
        with self._changed:
            self._changed.wait_for(
                lambda: len(self._matches(regex)) >= count or self._ended, timeout=timeout
            )
            matches = self._matches(regex)
        if len(matches) >= count:
            return matches[count - 1]
        state = f"exited ({self.proc.poll()})" if self._ended else f"no match within {timeout}s"
        raise AssertionError(f"{self.name}: {state} waiting for {pattern!r}\n{self.tail()}")

    def _matches(self, regex: re.Pattern[str]) -> list[re.Match[str]]:
        return [m for m in map(regex.search, self._lines) if m]

    def tail(self, lines: int = 40) -> str:
        """The last lines of the log."""
        text = self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the whole process group, as a crash or the OOM killer would."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def interrupt(self, timeout: float = 30) -> float:
        """Press Ctrl-C: SIGINT to the process group; the seconds until the process had ended."""
        started = time.monotonic()
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as late:
            message = f"{self.name}: still running {timeout}s after Ctrl-C\n{self.tail()}"
            raise AssertionError(message) from late
        elapsed = time.monotonic() - started
        self._reader.join(timeout=timeout)  # what its children said while stopping
        return elapsed

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not ended within 20 s."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def celery(*args: str) -> list[str]:
    """The argv of a celery command on the project's app."""
    return [str(BIN / "celery"), "-A", "workers.app", *args]


def worker_argv(name: str, concurrency: int = 1, *extra: str) -> list[str]:
    """A celery worker that starts quickly (no gossip, mingle or heartbeat between workers)."""
    return celery(
        "worker",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        f"--hostname={name}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        *extra,
    )


def keyproj_env(tmp_path: Path, database_url: str, broker: str, **extra: str) -> dict[str, str]:
    """The settings of a worker or web process of the test installation."""
    return {
        "KEYPROJ_DATABASE_URL": database_url,
        "KEYPROJ_BROKER_URL": broker,
        "KEYPROJ_INSTANCE_DIR": str(tmp_path / "instance"),
        "KEYPROJ_PROFILE": "lianping",
        "KEYPROJ_SECRET_KEY": "integration-test",
        **extra,
    }


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
