"""Fixtures for the inspections app's tests: the workflow's people and items, shared as-is."""

from tests.workflow.conftest import open_measure, people, problem_a, signed_off  # noqa: F401
