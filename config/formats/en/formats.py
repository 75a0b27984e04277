# Django's English formats are American (12/03/2026, "8:14 a.m."): a European
# marketer reads 12 March. Day, month name and year, and 24-hour time, cannot be
# misread (a letter spells the month out). Input formats stay Django's: date
# fields post ISO dates.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
FIRST_DAY_OF_WEEK = 1
