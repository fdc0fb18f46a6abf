"""Import and export pages, the same for every importer.

A module adds them with `importer_urls(...)` in its urls.py (upload page, template CSV,
exports) and includes `job_urls()` once (the plan's imports and each import's progress and
result). Importing needs PLAN_MANAGE (coordinators); exporting needs PLAN_MEMBER: anyone with
a role in the plan may download what the list shows them, while anonymous visitors, who can
read published pages, get no bulk downloads of the directory (it holds personal data).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core.access import plan_view
from masterplan.core.exports import (
    CHUNK_ROWS,
    FORMATS,
    export_chunks,
    export_filename,
    readable_xlsx,
    template_csv,
)
from masterplan.core.forms import style_widgets
from masterplan.core.imports.columns import iter_columns_help
from masterplan.core.imports.importer import ModelImporter
from masterplan.core.imports.options import ImportOptionsForm
from masterplan.core.imports.registry import get_importer
from masterplan.core.models import ImportJob, Masterplan
from masterplan.core.permissions import Level
from masterplan.core.tasks import (
    import_job_apply,
    import_job_create,
    import_job_report,
    import_job_start,
    runs_in_background,
)
from masterplan.core.views import is_htmx

JOBS_SHOWN = 50


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        allow_empty_file=True,  # the import explains what is wrong with an empty file
        help_text=gettext_lazy(
            "CSV (UTF-8 or Windows-1252, separated by semicolon, comma or tab) or Excel "
            "workbook (.xlsx, first sheet)."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check the file and show what would change, without saving"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


def importer_or_404(key: str) -> ModelImporter:
    try:
        return get_importer(key)
    except LookupError:
        raise Http404 from None


def jobs_url(request: HttpRequest, masterplan: Masterplan, job: ImportJob | None = None) -> str:
    """The job list, or one job's page, in the URL namespace of the current page."""
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    name = f"{namespace}:import_jobs" if namespace else "import_jobs"
    url = reverse(name, args=[masterplan.slug])
    return f"{url}?job={job.pk}" if job is not None else url


def list_url(importer: ModelImporter, masterplan: Masterplan) -> str:
    return reverse(importer.list_url_name, args=[masterplan.slug]) if importer.list_url_name else ""


def options_form(
    request: HttpRequest, masterplan: Masterplan, model_importer: ModelImporter, *, bound: bool
) -> ImportOptionsForm | None:
    """The importer's options besides the file (ModelImporter.options_form), if it has any."""
    form_class = model_importer.options_form
    if form_class is None:
        return None
    data = request.POST if bound else None
    return form_class(data, masterplan=masterplan, user=request.user)


@plan_view(Level.PLAN_MANAGE)
def import_upload(request: HttpRequest, masterplan: Masterplan, importer: str) -> HttpResponse:
    """The upload form with the column table and the importer's options; a valid upload
    becomes an import job, which keeps the options for the import after a dry run."""
    model_importer = importer_or_404(importer)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["file"].widget.attrs["accept"] = model_importer.accept
    if model_importer.file_help:
        form.fields["file"].help_text = model_importer.file_help
    posted = request.method == "POST"
    options = options_form(request, masterplan, model_importer, bound=posted)
    if posted:
        file_valid = form.is_valid()
        options_valid = options is None or options.is_valid()  # both: every error is shown
        if file_valid and options_valid:
            upload = form.cleaned_data["file"]
            job = import_job_create(
                importer=importer,
                masterplan=masterplan,
                actor=request.user,
                content=upload.read(),
                filename=upload.name or "",
                dry_run=form.cleaned_data["dry_run"],
                options=options.options() if options is not None else None,
            )
            import_job_start(job)
            return HttpResponseRedirect(jobs_url(request, masterplan, job))
    return render(
        request,
        "core/import_upload.html",
        {
            "masterplan": masterplan,
            "importer": model_importer,
            "form": form,
            "options_form": options,
            "columns": list(iter_columns_help(model_importer.bound)),
            "template_url": f"{request.path}template.csv" if model_importer.has_template else "",
            "list_url": list_url(model_importer, masterplan),
            "jobs_url": jobs_url(request, masterplan),
            "max_bytes": settings.IMPORT_MAX_BYTES,
            "max_rows": settings.IMPORT_MAX_ROWS,
            "background_rows": settings.IMPORT_BACKGROUND_ROWS,
        },
        status=400 if request.method == "POST" else 200,
    )


@plan_view(Level.PLAN_MANAGE)
def import_template(request: HttpRequest, masterplan: Masterplan, importer: str) -> HttpResponse:
    """An empty CSV file with the header row."""
    model_importer = importer_or_404(importer)
    response = HttpResponse(template_csv(model_importer), content_type=FORMATS["csv"])
    filename = f"{model_importer.file_stem}-vorlage.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@plan_view(Level.PLAN_MEMBER)
def export(request: HttpRequest, masterplan: Masterplan, importer: str, fmt: str) -> HttpResponse:
    """What the list shows the user, with its filters, in the import's columns."""
    model_importer = importer_or_404(importer)
    qs = model_importer.export_queryset(
        user=request.user, masterplan=masterplan, filters=request.GET
    )
    chunks = export_chunks(model_importer, qs.iterator(chunk_size=CHUNK_ROWS), fmt)
    response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])
    filename = export_filename(masterplan.slug, model_importer, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # plan_view is typed for HttpResponse; a streaming response is served the same way.
    return cast("HttpResponse", response)


@plan_view(Level.PLAN_MEMBER)
def export_readable(request: HttpRequest, masterplan: Masterplan, importer: str) -> HttpResponse:
    """What the list shows the user, with its filters, as a workbook people read: headers,
    choices, yes/no and names in the interface language (not for importing again)."""
    model_importer = importer_or_404(importer)
    qs = model_importer.export_queryset(
        user=request.user, masterplan=masterplan, filters=request.GET
    )
    response = HttpResponse(
        readable_xlsx(model_importer, qs.iterator(chunk_size=CHUNK_ROWS)),
        content_type=FORMATS["xlsx"],
    )
    filename = export_filename(masterplan.slug, model_importer, "xlsx", readable=True)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@plan_view(Level.PLAN_MANAGE)
def import_jobs(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The plan's recent imports; with ?job=<id> one import: progress, result, or running it.

    A job is addressed by a query parameter rather than a path parameter so that this one
    route serves the list, the page, the HTMX status fragment and the "import now" POST.
    """
    raw_id = request.POST.get("job") or request.GET.get("job")
    if not raw_id:
        jobs = (
            ImportJob.objects.filter(masterplan=masterplan)
            .select_related("actor")
            .defer("content")
            .order_by("-created_at", "-id")[:JOBS_SHOWN]
        )
        return render(request, "core/import_jobs.html", {"masterplan": masterplan, "jobs": jobs})
    job = (
        ImportJob.objects.filter(masterplan=masterplan, pk=int(raw_id) if raw_id.isdigit() else 0)
        .defer("content")
        .first()
    )
    if job is None:
        raise Http404
    if request.method == "POST":
        if import_job_apply(job):
            messages.success(request, _("The import has started."))
        else:
            messages.error(request, _("This check cannot be imported (again)."))
        return HttpResponseRedirect(jobs_url(request, masterplan, job))
    finished = job.state in (ImportJob.State.DONE, ImportJob.State.FAILED)
    if is_htmx(request):
        response = render(request, "core/_import_status.html", {"job": job, "finished": finished})
        if finished:
            response["HX-Redirect"] = jobs_url(request, masterplan, job)
        return response
    model_importer = importer_or_404(job.importer)
    report = import_job_report(job)
    options = options_form(request, masterplan, model_importer, bound=False)
    return render(
        request,
        "core/import_job.html",
        {
            "masterplan": masterplan,
            "job": job,
            "report": report,
            "changes": report.labelled_changes(model_importer.columns) if report else [],
            "finished": finished,
            "importer": model_importer,
            "options": options.describe(job.options) if options is not None else [],
            "status_url": jobs_url(request, masterplan, job),
            "list_url": list_url(model_importer, masterplan),
            "jobs_url": jobs_url(request, masterplan),
            "can_apply": bool(
                report is not None and report.ok and job.dry_run and job.state == job.State.DONE
            ),
            "apply_in_background": runs_in_background(job),
        },
    )


def importer_urls(*, importer: str, prefix: str, name: str) -> list[URLPattern]:
    """Upload page, template and exports of one importer, e.g. under "organizations/"."""
    kwargs = {"importer": importer}
    routes = [
        path(f"{prefix}import/", import_upload, kwargs, name=f"{name}_import"),
        path(
            f"{prefix}import/template.csv",
            import_template,
            kwargs,
            name=f"{name}_import_template",
        ),
    ]
    routes += [
        path(f"{prefix}export.{fmt}", export, {**kwargs, "fmt": fmt}, name=f"{name}_export_{fmt}")
        for fmt in FORMATS
    ]
    routes.append(
        path(f"{prefix}list.xlsx", export_readable, kwargs, name=f"{name}_export_readable")
    )
    return routes


def job_urls() -> list[URLPattern]:
    return [path("imports/", import_jobs, name="import_jobs")]
