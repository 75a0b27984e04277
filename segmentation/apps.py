from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentationConfig(AppConfig):
    name = "segmentation"
    verbose_name = _("Segmentation")

    def ready(self):
        from core.jobs import register_job_kind
        from segmentation.letters.jobs import LETTERS

        register_job_kind(LETTERS)
