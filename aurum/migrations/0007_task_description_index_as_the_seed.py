import pgvector.django.indexes
from django.db import migrations, models

OLD_INDEX = (
    "CREATE INDEX idx_task_description_embedding ON aurum.tasks "
    "USING hnsw (description_embedding vector_cosine_ops) "
    "WHERE description IS NOT NULL AND NOT (description = '' AND description IS NOT NULL)"
)


class Migration(migrations.Migration):
    """The partial HNSW index on task descriptions with the seed's own predicate
    (``description IS NOT NULL AND description != ''``). Django drops indexes by bare name,
    which misses one in schema aurum: the drop is spelt out."""

    dependencies = [("aurum", "0006_stale_vectors_and_hierarchy_refresh")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS aurum.idx_task_description_embedding",
                    reverse_sql=OLD_INDEX,
                )
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="task", name="idx_task_description_embedding")
            ],
        ),
        migrations.AddIndex(
            model_name="task",
            index=pgvector.django.indexes.HnswIndex(
                condition=models.Q(("description__isnull", False), ("description__ne", "")),
                fields=["description_embedding"],
                name="idx_task_description_embedding",
                opclasses=["vector_cosine_ops"],
            ),
        ),
    ]
