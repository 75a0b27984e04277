from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SegmentationConfig(AppConfig):
    name = "segmentation"
    verbose_name = _("Segmentation")

    def ready(self):
        from segmentation.access import create_groups
        from segmentation.numbering import create_segment_number_series

        post_migrate.connect(create_segment_number_series, sender=self)
        post_migrate.connect(create_groups, sender=self)

        from core.jobs import register_job_kind
        from segmentation.delivery.jobs import DELIVERY_KIND
        from segmentation.jobs import (
            CANCEL_KIND,
            EDIT_LINES_KIND,
            LOG_KIND,
            STEP_KIND,
        )
        from segmentation.letters.jobs import LETTERS

        for kind in (
            LETTERS,
            LOG_KIND,
            STEP_KIND,
            EDIT_LINES_KIND,
            CANCEL_KIND,
            DELIVERY_KIND,
        ):
            register_job_kind(kind)

        from segmentation.exports import register_exports

        register_exports()
