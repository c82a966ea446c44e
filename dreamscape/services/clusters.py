"""Tag clusters: the user's tags embedded by the platform provider and grouped with
scikit-learn's k-means (k chosen by silhouette); each run records how every cluster changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from pgvector.django import CosineDistance
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from config.embeddings import get_provider
from dreamscape.models import TagCluster
from dreamscape.services.analysers import Event, tags_of

MAX_TAGS = 500  # the most frequent; the rest are noise for a personal map
MAX_CLUSTERS = 8
TREND_STEP = 0.02


def _groups(vectors: np.ndarray) -> np.ndarray:
    """Cluster labels: k from 2 to 8 with the best silhouette (one group below 3 tags)."""
    count = len(vectors)
    if count < 3:
        return np.zeros(count, dtype=int)
    best, best_score = np.zeros(count, dtype=int), -1.0
    for k in range(2, min(MAX_CLUSTERS, count - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(vectors)
        score = silhouette_score(vectors, labels, metric="cosine")
        if score > best_score:
            best, best_score = labels, score
    return best


def _trend(history: list[float]) -> str:
    if len(history) < 2:
        return "new"
    change = history[-1] - history[-2]
    return (
        "increasing" if change > TREND_STEP else "decreasing" if change < -TREND_STEP else "stable"
    )


def _evolved(previous: TagCluster | None, tags: list[str], cohesion: float) -> dict[str, Any]:
    old = previous.evolution_data or {} if previous else {}
    old_tags = {entry["tag"] for entry in previous.tags} if previous else set()
    cohesion_history = [*old.get("cohesion_history", []), round(cohesion, 3)]
    return {
        "size_history": [
            *old.get("size_history", []),
            {"date": timezone.now().date().isoformat(), "size": len(tags)},
        ],
        "new_tags_added": sorted(set(tags) - old_tags),
        "tags_removed": sorted(old_tags - set(tags)),
        "cohesion_history": cohesion_history,
        "cohesion_trend": _trend(cohesion_history),
    }


def tag_clusters_build(*, user: Any, events: Sequence[Event]) -> list[TagCluster]:
    """Re-cluster the tags of ``events``; a new cluster continues the old one it shares most
    tags with (its history grows), old clusters matched by none are removed."""
    frequency = Counter(tag.strip().lower()[:100] for event in events for tag in tags_of(event))
    tags = [tag for tag, _ in frequency.most_common(MAX_TAGS)]
    provider = get_provider()
    vectors = provider.embed(tags) if tags else np.zeros((0, 1))
    labels = _groups(vectors)
    with transaction.atomic():
        previous = list(TagCluster.objects.select_for_update().filter(user=user))
        kept: list[TagCluster] = []
        for label in sorted(set(labels.tolist())):
            members = [tag for tag, own in zip(tags, labels, strict=True) if own == label]
            member_vectors = vectors[labels == label]
            center = member_vectors.mean(axis=0)
            center /= np.linalg.norm(center) or 1.0
            similarity = member_vectors @ center
            cohesion = float(np.clip(similarity.mean(), 0, 1))
            order = sorted(members, key=lambda tag: -frequency[tag])
            top = max(frequency[tag] for tag in members)
            match = max(
                (c for c in previous if c not in kept),
                key=lambda c: len({t["tag"] for t in c.tags} & set(members)),
                default=None,
            )
            if match is not None and not {t["tag"] for t in match.tags} & set(members):
                match = None
            cluster = match or TagCluster(user=user)
            cluster.evolution_data = _evolved(match, members, cohesion)
            cluster.cluster_name = members[int(np.argmax(similarity))][:100]
            cluster.tags = [
                {"tag": tag, "weight": round(frequency[tag] / top, 2), "frequency": frequency[tag]}
                for tag in order
            ]
            cluster.cluster_center = center.tolist()
            cluster.embedding_model = provider.model_name
            cluster.cohesion_score = Decimal(str(round(cohesion, 3)))
            cluster.cluster_size = len(members)
            cluster.save()
            kept.append(cluster)
        TagCluster.objects.filter(pk__in=[c.pk for c in previous if c not in kept]).delete()
    return kept


def tag_cluster_nearest(*, user: Any, tag: str) -> tuple[TagCluster, float] | None:
    """The user's cluster closest in meaning to ``tag``, with the cosine similarity."""
    provider = get_provider()
    (vector,) = provider.embed([tag])
    found = (
        TagCluster.objects.filter(user=user, embedding_model=provider.model_name)
        .exclude(cluster_center=None)
        .annotate(distance=CosineDistance("cluster_center", vector.tolist()))
        .order_by("distance")
        .first()
    )
    return None if found is None else (found, round(1 - float(found.distance), 3))
