"""Form widgets rendered by Jinja2, Django's templates only where a library has no other.

A select's options each go through Django's template engine: the contact
list's filter panel (29 fields, 250 countries) spent most of a filtered
page's time there. Django ships Jinja2 versions of its own widget templates,
which render the same HTML several times faster. A library widget that has
only a Django template (django-filter's range widgets) falls back to it.
"""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class JinjaWidgetsRenderer(Jinja2):
    fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
