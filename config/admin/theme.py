"""django-unfold settings: the admin's look and its sidebar, grouped by system."""

UNFOLD = {
    "SITE_TITLE": "Lucid",
    "SITE_HEADER": "Lucid back-office",
}
