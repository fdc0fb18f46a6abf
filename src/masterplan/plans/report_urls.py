"""URLs of the review report ("Rückblick und Ausblick")."""

urlpatterns: list = []
