"""Realistic synthetic demo data for `manage.py seed_demo` (never real PHI).

Everything is derived from fixed seeds, so a second run finds what the
first one made and adds nothing: the command is idempotent.
"""
