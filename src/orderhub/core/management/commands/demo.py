"""`orderhub demo`: make a newcomer's desk ready (a demo user and store), idempotently."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from orderhub.stores.models import Store
from orderhub.stores.services import create_store

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "orderhub-demo"
DEMO_STORE = "Demo Store"


class Command(BaseCommand):
    help = "Create the demo user and store (again only when missing) and print how to sign in."

    def handle(self, *args, **options):
        users = get_user_model().objects
        with transaction.atomic():
            user = users.filter(username=DEMO_EMAIL).first()
            if user is None:
                user = users.create_superuser(DEMO_EMAIL, DEMO_EMAIL, DEMO_PASSWORD)
            store = Store.objects.filter(name=DEMO_STORE, membership__user=user).first()
            if store is None:
                store = create_store(DEMO_STORE, actor=None, owner=user)
        self.stdout.write(f"Demo store: {store.name} (id {store.id})")
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ as {DEMO_EMAIL} / {DEMO_PASSWORD}")
