from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from contacts.numbering import create_contact_number_series

        post_migrate.connect(create_contact_number_series, sender=self)

        from contacts.import_jobs import CHECK_KIND, IMPORT_KIND
        from core.jobs import register_job_kind

        register_job_kind(CHECK_KIND)
        register_job_kind(IMPORT_KIND)
