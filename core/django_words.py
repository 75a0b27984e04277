"""Django's own words that its catalogues do not translate yet.

Django 6.1 is newer than its Swedish and Czech translations (the admin's hidden
headings in Czech, for one). Marked here, the words land in our catalogues,
which Django reads before its own (LOCALE_PATHS).
"""

from django.utils.translation import gettext_noop

DJANGO_WORDS = [
    gettext_noop("- Select an option -"),  # every select's empty choice
    # The admin's headings for screen readers.
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Logout"),
]
