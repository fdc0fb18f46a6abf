"""Every app runs its own AppConfig (a second config class in an apps.py would silently
replace it by Django's default, and its ready() would not run)."""

from django.apps import apps


def test_each_masterplan_app_uses_its_own_config() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("masterplan."):
            assert type(config).__module__ == f"{config.name}.apps", config.name


def test_the_case_insensitive_lookups_are_registered() -> None:
    from django.db.models import CharField

    assert "casefold_contains" in CharField.get_lookups()
