"""Dreamcatcher's admin: the accounts (``public.users``) and their groups."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.decorators import display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from config.admin.base import LucidModelAdmin
from config.privacy import erase_user
from dreamcatcher.models import User


class AccountChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class AccountCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "full_name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, LucidModelAdmin):
    """Accounts: API consumers and staff. "Erase personal data" is the GDPR erasure."""

    icon = "person"
    form = AccountChangeForm
    add_form = AccountCreationForm
    change_password_form = AdminPasswordChangeForm
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        ("Profile", {"fields": ("full_name", "avatar_url", "preferences")}),
        ("Status", {"fields": ("is_active", "is_verified")}),
        (
            "Permissions",
            {
                "fields": ("is_staff", "is_superuser", "groups", "user_permissions"),
                "classes": ("collapse",),
            },
        ),
        ("Dates", {"fields": ("created_at", "updated_at", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "email",
                    "full_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("created_at", "updated_at", "last_login")
    list_display = (
        "account",
        "username",
        "is_active",
        "is_verified",
        "is_staff",
        "created_at",
        "last_login",
    )
    list_display_links = ("account", "username")
    list_filter = (
        "is_active",
        "is_verified",
        "is_staff",
        "is_superuser",
        "groups",
        ("created_at", RangeDateTimeFilter),
        ("last_login", RangeDateTimeFilter),
    )
    search_fields = ("username", "email", "full_name")
    search_help_text = "Username, email or full name"
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    actions = ("erase_personal_data",)

    @display(description="Account", header=True, ordering="full_name")
    def account(self, obj: User) -> list[Any]:
        # Initials rather than the avatar: an avatar URL would tell a third party who
        # in the back-office looks at which account.
        name = obj.full_name or obj.username
        initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
        return [name, obj.email, initials]

    @admin.action(description="Erase personal data", permissions=["change"])
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        """Erase the selected accounts (GDPR) after a confirmation page listing them."""
        accounts = list(queryset.exclude(pk=request.user.pk))
        if len(accounts) < queryset.count():
            messages.warning(request, "Your own account was left out: you cannot erase it here.")
        if not accounts:
            return None
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/dreamcatcher/user/erase_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Erase personal data?",
                    "opts": self.opts,
                    "accounts": accounts,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "select_across": request.POST.get("select_across"),
                },
            )
        for account in accounts:
            erase_user(account)
            self.log_change(request, account, "Erased personal data (GDPR Art. 17).")
        messages.success(
            request,
            f"Erased the personal data of {len(accounts)} account"
            f"{'' if len(accounts) == 1 else 's'}.",
        )
        return None


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin, LucidModelAdmin):
    icon = "group"
    list_display = ("name", "member_count")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Group]:
        return super().get_queryset(request).annotate(members=Count("user", distinct=True))

    @display(description="Members", ordering="members")
    def member_count(self, obj: Group) -> int:
        return obj.members
