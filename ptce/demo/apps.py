from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: the newsletter's content, sample meetings and the demo coordinator. Its
    commands refuse to run with DEBUG off where they would invent data."""

    name = "ptce.demo"
    label = "demo"
    verbose_name = "Démonstration"
