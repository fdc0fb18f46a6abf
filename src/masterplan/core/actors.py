"""Who acts: the type every permission check, query and service takes for its user.

A page or an API operation is served to a logged-in `User` or to an `AnonymousUser`; that is
exactly what Django puts on `request.user`, so views pass it on without a cast. Permission
functions answer for both (an anonymous visitor sees published objects only), and a service
refuses an anonymous actor through its permission check. Code that stores who acted (an
owner, a requester) narrows the actor first: `core.permissions.acting_user(actor)`, or a test
of `actor.is_authenticated` (True only for a `User`, which the type checker understands).

Writes done by the system itself (the command line without --user, scheduled jobs) pass
`None` where a signature says `Actor | None`; the audit trail records them as "system".
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

Actor: TypeAlias = User | AnonymousUser
