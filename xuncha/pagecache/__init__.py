"""Rendered pages kept per user until anything is written (see ``version`` and ``pages``)."""
