"""Fixtures for search: the workflow's named people and a corpus of generated texts."""

from __future__ import annotations

from tests.workflow.conftest import people, problem_a  # noqa: F401 - fixtures shared as-is
