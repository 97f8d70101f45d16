"""The group names (Arabic, as editors see them in the admin's user screens).

Migration 0001 creates the groups and grants their permissions; it keeps its own copy of these names and
grants, as migrations must. Administrators are Django superusers, not a group.
"""

REPORTER = "مراسل"
EDITOR = "محرر"
EDITOR_IN_CHIEF = "رئيس التحرير"

ALL = (REPORTER, EDITOR, EDITOR_IN_CHIEF)
