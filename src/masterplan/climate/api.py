"""REST API of the climate module (django-ninja router, mounted at /api/plans)."""

from ninja import Router

router = Router(tags=["climate"])
