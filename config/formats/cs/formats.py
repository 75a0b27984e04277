# Czech writes short dates with spaces after the dots (3. 12. 2026), which
# Django's "d.m.Y" leaves out and pads with zeros.
SHORT_DATE_FORMAT = "j. n. Y"
SHORT_DATETIME_FORMAT = "j. n. Y G:i"
