"""Saved criteria for Marketing users: the list, one's steps in words, Rename, Delete."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import ListView

from segmentation.criteria_words import describe
from segmentation.forms import SaveCriteriaForm
from segmentation.models import SavedCriteria
from segmentation.services import delete_saved_criteria, rename_saved_criteria

SAVED_CRITERIA_PER_PAGE = 50


class SavedCriteriaListView(PermissionRequiredMixin, ListView):
    """Every saved criteria, by code, with its number of steps."""

    permission_required = "segmentation.view_savedcriteria"
    raise_exception = True
    paginate_by = SAVED_CRITERIA_PER_PAGE
    template_name = "segmentation/savedcriteria_list.html"
    queryset = (
        SavedCriteria.objects.select_related("created_by")
        .annotate(step_count=Count("steps"))
        .order_by("code")
    )


@permission_required("segmentation.view_savedcriteria", raise_exception=True)
def saved_criteria_detail(request, pk):
    """The steps of saved criteria, in words, as Reuse Criteria will replay them."""
    saved = get_object_or_404(SavedCriteria.objects.select_related("created_by"), pk=pk)
    steps = list(saved.steps.order_by("number"))
    for step in steps:
        step.description = describe(step.parameters)
    return render(
        request,
        "segmentation/savedcriteria_detail.html",
        {"saved_criteria": saved, "steps": steps},
    )


@permission_required("segmentation.change_savedcriteria", raise_exception=True)
def saved_criteria_rename(request, pk):
    saved = get_object_or_404(SavedCriteria, pk=pk)
    form = SaveCriteriaForm(
        request.POST or None,
        initial={"code": saved.code, "description": saved.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = rename_saved_criteria(saved, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Saved criteria renamed to %(code)s.") % {"code": saved.code},
            )
            return redirect(saved)
    return render(
        request,
        "segmentation/savedcriteria_form.html",
        {"saved_criteria": saved, "form": form},
    )


@permission_required("segmentation.delete_savedcriteria", raise_exception=True)
def saved_criteria_delete(request, pk):
    saved = SavedCriteria.objects.annotate(step_count=Count("steps")).filter(pk=pk)
    saved = saved.first()
    if saved is None:
        messages.info(request, _("These saved criteria no longer exist."))
        return redirect("segmentation:saved_criteria_list")
    if request.method == "POST":
        try:
            delete_saved_criteria(saved, user=request.user)
        except ValidationError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, _("Saved criteria %(code)s deleted.") % {"code": saved.code}
            )
        return redirect("segmentation:saved_criteria_list")
    return render(
        request,
        "segmentation/savedcriteria_confirm_delete.html",
        {"saved_criteria": saved},
    )
