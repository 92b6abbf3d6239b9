"""An API token: a partner's long random key, kept only as its SHA-256 digest."""

from django.conf import settings
from django.db import models

from partners.rates import rate_validator


class ApiToken(models.Model):
    """A key a partner sends as ``Authorization: Bearer <key>``, acting as ``user``.

    The key is shown once, when the token is made; only its digest is stored, and a short
    prefix to tell tokens apart in lists. A key is 256 random bits, so a fast hash is right:
    nobody guesses it, and no password hasher is run on each request.
    """

    name = models.CharField(max_length=200, help_text="The partner, as the desk knows it.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="The account the token acts as: its groups and permissions apply.",
    )
    prefix = models.CharField(max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    rate = models.CharField(
        max_length=32,
        blank=True,
        validators=[rate_validator],
        help_text="Requests allowed, as 600/minute (second, minute, hour or day); empty: the default "
        "of API_THROTTLE_TOKEN.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
