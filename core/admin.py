from django.contrib import admin

from core.models import Job, JobChunk


class JobChunkInline(admin.TabularInline):
    model = JobChunk
    extra = 0
    can_delete = False
    fields = ["index", "state", "done", "attempts", "task_id", "finished_at"]
    readonly_fields = fields


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "state", "done", "total", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]
    readonly_fields = [field.name for field in Job._meta.fields]
    inlines = [JobChunkInline]
