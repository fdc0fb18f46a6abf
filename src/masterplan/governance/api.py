"""REST API of the governance module (django-ninja router, mounted at /api/plans)."""

from ninja import Router

router = Router(tags=["governance"])
