"""``keyproj serve``: the web app under an embedded gunicorn."""

from __future__ import annotations

import gc
from typing import Any

import click
from flask import Flask
from gunicorn.app.base import BaseApplication

from cli.context import pass_runtime
from keyproj.runtime import Runtime
from web import create_app

WORKERS = 2
THREADS = 4


class WebServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn serving one already-built Flask app (no command line or config file of its own)."""

    def __init__(self, app: Flask, options: dict[str, Any]):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply the options given at construction."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The WSGI app to serve."""
        return self.application


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@pass_runtime
def serve(rt: Runtime, host: str) -> None:
    """Serve the web app (2 workers × 4 threads, access log on stdout)."""
    # Built before gunicorn starts, so a bad policy profile stops start-up with its message.
    web_app = create_app(rt)
    port = rt.settings.port

    def post_fork(_server: Any, _worker: Any) -> None:
        # Each worker starts with its own connection pool: pooled connections must not cross a fork.
        rt.forget_connections()

    options = {
        "bind": f"{host}:{port}",
        "workers": WORKERS,
        "threads": THREADS,
        "worker_class": "gthread",
        "accesslog": "-",
        "errorlog": "-",
        "post_fork": post_fork,
        "proc_name": "keyproj",
        # The default control socket path is shared by every gunicorn of the account: two
        # instances would clash, and this one needs no runtime control beyond signals.
        "control_socket_disable": True,
    }
    click.echo(f"系统已启动：http://{host}:{port}/login")
    # Everything built so far lives as long as the process: set it aside from the collector, so
    # the forked workers neither copy it on the collector's writes nor walk it again at exit
    # (a stop then takes seconds, not a second).
    gc.freeze()
    WebServer(web_app, options).run()
