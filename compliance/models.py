"""Compliance findings (SPEC.md section 4); the engine arrives with its issue."""
