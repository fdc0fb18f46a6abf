"""Sample values for the permission-matrix test (tests/core/test_permission_matrix.py) of the
OParl and calendar-feed routes.

OParl object routes name their id `oparl_<type>` rather than `pk`: OParl shows public objects
only, so the draft objects the matrix uses for `pk` would answer 404 to everyone. These values
are public objects of a governance world built once per matrix world. The private feed's
`token` is a live token of the plan's coordinator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.governance.oparl_world import GovernanceWorld, build


def governance(world: Any) -> GovernanceWorld:
    if not hasattr(world, "oparl_world"):
        world.oparl_world = build(world.plan)
    return world.oparl_world


def public_pk(key: str, index: int = 0) -> Callable[[Any], str]:
    return lambda world: str(governance(world).public[key][index].pk)


def feed_token(world: Any) -> str:
    from masterplan.governance.services import feed_token_create

    created = feed_token_create(
        actor=world.users["coordinator"], masterplan=world.plan, label="Kalender im Büro"
    )
    return created.secret


route_values: dict[str, Callable[[Any], str]] = {
    "oparl_organization": public_pk("bodies"),
    "oparl_person": public_pk("people"),
    "oparl_membership": public_pk("memberships"),
    "oparl_meeting": public_pk("meetings"),
    "oparl_agenda_item": public_pk("agenda_items"),
    "oparl_decision": public_pk("decisions"),
    "oparl_report": public_pk("reports"),
    "oparl_file": public_pk("files"),
    "oparl_location": public_pk("locations"),
    "feed_token": feed_token,
}
