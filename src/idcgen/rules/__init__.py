"""Lint rules (filled in by the lint issue)."""
