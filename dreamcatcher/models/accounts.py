"""Dreamcatcher models. The account (``public.users``) lives here: it is the seed's ``users``."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.postgres.functions import RandomUUID
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from config.db import stamp_updated_at


class AccountManager(UserManager):
    def get_by_natural_key(self, username: str) -> "User":
        return self.get(username=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: API consumer, staff member, or both (the seed's ``users``)."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False
    )
    email = models.EmailField(max_length=255, unique=True)
    username = models.CharField(
        max_length=100,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @/./+/-/_ only.",
    )
    full_name = models.CharField(max_length=255, blank=True, null=True)
    avatar_url = models.URLField(max_length=1000, blank=True, null=True)
    preferences = models.JSONField(default=dict, db_default={}, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    is_active = models.BooleanField(default=True, db_default=True)
    is_verified = models.BooleanField(default=False, db_default=False)
    is_staff = models.BooleanField(
        default=False, db_default=False, help_text="Can log in to the admin."
    )

    objects = AccountManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        db_table = "users"
        ordering = ["username"]
        indexes = [
            models.Index(fields=["email"], name="idx_users_email"),
            models.Index(fields=["username"], name="idx_users_username"),
            models.Index(fields=["created_at"], name="idx_users_created_at"),
            models.Index(fields=["is_active"], name="idx_users_is_active"),
            GinIndex(fields=["preferences"], name="idx_users_preferences"),
        ]
        triggers = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.username
