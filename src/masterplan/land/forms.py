from __future__ import annotations

import json
from typing import Any

import shapely.geometry
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from masterplan.core.forms import VersionedModelForm, limit, style_widgets
from masterplan.core.models import Masterplan
from masterplan.directory.queries import organization_choices
from masterplan.land import geometry as geo
from masterplan.land.models import (
    AreaType,
    CoreZone,
    Guideline,
    LandSettings,
    Parcel,
    SectorCategory,
    SiteRequest,
    TakeUp,
)
from masterplan.land.queries import parcel_choices
from masterplan.land.readers import ReadError, read_geojson, read_xplangml
from masterplan.plans.models import Measure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolygonField(forms.CharField):
    """A polygon as GeoJSON in WGS84 (longitude, latitude; RFC 7946), as the map's drawing
    tool writes it, or pasted: a geometry, a Feature or a FeatureCollection with one feature.
    Cleans to a shapely polygon in EPSG:25832 (None when left empty)."""

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("The polygon is not valid GeoJSON: %(error)s") % {"error": error}
            ) from error
        return polygon_from_geojson(data)


def polygon_from_geojson(data: Any) -> Any:
    """A GeoJSON Polygon or MultiPolygon in WGS84 (a geometry, a Feature or a collection of
    one), as the form and the API receive it, converted to EPSG:25832 and checked; a
    ValidationError says what is wrong."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise forms.ValidationError(_("Give exactly one polygon."))
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise forms.ValidationError(_("Give a Polygon or MultiPolygon."))
    try:
        shape = shapely.geometry.shape(data)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise forms.ValidationError(
            _("The polygon cannot be read: %(error)s") % {"error": error}
        ) from error
    if shape.is_empty:
        raise forms.ValidationError(_("Give a Polygon or MultiPolygon."))
    minx, miny, maxx, maxy = shape.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise forms.ValidationError(
            _(
                "The coordinates are not longitude and latitude (WGS84); projected "
                "coordinates belong in a file import."
            )
        )
    polygon = geo.from_wgs84(shape)
    problems = geo.check_polygon(polygon, label=str(_("The polygon")))
    if problems:
        raise forms.ValidationError(problems)
    return polygon


POLYGON_FILE_MAX_BYTES = 5 * 1024 * 1024


def check_polygon_file_size(size: int) -> None:
    if size > POLYGON_FILE_MAX_BYTES:
        raise forms.ValidationError(
            _("The file has %(size)s; a polygon file may have at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(POLYGON_FILE_MAX_BYTES)}
        )


def polygon_from_file(data: bytes) -> Any:
    """The one polygon of an uploaded file, in EPSG:25832: a GeoJSON FeatureCollection (WGS84,
    or EPSG:25832 named in its `crs`) or an XPlanGML plan with one area of the plan (GE or GI
    before context areas). The readers check it as an import does; a ValidationError names what
    is wrong. Files with many polygons belong in the import."""
    check_polygon_file_size(len(data))
    start = data.lstrip()[:1]
    try:
        if start == b"<":
            features = [
                feature
                for feature in read_xplangml(data, check_overlaps=False).features
                if not feature.properties.get("context")
            ]
        elif start in (b"{", b"["):
            features = read_geojson(data, check_overlaps=False)
        else:
            raise forms.ValidationError(
                _("The file is neither GeoJSON nor XPlanGML; give a .geojson or .gml file.")
            )
    except ReadError as error:
        raise forms.ValidationError(error.messages) from None
    if len(features) != 1:
        raise forms.ValidationError(
            _(
                "The file holds %(count)s polygons; here one is taken. Files with many "
                "polygons are read by the import."
            )
            % {"count": len(features)}
        )
    return features[0].geometry


def polygon_text(obj: Any) -> str:
    """The stored polygon as GeoJSON in WGS84, for the form and the map."""
    if getattr(obj, "geometry", None) is None:
        return ""
    shape = geo.to_wgs84(geo.from_wkb(obj.geometry))
    return json.dumps(shapely.geometry.mapping(shape))


class LocatedForm(VersionedModelForm[Any]):
    polygon = PolygonField(
        label=_("Polygon (GeoJSON, WGS84)"),
        required=False,
        help_text=_("Draw it on the map or paste GeoJSON; leave empty to keep none."),
    )
    polygon_file = forms.FileField(
        label=_("… or upload a polygon file"),
        required=False,
        help_text=_(
            "GeoJSON (WGS84, or EPSG:25832 named in the file) or XPlanGML with one area; it "
            "replaces the polygon above. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.gml,.xml"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["polygon"] = polygon_text(self.instance)
        style_widgets(self)

    def clean_polygon_file(self) -> Any:
        upload = self.cleaned_data.get("polygon_file")
        if not upload:
            return None
        check_polygon_file_size(upload.size or 0)
        return polygon_from_file(upload.read())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("polygon_file") is not None:
            cleaned["polygon"] = cleaned["polygon_file"]
        return cleaned

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        if (
            "polygon" in self.changed_data
            or self.cleaned_data.get("polygon_file") is not None
            or not self.instance.pk
        ):
            changes["geometry"] = self.cleaned_data.get("polygon")
        return changes


class CoreZoneForm(LocatedForm):
    priorities = {
        category: forms.ChoiceField(
            label=label,
            choices=[
                ("preferred", _("Preferred")),
                ("permitted", _("Permitted")),
                ("excluded", _("Excluded")),
            ],
            initial="permitted",
        )
        for category, label in SectorCategory.choices
    }

    class Meta:
        model = CoreZone
        fields = (
            "name",
            "code",
            "profile",
            "description",
            "lead_organization",
            "is_sample",
            "external_id",
            "publication",
        )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "lead_organization", organization_choices(masterplan=masterplan))
        for category, field in self.priorities.items():
            self.fields[f"priority_{category}"] = forms.ChoiceField(
                label=field.label, choices=field.choices, initial=field.initial
            )
            if self.instance.pk:
                self.initial[f"priority_{category}"] = self.instance.priority_of(category)
        style_widgets(self)

    def priority_fields(self) -> list[Any]:
        return [self[f"priority_{category}"] for category in SectorCategory.values]

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        changes["sector_priorities"] = {
            category: self.cleaned_data[f"priority_{category}"]
            for category in SectorCategory.values
            if self.cleaned_data.get(f"priority_{category}", "permitted") != "permitted"
        }
        return changes


class ParcelForm(LocatedForm):
    class Meta:
        model = Parcel
        fields = (
            "name",
            "cadastral_reference",
            "locality",
            "area_m2",
            "area_type",
            "availability",
            "restriction",
            "restriction_reasons",
            "brownfield",
            "owner",
            "status",
            "available_from",
            "horizon",
            "price_per_m2",
            "motorway_km",
            "rail_siding",
            "port_km",
            "distance_to_housing_m",
            "recorded_on",
            "withdrawn_on",
            "confirmed_on",
            "marketing_organization",
            "is_sample",
            "external_id",
            "publication",
        )
        widgets: Any = {
            name: DATE for name in ("available_from", "recorded_on", "withdrawn_on", "confirmed_on")
        }

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_m2"].required = False
        limit(self, "marketing_organization", organization_choices(masterplan=masterplan))

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        if changes.get("area_m2") is None:
            changes.pop("area_m2")
        return changes


class GuidelineForm(VersionedModelForm[Guideline]):
    class Meta:
        model = Guideline
        fields = ("title", "text", "status", "position", "measures", "external_id", "publication")

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "measures", Measure.objects.filter(masterplan=masterplan).only("id", "title"))
        self.fields["position"].required = False


class TakeUpForm(VersionedModelForm[TakeUp]):
    class Meta:
        model = TakeUp
        fields = (
            "parcel",
            "on",
            "area_m2",
            "organization",
            "company_name",
            "wz_code",
            "is_craft",
            "jobs_created",
            "jobs_secured",
            "kind",
            "brownfield",
            "external_id",
        )
        widgets: Any = {"on": DATE}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "parcel", parcel_choices(masterplan=masterplan))
        limit(self, "organization", organization_choices(masterplan=masterplan))
        self.fields["area_m2"].required = False
        self.fields["area_m2"].help_text = _("Empty: the whole parcel.")


AREA_TYPE_CHOICES = AreaType.choices


class SiteRequestForm(VersionedModelForm[SiteRequest]):
    area_types = forms.MultipleChoiceField(
        label=_("Area types"),
        choices=AREA_TYPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: GI or GE."),
    )

    class Meta:
        model = SiteRequest
        fields = (
            "title",
            "organization",
            "company_name",
            "contact_name",
            "contact_email",
            "wz_code",
            "sector_category",
            "area_min_m2",
            "area_max_m2",
            "area_types",
            "min_distance_to_housing_m",
            "needs_rail",
            "needs_port",
            "max_motorway_km",
            "needed_by",
            "max_price_per_m2",
            "jobs",
            "description",
            "status",
            "lost_reason",
            "lost_note",
            "placed_parcel",
            "external_id",
        )
        widgets: Any = {"needed_by": DATE}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "organization", organization_choices(masterplan=masterplan))
        limit(self, "placed_parcel", parcel_choices(masterplan=masterplan))


class PublicSiteRequestForm(forms.Form):
    """What a company tells about its need on the public form."""

    company_name = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("E-mail"))
    title = forms.CharField(
        label=_("What are you planning?"),
        max_length=200,
        help_text=_("E.g. “New production hall for sheet-metal processing”."),
    )
    wz_code = forms.CharField(label=_("Sector (WZ 2008 code)"), max_length=10, required=False)
    sector_category = forms.ChoiceField(label=_("Sector"), choices=SectorCategory.choices)
    area_min_m2 = forms.FloatField(label=_("Area at least (m²)"), min_value=1)
    area_max_m2 = forms.FloatField(label=_("Area at most (m²)"), min_value=1, required=False)
    area_types = forms.MultipleChoiceField(
        label=_("Area types"),
        choices=AREA_TYPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_rail = forms.BooleanField(label=_("We need a rail siding"), required=False)
    needs_port = forms.BooleanField(label=_("We need to be near the port"), required=False)
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE)
    jobs = forms.IntegerField(label=_("Jobs"), min_value=0, required=False)
    description = forms.CharField(
        label=_("Anything else we should know"), widget=forms.Textarea, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that these details are stored and used by the economic development "
            "agency to handle this request. I can withdraw this consent at any time."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("area_min_m2"), data.get("area_max_m2")
        if low and high and high < low:
            self.add_error("area_max_m2", _("The largest area is smaller than the smallest."))
        return data


class LandSettingsForm(VersionedModelForm[LandSettings]):
    class Meta:
        model = LandSettings
        fields = (
            "weight_motorway",
            "weight_sector_fit",
            "weight_jobs_density",
            "weight_price",
            "take_up_years",
            "stale_after_months",
        )


class OfferForm(forms.Form):
    parcel = forms.ModelChoiceField(label=_("Parcel"), queryset=Parcel.objects.none())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "parcel", parcel_choices(masterplan=masterplan))
        style_widgets(self)
