"""Fixtures for the account services: the workflow's named people."""

from tests.workflow.conftest import people, problem_a  # noqa: F401 - fixtures shared as-is
