"""Dreamshot's enumerations, with the source product's upper-case values."""

from django.db import models


class DreamCategory(models.TextChoices):
    TECHNOLOGY = "TECHNOLOGY", "Technology"
    BUSINESS = "BUSINESS", "Business"
    CREATIVE = "CREATIVE", "Creative"
    SCIENCE = "SCIENCE", "Science"
    PERSONAL = "PERSONAL", "Personal"
    SOCIAL = "SOCIAL", "Social"
    ENVIRONMENTAL = "ENVIRONMENTAL", "Environmental"
    EDUCATION = "EDUCATION", "Education"
    HEALTHCARE = "HEALTHCARE", "Healthcare"
    OTHER = "OTHER", "Other"


class DreamStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    ARCHIVED = "ARCHIVED", "Archived"
    DELETED = "DELETED", "Deleted"
    COMPLETED = "COMPLETED", "Completed"


class AiProvider(models.TextChoices):
    OPENAI = "OPENAI", "OpenAI"
    ANTHROPIC = "ANTHROPIC", "Anthropic"
    GOOGLE = "GOOGLE", "Google"
    AZURE = "AZURE", "Azure"
    COHERE = "COHERE", "Cohere"
    HUGGINGFACE = "HUGGINGFACE", "Hugging Face"
    LOCAL = "LOCAL", "Local"


class TestStatus(models.TextChoices):
    __test__ = False  # not a pytest class

    PENDING = "PENDING", "Pending"
    RUNNING = "RUNNING", "Running"
    COMPLETED = "COMPLETED", "Completed"
    FAILED = "FAILED", "Failed"
    CANCELLED = "CANCELLED", "Cancelled"


FINISHED_TEST_STATUSES = (TestStatus.COMPLETED, TestStatus.FAILED, TestStatus.CANCELLED)
