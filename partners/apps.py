from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """API tokens for partner sites; the schema's description of token authentication."""

    name = "partners"
    verbose_name = "API partners"

    def ready(self):
        # Registers the OpenAPI description of the token scheme with drf-spectacular.
        from partners import schema  # noqa: F401
