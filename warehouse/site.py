"""Moved: the dashboard is its own stage, the `dashboard` package (dashboard/build.py). Kept as a shim for callers."""

from dashboard.build import build_site

__all__ = ["build_site"]
