"""`orderhub salesforce-import STORE [--since YYYY-MM-DD]` with a progress bar."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from orderhub.integrations.errors import IntegrationError
from orderhub.integrations.salesforce import importer
from orderhub.integrations.salesforce.management.commands._store import find_integration
from orderhub.integrations.salesforce.models import ImportRun


class Command(BaseCommand):
    help = "Import orders from Salesforce now: new ones since the last check, or since a date."

    def add_arguments(self, parser):
        parser.add_argument("store", help="Store id or exact name")
        parser.add_argument(
            "--since", help="Import records created on or after this date (YYYY-MM-DD)"
        )

    def handle(self, *args, store, since, **options):
        integration = find_integration(store)
        since_date = None
        expected = None
        if since:
            try:
                since_date = date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since {since!r}: write the date as YYYY-MM-DD") from None
            try:
                expected = importer.preview_count(integration, since_date)
            except IntegrationError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{expected} order(s) match since {since_date.isoformat()}.")
        run = ImportRun.objects.create(
            integration=integration,
            trigger=ImportRun.Trigger.COMMAND,
            since=since_date,
            expected=expected,
        )
        columns = (
            TextColumn("[bold]Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=None, transient=False) as bar:
            task = bar.add_task("import", total=expected, detail="")

            def show(current: ImportRun) -> None:
                detail = (
                    f"pages {current.pages} · imported {current.imported} · "
                    f"already there {current.skipped} · failed {current.failed}"
                )
                bar.update(task, completed=current.seen, detail=detail)

            run = importer.execute(run, progress=show)
        summary = (
            f"{run.get_status_display()}: {run.imported} imported, {run.skipped} already there, "
            f"{run.failed} failed, {run.api_calls} API calls."
        )
        if run.status != ImportRun.Status.SUCCEEDED:
            raise CommandError(f"{summary} {run.error}")
        self.stdout.write(summary)
