"""API tokens in the admin: made here (the key shown once), listed by prefix, revoked with an action."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from partners import services
from partners.models import ApiToken
from partners.rates import RateInvalid, rate_check


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(max_length=200, help_text=ApiToken._meta.get_field("name").help_text)
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), help_text=ApiToken._meta.get_field("user").help_text
    )
    rate = forms.CharField(
        max_length=32, required=False, help_text=ApiToken._meta.get_field("rate").help_text
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        if not by.is_superuser:
            users = users.filter(is_superuser=False, is_staff=False)
        self.fields["user"].queryset = users

    def clean_rate(self):
        rate = self.cleaned_data["rate"].strip()
        if rate:
            try:
                rate_check(rate)
            except RateInvalid as exc:
                raise forms.ValidationError(str(exc)) from None
        return rate

    def clean_user(self):
        user = self.cleaned_data["user"]
        refusal = services.api_token_refusal(user=user, by=self.by)
        if refusal:
            raise forms.ValidationError(refusal)
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "rate", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["name", "user", "rate", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def add_view(self, request, form_url="", extra_context=None):
        """A form of its own: the key is made by the service and shown on the answer, once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenCreateForm(request.POST or None, by=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                made = services.api_token_create(by=request.user, **form.cleaned_data)
            except services.TokenRefused as exc:
                form.add_error(None, str(exc))
            else:
                self.log_addition(request, made.token, [{"added": {}}])
                response = TemplateResponse(
                    request,
                    "admin/partners/apitoken/created.html",
                    {
                        **self.admin_site.each_context(request),
                        "opts": self.opts,
                        "token": made.token,
                        "key": made.key,
                        "title": "API token made",
                    },
                )
                # The key must not stay in any cache or history.
                response["Cache-Control"] = "no-store"
                return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": "Add API token",
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/partners/apitoken/add.html", context)

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay listed, with who made them and when they were last used.
        return request.user.is_superuser

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        count = services.api_tokens_revoke(tokens=queryset, by=request.user)
        self.message_user(
            request, f"{count} token(s) revoked at {timezone.now():%H:%M:%S} UTC.", messages.SUCCESS
        )
