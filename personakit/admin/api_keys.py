"""PersonaKit's admin: API keys, issued and revoked here, never deleted.

A key is issued by ``api_key_issue`` and its raw value shown once, in the response to the
add form (no message, session or log holds it); only its keyed hash is stored, and never
shown. A key's name is the only thing that can be edited afterwards.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminIntegerFieldWidget

from config.admin.base import LucidModelAdmin, copy_saved_row
from config.admin.display import time_ago
from config.admin.links import admin_url
from personakit.models import ApiKey
from personakit.services.api_keys import (
    KEY_SCHEME,
    PREFIX_LENGTH,
    api_key_issue,
    api_key_revoke,
)

DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 3650
# How long an add form's one-time token is remembered (a resubmission after that issues).
ISSUE_TOKEN_TTL = 24 * 3600


class ApiKeyIssueForm(forms.ModelForm):
    """Issue a key: owner, name, lifetime. A one-time token stops a resubmitted form (the
    browser's "reload") from issuing a second key."""

    expires_in_days = forms.IntegerField(
        label="Expires in (days)",
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        required=False,
        initial=DEFAULT_EXPIRY_DAYS,
        widget=UnfoldAdminIntegerFieldWidget,
        help_text="Leave empty for a key that never expires.",
    )
    issue_token = forms.CharField(
        widget=forms.HiddenInput, initial=lambda: secrets.token_urlsafe(16), max_length=64
    )

    class Meta:
        model = ApiKey
        fields = ("user", "name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        token = cleaned.get("issue_token")
        # Claimed last, and only by an otherwise valid form, so fixing an error can resubmit.
        if not self.errors and token and not cache.add(f"apikey-issue:{token}", 1, ISSUE_TOKEN_TTL):
            raise forms.ValidationError(
                "This form was already submitted and its key issued. Open the key list, or "
                "start again from “Add API key” to issue another."
            )
        return cleaned


class KeyStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("usable", "Usable"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        not_expired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        if self.value() == "usable":
            return queryset.filter(not_expired, is_active=True)
        if self.value() == "expired":
            return queryset.filter(is_active=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(is_active=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(LucidModelAdmin):
    icon = "key"
    add_form_template = "admin/personakit/apikey/add_form.html"
    list_display = (
        "key",
        "user",
        "prefix",
        "created_at",
        "last_used",
        "expires_at",
        "status",
    )
    list_filter = (
        KeyStatusFilter,
        ("created_at", RangeDateTimeFilter),
        ("last_used_at", RangeDateTimeFilter),
        ("expires_at", RangeDateTimeFilter),
    )
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username", "user__email")
    search_help_text = "Key prefix (or a key starting with lucid_), name, owner's username or email"
    autocomplete_fields = ("user",)
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    actions = ("revoke_keys",)
    actions_submit_line = ("revoke_on_save",)
    add_fieldsets = ((None, {"fields": ("user", "name", "expires_in_days")}),)
    fieldsets = (
        (None, {"fields": ("user", "name", "prefix", "status")}),
        ("Use", {"fields": ("created_at", "last_used_at", "expires_at", "revoked_at")}),
    )

    # --- list -----------------------------------------------------------------------------

    @display(description="Key", header=True, ordering="name")
    def key(self, obj: ApiKey) -> list[Any]:
        return [obj.name, f"{KEY_SCHEME}{obj.prefix}_…", None]

    @display(description="Last used", ordering="last_used_at")
    def last_used(self, obj: ApiKey) -> str:
        return time_ago(obj.last_used_at)

    @display(
        description="Status",
        label={"usable": "success", "expired": "warning", "revoked": "danger"},
    )
    def status(self, obj: ApiKey) -> str:
        if not obj.is_active:
            return "revoked"
        return "expired" if obj.is_expired else "usable"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if term.startswith(KEY_SCHEME):  # a whole key (or its public part) was pasted
            search_term = term[len(KEY_SCHEME) : len(KEY_SCHEME) + PREFIX_LENGTH]
        return super().get_search_results(request, queryset, search_term)

    # --- permissions and forms ------------------------------------------------------------

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # revoke instead: the row stays for the audit trail

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple:
        if obj is None:
            return ()
        return (
            "user",
            "prefix",
            "status",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        )

    def get_form(
        self, request: HttpRequest, obj: ApiKey | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = ApiKeyIssueForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_actions_submit_line(self, request: HttpRequest, object_id: Any) -> list:
        key = self.get_object(request, object_id) if object_id else None
        if key is None or not key.is_active:
            return []
        return super().get_actions_submit_line(request, object_id)

    # --- issuing --------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: ApiKey, form: forms.Form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = api_key_issue(
            user=form.cleaned_data["user"],
            data={
                "name": form.cleaned_data["name"],
                "expires_in_days": form.cleaned_data.get("expires_in_days"),
            },
        )
        copy_saved_row(source=issued, target=obj)
        request._issued_raw_key = issued.raw_key  # for response_add only, never stored

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        raw_key = getattr(request, "_issued_raw_key", None)
        if raw_key is None:
            return super().response_add(request, obj, post_url_continue)
        opts = self.opts
        response = TemplateResponse(
            request,
            "admin/personakit/apikey/issued.html",
            {
                **self.admin_site.each_context(request),
                "title": "API key issued",
                "opts": opts,
                "api_key": obj,
                "raw_key": raw_key,
                "change_url": admin_url(ApiKey, "change", obj.pk),
                "add_url": admin_url(ApiKey, "add"),
                "me_url": request.build_absolute_uri("/api/v1/me"),
            },
        )
        add_never_cache_headers(response)  # the page holds the secret: no copy anywhere
        patch_cache_control(response, no_store=True, private=True)
        return response

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], add: bool = False, **kwargs: Any
    ) -> HttpResponse:
        if add:  # the answer to "Save" is the page showing the key; nothing else fits
            context.update(show_save_and_continue=False, show_save_and_add_another=False)
        return super().render_change_form(request, context, add=add, **kwargs)

    # --- revoking -------------------------------------------------------------------------

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = 0
        for api_key in queryset.filter(is_active=True):
            api_key_revoke(api_key=api_key)
            self.log_change(request, api_key, "Revoked.")
            revoked += 1
        if revoked:
            messages.success(request, f"Revoked {revoked} key{'' if revoked == 1 else 's'}.")
        else:
            messages.info(request, "The selected keys were already revoked.")

    @action(description="Save and revoke", permissions=["change"], icon="block")
    def revoke_on_save(self, request: HttpRequest, obj: ApiKey) -> None:
        api_key_revoke(api_key=obj)
        self.log_change(request, obj, "Revoked.")
        messages.success(request, f"Revoked {obj}. It can no longer be used.")
