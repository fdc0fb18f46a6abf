"""Generic edit and delete pages, in the manner of NetBox's ObjectEditView and ObjectDeleteView.

An app's page names its form, the service that writes, its title and where it leads; this
module does the rest the same way for every module: the declared permission (the decorators
of core/access.py, through `as_view()`), the 409 page after a conflicting edit with the
user's input kept and merged, a refusal shown at its field, the success message and the
redirect. In urls.py: `path("…/edit/", views.OrganizationEdit.as_view(), name="…")`.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core.access import View, object_view, plan_view
from masterplan.core.actors import Actor
from masterplan.core.forms import MergedField, VersionedModelForm
from masterplan.core.models import Masterplan, PlanScopedModel
from masterplan.core.permissions import Level
from masterplan.core.services import StaleVersionError

M = TypeVar("M", bound=PlanScopedModel)


@runtime_checkable
class HasPage(Protocol):
    """A record with a page of its own (`get_absolute_url`); not every model has one."""

    def get_absolute_url(self) -> str: ...


def page_of(obj: object) -> str:
    """The record's own page; a page about a record without one must say where it leads."""
    if not isinstance(obj, HasPage):
        raise TypeError(f"{type(obj).__name__} has no page of its own: give back_url()")
    return obj.get_absolute_url()


class PlanPage:
    """A page of one masterplan, built per request.

    `as_view()` wraps it in `plan_view(level)`, which declares and enforces the level before
    the page is built.
    """

    level: Level

    def __init__(self, request: HttpRequest, masterplan: Masterplan, **kwargs: Any) -> None:
        self.request = request
        self.masterplan = masterplan
        self.kwargs = kwargs

    @property
    def user(self) -> Actor:
        return self.request.user

    def respond(self) -> HttpResponse:
        raise NotImplementedError

    @classmethod
    def as_view(cls) -> View:
        def view(request: HttpRequest, masterplan: Masterplan, **kwargs: Any) -> HttpResponse:
            return cls(request, masterplan, **kwargs).respond()

        return plan_view(cls.level)(named_after(cls, view))


class ObjectPage(PlanPage, Generic[M]):
    """A page of one object (the URL's `<int:pk>`), built per request.

    `as_view()` wraps it in `object_view(model, level)`, which finds the object in the plan and
    declares and enforces the level before the page is built.
    """

    model: type[M]

    def __init__(self, request: HttpRequest, masterplan: Masterplan, obj: M, **kwargs: Any) -> None:
        super().__init__(request, masterplan, **kwargs)
        self.obj = obj

    @classmethod
    def as_view(cls) -> View:
        def view(
            request: HttpRequest, masterplan: Masterplan, obj: M, **kwargs: Any
        ) -> HttpResponse:
            return cls(request, masterplan, obj, **kwargs).respond()

        return object_view(cls.model, cls.level)(named_after(cls, view))


def named_after(page: type[PlanPage], view: View) -> View:
    """The view function carries the page's name and description (error pages, debugging)."""
    view.__name__ = view.__qualname__ = page.__name__
    view.__module__ = page.__module__
    view.__doc__ = page.__doc__
    return view


class FormPage(PlanPage):
    """A form that a service saves: the page every create and edit page is made of.

    A page gives `form_class`, `save()` (call the service), `title`, `success_message` and
    `back_url()`: the page the form belongs to. Cancel leads there, and so does saving,
    unless `to_object` is set or there is no such page: then saving leads to the page of the
    record saved. A stale version answers 409 with the input kept and a three-way merge; a
    refusal of the service (ValidationError) is shown at its field, with status 400.
    """

    form_class: type[VersionedModelForm[Any]]
    template_name = "core/form.html"
    title: str | Promise = ""
    success_message: str | Promise = gettext_lazy("Your changes have been saved.")
    to_object = False

    def get_title(self) -> str:
        return str(self.title)

    def form_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the form besides the submitted data (instance, initial, …)."""
        return {}

    def back_url(self) -> str | None:
        return None

    def save(self, form: VersionedModelForm[Any]) -> Model | None:
        """Write through the app's service; return the record saved (for `to_object`)."""
        raise NotImplementedError

    def success_url(self, saved: Model | None) -> str:
        back = self.back_url()
        if self.to_object or back is None:
            return page_of(saved)
        return back

    def respond(self) -> HttpResponse:
        posted_data = self.request.POST or None
        files = self.request.FILES if posted_data is not None else None
        form = self.form_class(posted_data, files, **self.form_kwargs())
        back = self.back_url()
        posted = self.request.method == "POST"
        conflict: StaleVersionError | None = None
        merged: list[MergedField] = []
        if posted and form.is_valid():
            try:
                saved = self.save(form)
            except StaleVersionError as error:
                conflict = error
                merged = form.merge_after_conflict(error.current)
                form.add_error(None, str(error))
            except ValidationError as error:
                if not hasattr(error, "error_dict"):  # a refusal not tied to a field
                    form.add_error(None, error.messages)
                else:
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(self.request, str(self.success_message))
                return HttpResponseRedirect(self.success_url(saved))
        context = {
            "masterplan": self.masterplan,
            "title": self.get_title(),
            "cancel_url": back,
            "form": form,
            "conflict": conflict,
            "merged": merged,
        }
        status = 409 if conflict else (400 if posted else 200)
        return render(self.request, self.template_name, context, status=status)


class PlanFormView(FormPage):
    """A form page of the plan: a new record in it, or a record the plan has once.

    It names the page it belongs to: `back`, the URL name of a page of the plan (its only
    argument the plan's slug), or its own `back_url()`. A class with neither is refused when it
    is defined, so that Cancel never leads to a guessed address.
    """

    back: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.back is None and cls.back_url is PlanFormView.back_url:
            raise TypeError(f"{cls.__name__}: name the page it belongs to (back or back_url())")

    def back_url(self) -> str | None:
        assert self.back is not None
        return reverse(self.back, args=[self.masterplan.slug])


class ObjectFormView(FormPage, ObjectPage[M]):
    """A form page of the URL's object (a record that belongs to it, or a step it takes);
    it belongs to the object's page unless `back_url()` says otherwise."""

    def back_url(self) -> str | None:
        return page_of(self.obj)


class ObjectEditView(ObjectFormView[M]):
    """The edit page of the URL's object."""

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.obj}


class ObjectDeleteView(ObjectPage[M]):
    """Confirm, then delete (softly) through the app's service.

    A page gives `delete()`; `back_url()` (Cancel, and where a refusal is explained) is the
    object's page unless given, and `done_url()` (after deleting) is the same unless given.
    A stale version or a refusal of the service (say, goals still in a field) is shown as a
    message on the page the user came from; nothing is deleted then.
    """

    template_name = "core/confirm_delete.html"

    def delete(self, *, version: int) -> None:
        raise NotImplementedError

    def back_url(self) -> str:
        return page_of(self.obj)

    def done_url(self) -> str:
        return self.back_url()

    def respond(self) -> HttpResponse:
        back = self.back_url()
        if self.request.method != "POST":
            context = {"masterplan": self.masterplan, "object": self.obj, "back_url": back}
            return render(self.request, self.template_name, context)
        done = self.done_url()
        try:
            self.delete(version=int(self.request.POST.get("version", "0") or 0))
        except StaleVersionError as error:
            messages.error(self.request, str(error))
            return HttpResponseRedirect(back)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        messages.success(self.request, _("“%(name)s” has been deleted.") % {"name": self.obj})
        return HttpResponseRedirect(done)
