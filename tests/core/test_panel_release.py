"""A cached filter panel never outlives the templates and words that drew it."""

from django.test import RequestFactory, override_settings

from core import filter_panel
from segmentation.views.contacts import ContactListFilter


def _key_with_templates(folder) -> str:
    filter_panel.release.cache_clear()
    templates = [{"BACKEND": "django.template.backends.django.DjangoTemplates"}]
    templates[0]["DIRS"] = [folder]
    with override_settings(TEMPLATES=templates, LOCALE_PATHS=[]):
        request = RequestFactory().get("/")
        form = ContactListFilter(request.GET).form
        form.fields = {}  # the choices are not what this test is about
        return filter_panel.panel_key(request, form)


def test_a_changed_template_makes_a_new_key(tmp_path):
    panel = tmp_path / "includes" / "filter_panel.html"
    panel.parent.mkdir()
    panel.write_text("<form>old</form>")
    before = _key_with_templates(tmp_path)
    assert _key_with_templates(tmp_path) == before

    panel.write_text("<form>new</form>")

    try:
        assert _key_with_templates(tmp_path) != before
    finally:
        filter_panel.release.cache_clear()
