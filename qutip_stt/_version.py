"""The package version (one place; read by the build and by every writer)."""

__version__ = "0.2.0"
