"""Calendar feeds (iCalendar): public per masterplan and body, private by secret token."""

from django.urls import URLPattern, path

from masterplan.governance import feed_views

app_name = "governance_feeds"

urlpatterns: list[URLPattern] = [
    path("p/<slug:plan>/feeds/meetings.ics", feed_views.plan_feed, name="plan"),
    path("p/<slug:plan>/feeds/bodies/<int:pk>.ics", feed_views.body_feed, name="body"),
    path("feeds/private/<str:feed_token>.ics", feed_views.private_feed, name="private"),
]
