from django_celery_beat.schedulers import DatabaseScheduler


class LeaderElectedScheduler(DatabaseScheduler):
    pass
