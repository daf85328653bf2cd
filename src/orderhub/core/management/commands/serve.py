"""`orderhub serve`: a production WSGI server (waitress) with static files and the job runner."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Serve OrderHub with waitress (not runserver), applying migrations first."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first"
        )

    def handle(self, *args, host: str, port: int, threads: int, no_migrate: bool, **options):
        from waitress import serve

        from orderhub.wsgi import application

        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        for start in _startup_hooks():
            start()
        self.stdout.write(f"OrderHub is serving on http://{host}:{port}/  (Ctrl+C to stop)")
        serve(application, host=host, port=port, threads=threads, ident="OrderHub")


def _startup_hooks():
    """Things to start beside the web server (the embedded job runner, when installed)."""
    hooks = getattr(settings, "ORDERHUB_SERVE_HOOKS", [])
    from django.utils.module_loading import import_string

    return [import_string(path) for path in hooks]
