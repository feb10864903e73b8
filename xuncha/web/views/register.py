"""单位名录: the office keeps the register of units and the region tree (add, rename, merge)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xuncha import access
from xuncha.accounts.models import Role
from xuncha.inspections.models import Region
from xuncha.inspections.regions import find_region
from xuncha.web.setup_forms import (
    MergeForm,
    RegionForm,
    RegisterUnitForm,
    RenameForm,
)
from xuncha.workflow import rounds
from xuncha.workflow.services import ServiceError

PAGE_SIZE = 50


@login_required
@require_GET
def unit_register(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    return _page(request)


def _page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    units = Paginator(rounds.units_page(query), PAGE_SIZE).get_page(request.GET.get("page"))
    regions = access.regions_for(request.user).select_related("parent__parent").order_by(
        "level", "name", "id")
    if query:
        regions = regions.filter(name__icontains=query)
    context = {
        "query": query, "units": units,
        "regions": Paginator(regions, PAGE_SIZE).get_page(request.GET.get("rpage")),
        "region_names": access.regions_for(request.user).order_by("name")
        .values_list("name", flat=True).distinct()[:3000],
        "unit_form": forms.get("unit_form") or RegisterUnitForm(),
        "region_form": forms.get("region_form") or RegionForm(),
    }
    return render(request, "web/setup/register.html", context, status=status)


def _act(request: HttpRequest, action: Callable[[], str], **forms: Any) -> HttpResponse:
    """Run a register action; a refusal shows the register again with the reason on top."""
    try:
        done = action()
    except ServiceError as error:
        messages.error(request, error.message)
        return _page(request, status=400, **forms)
    messages.success(request, done)
    query = request.POST.get("q", "")
    return redirect(reverse("unit-register") + (f"?{urlencode({'q': query})}" if query else ""))


def _refuse(request: HttpRequest, form: Any, **forms: Any) -> HttpResponse:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return _page(request, status=400, **forms)


@login_required
@require_POST
def unit_create(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    form = RegisterUnitForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, unit_form=form)

    def add() -> str:
        unit = rounds.register_unit(request.user, **form.cleaned_data)
        return f"已将“{unit.name}”加入单位名录"

    return _act(request, add, unit_form=form)


@login_required
@require_POST
def unit_rename(request: HttpRequest, unit_id: int) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    unit = access.access_unit(request.user, unit_id)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return _refuse(request, form)
    old = unit.name
    return _act(request, lambda: _renamed(old, rounds.rename_unit(
        request.user, unit, form.cleaned_data["name"]).name))


@login_required
@require_POST
def unit_merge(request: HttpRequest, unit_id: int) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    unit = access.access_unit(request.user, unit_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _refuse(request, form)

    def merge() -> str:
        name = form.cleaned_data["into"]
        target = access.units_for(request.user).filter(name=name).first()
        if target is None:
            raise ServiceError(f"单位名录中没有“{name}”", "into")
        rounds.merge_units(request.user, unit, target)
        return f"已将“{unit.name}”并入“{target.name}”"

    return _act(request, merge)


def _renamed(old: str, new: str) -> str:
    return f"已将“{old}”更名为“{new}”"


@login_required
@require_POST
def region_create(request: HttpRequest) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    form = RegionForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, region_form=form)

    def add() -> str:
        data = form.cleaned_data
        parent = _region_named(data["parent"]) if data["parent"] else None
        region = rounds.add_region(request.user, name=data["name"], level=data["level"],
                                   parent=parent)
        return f"已新增行政区划“{region.name}”"

    return _act(request, add, region_form=form)


def _region_named(name: str) -> Region:
    found = find_region(name)
    if found is None:
        raise ServiceError(f"找不到唯一名为“{name}”的区划（可连同上级一起写）", "parent")
    return found


@login_required
@require_POST
def region_rename(request: HttpRequest, region_id: int) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    region = access.access_region(request.user, region_id)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return _refuse(request, form)
    old = region.name
    return _act(request, lambda: _renamed(old, rounds.rename_region(
        request.user, region, form.cleaned_data["name"]).name))


@login_required
@require_POST
def region_merge(request: HttpRequest, region_id: int) -> HttpResponse:
    access.require_role(request.user, Role.OFFICE)
    region = access.access_region(request.user, region_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _refuse(request, form)

    def merge() -> str:
        target = _region_named(form.cleaned_data["into"])
        rounds.merge_regions(request.user, region, target)
        return f"已将区划“{region.name}”并入“{target.name}”"

    return _act(request, merge)

