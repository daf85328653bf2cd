"""`orderhub createstore NAME [--user EMAIL]`: a new store, its id and a fresh API key."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from orderhub.stores import services


class Command(BaseCommand):
    help = "Create a store with the default folders and print its id and a new API key."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--user", help="Email of a user to add as the store's owner")
        parser.add_argument("--timezone", default="UTC")

    def handle(self, *args, name: str, user: str | None, timezone: str, **options):
        owner = None
        if user:
            owner = get_user_model().objects.filter(email__iexact=user).first() or (
                get_user_model().objects.filter(username__iexact=user).first()
            )
            if owner is None:
                raise CommandError(
                    f"No user with email {user}: create one with `orderhub createsuperuser`"
                )
        if not name.strip():
            raise CommandError("The store name cannot be empty")
        try:
            store = services.create_store(name, actor=None, owner=owner, timezone=timezone)
        except Exception as exc:  # a validation error names the bad field
            raise CommandError(str(exc)) from exc
        key = services.regenerate_api_key(store, actor=None)
        self.stdout.write(f"Store id: {store.id}")
        self.stdout.write(f"API key:  {key}")
        self.stdout.write("Keep the API key now: it is stored hashed and cannot be shown again.")
