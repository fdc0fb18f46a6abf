"""REST API of the indicators module (django-ninja router, mounted at /api/plans)."""

from ninja import Router

router = Router(tags=["indicators"])
