"""Tag clusters: a user's tags grouped by meaning, with how each group changes."""

import pgtrigger
from django.db import models
from pgvector.django import VectorField

from config.db import created_at, owner, schema_table, stamp_updated_at, updated_at, uuid_id
from config.embeddings import EMBEDDING_DIMENSIONS
from dreamscape.models.base import SCHEMA, unit_interval


class TagCluster(models.Model):
    """Tags close in meaning; ``cluster_center`` is their mean embedding (made by
    ``embedding_model``, so lookups compare only vectors of the current model)."""

    id = uuid_id()
    user = owner("dreamscape_tag_clusters")
    cluster_name = models.CharField(max_length=100, null=True, blank=True)
    tags = models.JSONField()
    cluster_center = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)
    embedding_model = models.CharField(max_length=100, null=True, blank=True)
    cohesion_score = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    cluster_size = models.IntegerField(null=True, blank=True)
    evolution_data = models.JSONField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table(SCHEMA, "tag_clusters")
        ordering = ["-cohesion_score"]
        indexes = [
            models.Index("user", name="idx_tag_clusters_user_id"),
            models.Index("cluster_size", name="idx_tag_clusters_cluster_size"),
            models.Index("cohesion_score", name="idx_tag_clusters_cohesion_score"),
        ]
        constraints = [unit_interval("cohesion_score", "tag_clusters_cohesion_range")]
        triggers: list[pgtrigger.Trigger] = [stamp_updated_at()]

    def __str__(self) -> str:
        return self.cluster_name or f"cluster {self.pk}"
