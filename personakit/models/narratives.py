"""Narratives (human-written observations and trait curations) and their links to traits."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from pgvector.django import HnswIndex, VectorField

from config.db import choices_check, created_at, schema_table, uuid_id
from config.embeddings import EMBEDDING_DIMENSIONS
from personakit.choices import LinkType, NarrativeType
from personakit.models.base import SCHEMA, created_by, person_link


class Narrative(models.Model):
    """Text about a person; ``embedding`` (of ``embedding_model``) makes it searchable."""

    id = uuid_id()
    person = person_link("narratives")
    narrative_type = models.CharField(max_length=20, choices=NarrativeType)
    raw_text = models.TextField()
    curated_text = models.TextField(blank=True, null=True)
    tags = ArrayField(models.TextField(), blank=True, null=True)
    context = models.JSONField(blank=True, null=True)
    trait_path = models.TextField(blank=True, null=True)
    curation_action = models.JSONField(blank=True, null=True)
    source = models.CharField(max_length=100, blank=True, null=True)
    created_at = created_at()
    created_by = created_by("personakit_narratives")
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, blank=True, null=True, editable=False)
    embedding_model = models.CharField(max_length=255, blank=True, null=True, editable=False)
    embedded_at = models.DateTimeField(blank=True, null=True, editable=False)

    class Meta:
        db_table = schema_table(SCHEMA, "narratives")
        ordering = ["-created_at"]
        indexes = [
            HnswIndex(
                fields=["embedding"],
                name="idx_narratives_embedding",
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(fields=["person"], name="idx_narratives_person"),
            models.Index(fields=["narrative_type"], name="idx_narratives_type"),
            GinIndex(fields=["tags"], name="idx_narratives_tags"),
        ]
        constraints = [choices_check("narrative_type", NarrativeType, "narratives_type_valid")]

    def __str__(self) -> str:
        return self.raw_text[:60]


class TraitNarrativeLink(models.Model):
    """How a narrative bears on a trait (extracted from, curates, supports, contradicts)."""

    id = uuid_id()
    narrative = models.ForeignKey(
        Narrative, on_delete=models.CASCADE, db_index=False, related_name="trait_links"
    )
    trait_path = models.TextField()
    link_type = models.CharField(max_length=20, choices=LinkType)
    confidence = models.FloatField(blank=True, null=True)
    metadata = models.JSONField(blank=True, null=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table(SCHEMA, "trait_narrative_links")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["narrative"], name="idx_trait_links_narrative"),
            models.Index(fields=["trait_path"], name="idx_trait_links_trait"),
        ]
        constraints = [
            choices_check("link_type", LinkType, "trait_narrative_links_link_type_check"),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0, confidence__lte=1)
                | models.Q(confidence__isnull=True),
                name="trait_narrative_links_confidence_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.link_type} {self.trait_path}"
