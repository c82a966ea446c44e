"""Dreamshot's tables. ``ai_tests`` is partitioned by month, which Django cannot create:
its model state comes from the generated operations, its table from sql/0002_ai_tests.sql."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
import dreamshot.models.base
import pgtrigger.compiler
import pgtrigger.migrations
from decimal import Decimal
from pathlib import Path
from django.conf import settings
from django.db import migrations, models

from config.db import run_sql_file

APP_DIR = Path(__file__).resolve().parent.parent


def _ai_tests(operation) -> bool:
    return getattr(operation, "name", None) == "AiTest" or getattr(operation, "model_name", None) == "aitest"


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dreamshot', '0001_create_schema'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    generated = [
        migrations.CreateModel(
            name='AiTest',
            fields=[
                ('id', models.CharField(default=dreamshot.models.base.new_cuid, editable=False, max_length=32, primary_key=True, serialize=False)),
                ('provider', models.CharField(choices=[('OPENAI', 'OpenAI'), ('ANTHROPIC', 'Anthropic'), ('GOOGLE', 'Google'), ('AZURE', 'Azure'), ('COHERE', 'Cohere'), ('HUGGINGFACE', 'Hugging Face'), ('LOCAL', 'Local')], max_length=20)),
                ('model', models.CharField(max_length=100)),
                ('impossibility_score', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
                ('confidence', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
                ('reasoning', models.TextField(blank=True, db_default='', default='')),
                ('duration', models.PositiveIntegerField(blank=True, help_text='Milliseconds.', null=True)),
                ('tokens_used', models.PositiveIntegerField(blank=True, null=True)),
                ('cost', models.DecimalField(blank=True, decimal_places=6, max_digits=10, null=True)),
                ('status', models.CharField(choices=[('PENDING', 'Pending'), ('RUNNING', 'Running'), ('COMPLETED', 'Completed'), ('FAILED', 'Failed'), ('CANCELLED', 'Cancelled')], db_default='PENDING', default='PENDING', max_length=20)),
                ('test_parameters', models.JSONField(blank=True, db_default={}, default=dict)),
                ('test_prompt', models.TextField(blank=True, db_default='', default='')),
                ('response', models.TextField(blank=True, db_default='', default='')),
                ('error_message', models.TextField(blank=True, db_default='', default='')),
                ('metadata', models.JSONField(blank=True, db_default={}, default=dict)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
            ],
            options={
                'verbose_name': 'AI test',
                'db_table': 'dreamshot"."ai_tests',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Budget',
            fields=[
                ('id', models.CharField(default=dreamshot.models.base.new_cuid, editable=False, max_length=32, primary_key=True, serialize=False)),
                ('alert_threshold', models.DecimalField(decimal_places=2, help_text='Spend this month above which an alert is recorded.', max_digits=10)),
                ('hard_cap', models.DecimalField(blank=True, decimal_places=2, help_text="No batch may take the month's spend past this.", max_digits=10, null=True)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
            ],
            options={
                'db_table': 'dreamshot"."budgets',
            },
        ),
        migrations.CreateModel(
            name='BudgetAlert',
            fields=[
                ('id', models.CharField(default=dreamshot.models.base.new_cuid, editable=False, max_length=32, primary_key=True, serialize=False)),
                ('month', models.DateField(help_text='The first day of the month.')),
                ('threshold', models.DecimalField(decimal_places=2, max_digits=10)),
                ('monthly_spend', models.DecimalField(decimal_places=6, max_digits=12)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
            ],
            options={
                'db_table': 'dreamshot"."budget_alerts',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Dream',
            fields=[
                ('id', models.CharField(default=dreamshot.models.base.new_cuid, editable=False, max_length=32, primary_key=True, serialize=False)),
                ('title', models.CharField(max_length=255)),
                ('description', models.TextField(blank=True, db_default='', default='')),
                ('original_prompt', models.TextField()),
                ('category', models.CharField(choices=[('TECHNOLOGY', 'Technology'), ('BUSINESS', 'Business'), ('CREATIVE', 'Creative'), ('SCIENCE', 'Science'), ('PERSONAL', 'Personal'), ('SOCIAL', 'Social'), ('ENVIRONMENTAL', 'Environmental'), ('EDUCATION', 'Education'), ('HEALTHCARE', 'Healthcare'), ('OTHER', 'Other')], db_default='OTHER', default='OTHER', max_length=20)),
                ('tags', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=100), blank=True, db_default=[], default=list, size=50)),
                ('is_public', models.BooleanField(db_default=False, default=False)),
                ('status', models.CharField(choices=[('ACTIVE', 'Active'), ('ARCHIVED', 'Archived'), ('DELETED', 'Deleted'), ('COMPLETED', 'Completed')], db_default='ACTIVE', default='ACTIVE', max_length=20)),
                ('metadata', models.JSONField(blank=True, db_default={}, default=dict)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
            ],
            options={
                'db_table': 'dreamshot"."dreams',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ProgressLog',
            fields=[
                ('id', models.CharField(default=dreamshot.models.base.new_cuid, editable=False, max_length=32, primary_key=True, serialize=False)),
                ('average_impossibility', models.DecimalField(decimal_places=2, max_digits=5)),
                ('best_score', models.DecimalField(decimal_places=2, max_digits=5)),
                ('test_count', models.PositiveIntegerField()),
                ('active_models', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=150), blank=True, default=list, size=None)),
                ('improvement_trend', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
                ('snapshot_data', models.JSONField(blank=True, db_default={}, default=dict)),
                ('milestone_reached', models.CharField(blank=True, db_default='', default='', max_length=50)),
                ('notes', models.TextField(blank=True, db_default='', default='')),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
            ],
            options={
                'db_table': 'dreamshot"."progress_logs',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='AiModel',
            fields=[
                ('id', models.CharField(default=dreamshot.models.base.new_cuid, editable=False, max_length=32, primary_key=True, serialize=False)),
                ('provider', models.CharField(choices=[('OPENAI', 'OpenAI'), ('ANTHROPIC', 'Anthropic'), ('GOOGLE', 'Google'), ('AZURE', 'Azure'), ('COHERE', 'Cohere'), ('HUGGINGFACE', 'Hugging Face'), ('LOCAL', 'Local')], max_length=20)),
                ('name', models.CharField(help_text='The model name sent to the provider.', max_length=100)),
                ('display_name', models.CharField(max_length=255)),
                ('max_tokens', models.PositiveIntegerField(db_default=1024, default=1024)),
                ('cost_per_1k_tokens', models.DecimalField(db_default=Decimal('0'), decimal_places=6, default=Decimal('0'), max_digits=10)),
                ('output_cost_per_1k_tokens', models.DecimalField(blank=True, decimal_places=6, help_text='Price of 1k output tokens where it differs from the input price.', max_digits=10, null=True)),
                ('is_active', models.BooleanField(db_default=True, default=True)),
                ('capabilities', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=50), blank=True, db_default=[], default=list, size=20)),
                ('chat_provider', models.CharField(blank=True, db_default='', default='', help_text="The CHAT_PROVIDERS entry that serves this model (an OpenAI-compatible or Anthropic API); empty: the provider's name in lower case. A LOCAL model without one is the offline heuristic.", max_length=50)),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False)),
            ],
            options={
                'db_table': 'dreamshot"."ai_models',
                'ordering': ['provider', 'name'],
                'indexes': [models.Index(condition=models.Q(('is_active', True)), fields=['provider', 'name'], name='idx_models_active'), django.contrib.postgres.indexes.GinIndex(fields=['capabilities'], name='idx_models_capabilities_gin')],
                'constraints': [models.UniqueConstraint(fields=('provider', 'name'), name='ai_models_provider_name_key'), models.CheckConstraint(condition=models.Q(('provider__in', ['OPENAI', 'ANTHROPIC', 'GOOGLE', 'AZURE', 'COHERE', 'HUGGINGFACE', 'LOCAL'])), name='ai_models_provider_valid'), models.CheckConstraint(condition=models.Q(('cost_per_1k_tokens__gte', 0), models.Q(('output_cost_per_1k_tokens__isnull', True), ('output_cost_per_1k_tokens__gte', 0), _connector='OR')), name='ai_models_prices_not_negative')],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='aimodel',
            trigger=pgtrigger.compiler.Trigger(name='stamp_updated_at', sql=pgtrigger.compiler.UpsertTriggerSql(func='NEW.updated_at = statement_timestamp(); RETURN NEW;', hash='0511b55298f14c740a983b5e6dc040d20159d2a5', operation='UPDATE', pgid='pgtrigger_stamp_updated_at_1c94d', table='dreamshot"."ai_models', when='BEFORE')),
        ),
        migrations.AddField(
            model_name='aitest',
            name='user',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='dreamshot_ai_tests', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='budget',
            name='user',
            field=models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='dreamshot_budget', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='budgetalert',
            name='user',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='dreamshot_budget_alerts', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='dream',
            name='user',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='dreamshot_dreams', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='aitest',
            name='dream',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tests', to='dreamshot.dream'),
        ),
        migrations.AddField(
            model_name='progresslog',
            name='dream',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='progress_logs', to='dreamshot.dream'),
        ),
        migrations.AddField(
            model_name='progresslog',
            name='user',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='dreamshot_progress_logs', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='budget',
            constraint=models.CheckConstraint(condition=models.Q(('alert_threshold__gte', 0), models.Q(('hard_cap__isnull', True), ('hard_cap__gte', 0), _connector='OR')), name='budgets_amounts_not_negative'),
        ),
        migrations.AddIndex(
            model_name='budgetalert',
            index=models.Index(models.F('user'), models.OrderBy(models.F('month'), descending=True), name='idx_budget_alerts_user'),
        ),
        migrations.AddConstraint(
            model_name='budgetalert',
            constraint=models.UniqueConstraint(fields=('user', 'month'), name='budget_alerts_user_month_key'),
        ),
        migrations.AddIndex(
            model_name='dream',
            index=models.Index(models.F('user'), models.OrderBy(models.F('created_at'), descending=True), name='idx_dreams_user_recent'),
        ),
        migrations.AddIndex(
            model_name='dream',
            index=models.Index(models.OrderBy(models.F('created_at'), descending=True), condition=models.Q(('status', 'ACTIVE')), name='idx_dreams_active'),
        ),
        migrations.AddIndex(
            model_name='dream',
            index=django.contrib.postgres.indexes.GinIndex(fields=['tags'], name='idx_dreams_tags_gin'),
        ),
        migrations.AddIndex(
            model_name='dream',
            index=models.Index(fields=['category'], name='idx_dreams_category'),
        ),
        migrations.AddIndex(
            model_name='dream',
            index=models.Index(models.OrderBy(models.F('created_at'), descending=True), condition=models.Q(('is_public', True)), name='idx_dreams_public'),
        ),
        migrations.AddIndex(
            model_name='dream',
            index=models.Index(fields=['status'], name='idx_dreams_status_filter'),
        ),
        migrations.AddConstraint(
            model_name='dream',
            constraint=models.CheckConstraint(condition=models.Q(('category__in', ['TECHNOLOGY', 'BUSINESS', 'CREATIVE', 'SCIENCE', 'PERSONAL', 'SOCIAL', 'ENVIRONMENTAL', 'EDUCATION', 'HEALTHCARE', 'OTHER'])), name='dreams_category_check'),
        ),
        migrations.AddConstraint(
            model_name='dream',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['ACTIVE', 'ARCHIVED', 'DELETED', 'COMPLETED'])), name='dreams_status_check'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='dream',
            trigger=pgtrigger.compiler.Trigger(name='stamp_updated_at', sql=pgtrigger.compiler.UpsertTriggerSql(func='NEW.updated_at = statement_timestamp(); RETURN NEW;', hash='9418eea25fc5749489154224c975ff7cdfc88c85', operation='UPDATE', pgid='pgtrigger_stamp_updated_at_d77ab', table='dreamshot"."dreams', when='BEFORE')),
        ),
        migrations.AddIndex(
            model_name='aitest',
            index=models.Index(models.F('dream'), models.OrderBy(models.F('created_at'), descending=True), name='idx_ai_tests_dream_timeline'),
        ),
        migrations.AddIndex(
            model_name='aitest',
            index=django.contrib.postgres.indexes.GinIndex(fields=['test_parameters'], name='idx_test_parameters_gin'),
        ),
        migrations.AddIndex(
            model_name='aitest',
            index=models.Index(fields=['provider', 'model'], name='idx_ai_tests_provider_model'),
        ),
        migrations.AddIndex(
            model_name='aitest',
            index=models.Index(fields=['impossibility_score'], name='idx_ai_tests_impossibility'),
        ),
        migrations.AddIndex(
            model_name='aitest',
            index=models.Index(fields=['created_at'], name='idx_ai_tests_created_at'),
        ),
        migrations.AddIndex(
            model_name='aitest',
            index=models.Index(models.F('user'), models.OrderBy(models.F('created_at'), descending=True), name='idx_ai_tests_user_recent'),
        ),
        migrations.AddConstraint(
            model_name='aitest',
            constraint=models.CheckConstraint(condition=models.Q(('provider__in', ['OPENAI', 'ANTHROPIC', 'GOOGLE', 'AZURE', 'COHERE', 'HUGGINGFACE', 'LOCAL'])), name='ai_tests_provider_valid'),
        ),
        migrations.AddConstraint(
            model_name='aitest',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'])), name='ai_tests_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='aitest',
            constraint=models.CheckConstraint(condition=models.Q(('impossibility_score__isnull', True), ('impossibility_score__range', (0, 100)), _connector='OR'), name='ai_tests_impossibility_score_range'),
        ),
        migrations.AddConstraint(
            model_name='aitest',
            constraint=models.CheckConstraint(condition=models.Q(('confidence__isnull', True), ('confidence__range', (0, 100)), _connector='OR'), name='ai_tests_confidence_range'),
        ),
        migrations.AddConstraint(
            model_name='aitest',
            constraint=models.CheckConstraint(condition=models.Q(('cost__isnull', True), ('cost__gte', 0), _connector='OR'), name='ai_tests_cost_not_negative'),
        ),
        migrations.AddIndex(
            model_name='progresslog',
            index=models.Index(models.F('dream'), models.OrderBy(models.F('created_at'), descending=True), name='idx_progress_time_series'),
        ),
        migrations.AddIndex(
            model_name='progresslog',
            index=django.contrib.postgres.indexes.GinIndex(fields=['snapshot_data'], name='idx_progress_snapshot_gin'),
        ),
        migrations.AddIndex(
            model_name='progresslog',
            index=models.Index(fields=['average_impossibility'], name='idx_progress_avg_impossibility'),
        ),
        migrations.AddConstraint(
            model_name='progresslog',
            constraint=models.CheckConstraint(condition=models.Q(('average_impossibility__range', (0, 100)), ('best_score__range', (0, 100))), name='progress_logs_scores_range'),
        ),
    ]

    operations = [op for op in generated if not _ai_tests(op)] + [
        migrations.SeparateDatabaseAndState(
            state_operations=[op for op in generated if _ai_tests(op)],
            database_operations=[run_sql_file(APP_DIR, "0002_ai_tests")],
        )
    ]
