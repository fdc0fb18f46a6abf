"""The masterplan: the tenant of almost every object. The plans issue fills in the rest."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from masterplan.core.models import TrackedModel


class Masterplan(TrackedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    city = models.CharField(_("city or region"), max_length=120)
    ags = models.CharField(
        _("municipality key (AGS)"), max_length=8, blank=True, help_text=_("8 digits")
    )
    description = models.TextField(_("description"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    horizon = models.PositiveSmallIntegerField(_("horizon (year)"), null=True, blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplans")

    def __str__(self) -> str:
        return self.name
