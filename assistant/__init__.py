"""Civic Service Assistant: a bilingual, multi-channel guide to government service matters."""

__version__ = "0.1.0"
