"""Aelix transaction export for the payments team."""

__version__ = "0.4.2"
