"""Workflows of the member file, one module per subject: names, look-alikes (matching),
personal data, retention.

Every function is keyword-only, atomic where it writes, and raises `ValidationError` with a
French message when the coordinator asks for something that cannot be done.
"""
