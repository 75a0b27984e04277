from collections import Counter, defaultdict

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_ids import IdsAdminMixin, IdsModelAdmin, IdsTabularInline
from core.models import AuditEvent, Job, JobChunk


class JobChunkInline(IdsTabularInline):
    model = JobChunk
    extra = 0
    can_delete = False
    fields = ["index", "state", "done", "attempts", "task_id", "finished_at"]
    readonly_fields = fields


@admin.register(Job)
class JobAdmin(IdsModelAdmin):
    list_display = ["title", "kind", "owner", "state", "done", "total", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]
    # The file is linked through the view that checks who asks, never its storage URL.
    exclude = ["result"]
    readonly_fields = [
        "download" if field.name == "result" else field.name
        for field in Job._meta.fields
    ]
    inlines = [JobChunkInline]

    @admin.display(description=_("result"))
    def download(self, obj):
        if not obj.result:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("core:job_download", args=[obj.pk]),
            obj.result_name,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(IdsModelAdmin):
    """The history of every business write: read only, and for admins only."""

    list_display = ["at", "actor", "action", "object_label", "summary"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["actor"]
    search_fields = ["object_label", "actor__username"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields] + ["summary"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def user_history(users) -> dict[int, list[str]]:
    """What each user did that history keeps, e.g. ["interaction log entries: 12"].

    History is every row whose link to its user is PROTECT: whichever app it
    belongs to, it says who did something, so the user must stay.
    """
    pks = [user.pk for user in users]
    counts: dict[int, Counter] = defaultdict(Counter)
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        if relation.concrete or not relation.auto_created:
            continue
        if getattr(relation, "on_delete", None) is not models.PROTECT:
            continue
        field = relation.field
        rows = (
            relation.related_model._base_manager.filter(**{f"{field.name}__in": pks})
            .values_list(field.attname)
            .annotate(count=Count("pk"))
            .order_by()
        )
        for pk, count in rows:
            counts[pk][str(relation.related_model._meta.verbose_name_plural)] += count
    return {
        pk: [f"{kind}: {count}" for kind, count in kinds.items()]
        for pk, kinds in counts.items()
    }


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(IdsAdminMixin, auth_admin.GroupAdmin):
    pass


@admin.register(get_user_model())
class UserAdmin(IdsAdminMixin, auth_admin.UserAdmin):
    """Users who did anything are deactivated, not deleted, so history keeps their name."""

    def get_deleted_objects(self, objs, request):
        # Used by both the delete page and the "delete selected" action: a
        # protected list makes them refuse, without collecting every row.
        history = user_history(objs)
        if not history:
            return super().get_deleted_objects(objs, request)
        self.message_user(
            request,
            gettext(
                "A user who has done something in Segmenta cannot be deleted: what "
                "they did must keep their name. Deactivate the user instead: untick "
                "“Active” on the user’s page."
            ),
            messages.ERROR,
        )
        protected = [
            f"{user}: {', '.join(history[user.pk])}"
            for user in objs
            if user.pk in history
        ]
        return [], {}, set(), protected
