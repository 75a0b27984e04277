from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from contacts import demo_data as contact_demo_data
from contacts.models import Contact, Salesperson
from interactions import demo_data as interaction_demo_data
from segmentation import demo_data as segment_demo_data

# In layer order: each app's demo data uses the one below it. These write through
# services, as the demo user.
DEMO_DATA_BY_USER = [interaction_demo_data, segment_demo_data]
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


class Command(BaseCommand):
    help = (
        "Load demo data: realistic contacts in English, Swedish, French and Czech with their "
        "reference data, or --contacts N generated contacts for benchmarks, then each app's "
        "interactions, templates and segments."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--contacts",
            type=int,
            help="Generate this many contacts fast instead of the demo set.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if there are contacts already.",
        )
        parser.add_argument(
            "--demo-login",
            action="store_true",
            help=f"Create or reset the login {DEMO_USERNAME}/{DEMO_PASSWORD} "
            "(only with DEBUG on and SQLite).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (default 2026)."
        )

    def handle(self, *args, contacts, if_empty, demo_login, seed, **options):
        # A known password must never reach a server that others can reach.
        if demo_login and not (settings.DEBUG and connection.vendor == "sqlite"):
            raise CommandError(
                "The demo login is only for the local SQLite database with DEBUG on; "
                "create real users with createsuperuser or in Django admin."
            )
        if if_empty and Contact.objects.exists():
            self.stdout.write("Contacts exist already; no demo data loaded.")
        else:
            contact_demo_data.load(contacts=contacts, seed=seed, stdout=self.stdout)
            user = self._demo_user()
            for demo_data in DEMO_DATA_BY_USER:
                demo_data.load(
                    contacts=contacts, seed=seed, stdout=self.stdout, user=user
                )
        if demo_login:
            self._ensure_demo_login()

    def _demo_user(self):
        """The user the demo data is by; it logs in only after --demo-login."""
        user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_unusable_password()
            user.save()
        return user

    def _ensure_demo_login(self):
        user = self._demo_user()
        user.set_password(DEMO_PASSWORD)
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name="Marketing admin"))
        # Letters and interactions the demo user writes default to this salesperson.
        Salesperson.objects.filter(code="AH", user__isnull=True).update(user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD} at http://127.0.0.1:8000/"
            )
        )
