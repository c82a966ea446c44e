import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "admin"


class Command(BaseCommand):
    help = "Create a demo superuser when none exists (DEBUG only) and print the admin login."

    def handle(self, *args: object, **options: object) -> None:
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "lucid-admin")
        User = get_user_model()
        admin = User.objects.filter(username=DEMO_USERNAME, is_superuser=True).first()
        if not User.objects.filter(is_superuser=True).exists():
            if not settings.DEBUG:
                self.stdout.write("No superuser; create one with: manage.py createsuperuser")
                return
            admin = User.objects.create_superuser(
                username=DEMO_USERNAME, email="admin@example.com", password=password
            )
            self.stdout.write(self.style.SUCCESS("Created the demo superuser."))
        if admin is not None and admin.check_password(password):
            self.stdout.write(f"Admin login: {DEMO_USERNAME} / {password}")
        else:
            self.stdout.write("A superuser exists; its password is not the demo one.")
