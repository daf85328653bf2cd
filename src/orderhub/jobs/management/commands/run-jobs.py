"""`orderhub run-jobs --once`: run everything that is due now, then exit (cron, scripts)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from orderhub.jobs.runner import EmbeddedRunner, InlineRunner, sweep_once


class Command(BaseCommand):
    help = "Run due imports, pushes and queued jobs. --once runs what is due now and exits."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due now and exit")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between sweeps")

    def handle(self, *args, once: bool, tick: float, **options):
        if once:
            runner = InlineRunner()
            sweep_once(runner)
            self.stdout.write(f"Ran {len(runner.ran)} due item(s).")
            return
        if tick <= 0:
            raise CommandError("--tick must be a positive number of seconds")
        import time

        runner = EmbeddedRunner(tick_seconds=tick)
        runner.start()
        self.stdout.write("Running jobs; Ctrl+C to stop.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            runner.stop()
