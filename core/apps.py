from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery every app may use (jobs, stored files, the audit); it imports none of them."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.database import analyse_if_never_analysed
        from core.text_search import register_lookups, register_sqlite_functions

        connection_created.connect(analyse_if_never_analysed)
        connection_created.connect(register_sqlite_functions)
        register_lookups()

        from core.export_jobs import EXPORT_KIND
        from core.jobs import register_job_kind

        register_job_kind(EXPORT_KIND)
