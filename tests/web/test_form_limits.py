"""Every text field stops where its service stops, with a counter and no silent truncation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django import forms as django_forms
from django.test import Client
from django.urls import reverse

from xuncha.inspections.models import Problem
from xuncha.web import forms
from xuncha.workflow.services import _LIMITS

As = Callable[[str], Client]

#: form -> {form field: the service's field (its limit in services._LIMITS)}
SERVICE_FIELDS: dict[type[forms.Form], dict[str, str]] = {
    forms.MeasureForm: {"content": "content", "leader": "leader", "department": "department",
                        "standard": "standard", "notes": "notes"},
    forms.DecisionForm: {"comment": "comment"},
    forms.ProgressForm: {"content": "text"},
    forms.ProblemForm: {"text": "text"},
    forms.ClueForm: {"note": "comment"},
    forms.OutcomeForm: {"outcome": "text"},
    forms.EvidenceWithdrawForm: {"comment": "comment"},
}


@pytest.mark.parametrize("form_class", list(SERVICE_FIELDS), ids=lambda f: f.__name__)
def test_each_text_field_has_the_services_limit_in_the_browser(
    form_class: type[forms.Form],
) -> None:
    form = form_class()
    for name, service_field in SERVICE_FIELDS[form_class].items():
        field = form.fields[name]
        assert isinstance(field, django_forms.CharField)
        assert field.max_length == _LIMITS[service_field], (form_class.__name__, name)
        assert form[name].field.widget.attrs["maxlength"] == str(_LIMITS[service_field])


#: Text fields whose limit is the form's own (the service checks their parts): field -> limit.
OWN_LIMITS: dict[type[forms.Form], dict[str, int]] = {
    # 建立完善制度, one rule a line: the service limits each name and the number of rules.
    forms.ProgressForm: {"rules": 4000},
}


def test_every_text_field_of_every_form_is_limited() -> None:
    for form_class in SERVICE_FIELDS:
        for name, field in form_class.base_fields.items():
            if isinstance(field, django_forms.CharField) and not isinstance(
                field.widget, django_forms.HiddenInput
            ):
                own = OWN_LIMITS.get(form_class, {})
                if name in own:
                    assert field.max_length == own[name]
                    assert field.widget.attrs["maxlength"] == str(own[name])
                    continue
                assert name in SERVICE_FIELDS[form_class], (form_class.__name__, name)


def test_line_breaks_count_once_as_in_the_browser() -> None:
    # 2000 characters as the browser counts them; sent with CR LF, that is 2001.
    at_limit = "甲" * 1000 + "\r\n" + "乙" * 999
    form = forms.DecisionForm({"decision": "return", "comment": at_limit})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == at_limit.replace("\r\n", "\n")
    over = forms.DecisionForm({"decision": "return", "comment": at_limit + "丙"})
    assert not over.is_valid()
    assert "意见不能超过 2000 字" in over.errors["comment"]


@pytest.mark.django_db
def test_the_page_carries_the_counter_and_loads_its_script(
    as_: As, people: dict[str, Any], problem_a: Problem
) -> None:
    html = as_("unit_a").get(reverse("problem-detail", args=[problem_a.pk])).content.decode()
    assert re.search(r'<textarea name="content" [^>]*maxlength="4000"', html)
    assert "/static/xuncha/form-aids.js" in html and "<script>" not in html
