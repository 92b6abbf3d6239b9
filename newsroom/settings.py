"""Newsroom settings, read from the environment.

With nothing set, the embedded defaults serve a single machine: SQLite under
``var/``, Celery tasks run in-process, a local-memory cache and view counts
written straight to the database. ``DATABASE_URL`` and ``REDIS_URL`` switch the
same code onto PostgreSQL, Redis and real Celery workers.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set DEBUG=1 for local development or export a SECRET_KEY."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - never used with DEBUG off

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
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
    "corsheaders",
    "simple_history",
    "articles",
    "entities",
    # The project itself, for the commands that span both apps (load_demo).
    "newsroom",
]

MIDDLEWARE = [
    # First, so even responses made by later middleware carry the CORS headers (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default keeps its database file under var/, created on first use.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache and view counters --------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, so that a Redis outage makes every read a miss and every write a
            # no-op instead of a 500: pages render from the database meanwhile. Its clear()
            # removes only the cache's own keys, never the view counters or the broker's.
            "BACKEND": "newsroom.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "TIMEOUT": 300,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # A cache that does not answer within these is treated as down.
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("CACHE_CONNECT_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(os.environ.get("CACHE_TIMEOUT", "1")),
            },
        }
    }
    # Ignored cache errors are logged (as "django_redis.cache" errors), not silent.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "TIMEOUT": 300,
        }
    }

# --- Celery ---------------------------------------------------------------------
# Without a broker the tasks run in-process, so a single machine needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
# Results are not read anywhere: outcomes are recorded on the rows the tasks work for.
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only once it has finished, so a worker killed mid-task
# leaves the message on the broker for another worker; tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Extraction is CPU-heavy and uneven: one message at a time per process keeps
# long pages from queueing behind each other on a busy worker.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hard caps so no single page can stall a worker.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "60"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "90"))
# --- Hostile input: worker memory ---
# A prefork child whose resident memory passed this many KiB when a task ended is replaced by a
# fresh one, so memory a freak page left behind (Python keeps what it freed) is not carried into
# every later task. A worker at rest, with the NER model loaded, takes about 300 MB; no page of
# the hostile corpus takes it past 1 GB (docs/operations.md, "Hostile input").
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(
    os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", str(768 * 1024))
)
# --- end hostile input: worker memory ---
# Redis re-delivers unacknowledged messages after this; it must exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = "default"
# CPU-heavy work (extraction, NER tagging) has its own queue so it scales on its own machines.
CELERY_TASK_ROUTES = {
    "articles.tasks.article_extract_task": {"queue": "extraction"},
    "entities.tasks.article_tag_task": {"queue": "extraction"},
    "entities.tasks.retag_chunk_task": {"queue": "extraction"},
}
CELERY_BEAT_SCHEDULE = {
    "flush-view-counts": {
        "task": "articles.tasks.view_counts_flush_task",
        "schedule": float(os.environ.get("VIEW_FLUSH_INTERVAL", "10")),
        # A flush not started within one interval is dropped: the next one does its work,
        # so a stopped worker does not come back to a queue of stale flushes.
        "options": {"expires": float(os.environ.get("VIEW_FLUSH_INTERVAL", "10"))},
    },
    # Scheduled stories go live within one interval of their time.
    "publish-scheduled-stories": {
        "task": "articles.tasks.articles_publish_due_task",
        "schedule": float(os.environ.get("SCHEDULE_CHECK_INTERVAL", "30")),
        "options": {"expires": float(os.environ.get("SCHEDULE_CHECK_INTERVAL", "30"))},
    },
    # Site furniture is learned from the pages extracted since the last run.
    "learn-site-furniture": {
        "task": "articles.tasks.site_furniture_learn_task",
        "schedule": float(os.environ.get("SITE_FURNITURE_LEARN_INTERVAL", "3600")),
    },
}
CELERY_TIMEZONE = "UTC"

# --- View counting -------------------------------------------------------------------
# With Redis, each hit is one Redis round trip and a periodic task flushes the totals;
# without it (and while Redis is unreachable) each hit is one database transaction.
# docs/page-views.md has the design.
VIEW_COUNTER_BACKEND = "redis" if REDIS_URL else "database"
# Seconds within which more hits of one visitor on one article count once (0: every hit counts).
VIEW_DEDUPE_WINDOW = int(os.environ.get("VIEW_DEDUPE_WINDOW", "1800"))
# A first-party cookie holding a visitor id, used instead of address and user agent when a
# reader has one (the site sets it, with consent where the law asks for it); empty: none.
VIEW_VISITOR_COOKIE = os.environ.get("VIEW_VISITOR_COOKIE", "nr_vid")
# The request.META key with the reader's address: behind a proxy, e.g. HTTP_X_REAL_IP or
# HTTP_X_FORWARDED_FOR (its first address). Only ever hashed, never stored.
VIEW_CLIENT_IP_HEADER = os.environ.get("VIEW_CLIENT_IP_HEADER", "REMOTE_ADDR")
# After a Redis error, hits go to the database for this many seconds before Redis is tried again.
VIEW_REDIS_RETRY_SECONDS = float(os.environ.get("VIEW_REDIS_RETRY_SECONDS", "5"))
# Days a flushed batch id stays in the ledger (ViewFlushBatch).
VIEW_FLUSH_LEDGER_DAYS = int(os.environ.get("VIEW_FLUSH_LEDGER_DAYS", "30"))
# Seconds the most-read lists are cached.
MOST_READ_CACHE_SECONDS = int(os.environ.get("MOST_READ_CACHE_SECONDS", "60"))

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Articles, agencies, related-article widgets and view counts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "articles.models.Article.Status",
        "RawDocumentStatusEnum": "articles.models.RawDocument.Status",
        "ArticleNoteKindEnum": "articles.models.ArticleNote.Kind",
    },
}

# --- Ingest ---------------------------------------------------------------------------
# Two caps, each where it belongs: ingest refuses (and stores nothing of) a page over
# INGEST_MAX_BYTES; extraction works on at most EXTRACTION_MAX_BYTES of one page, and a stored
# page over it fails extraction with its reason, kept for an editor to see or re-run.
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(20 * 1024 * 1024)))
EXTRACTION_MAX_BYTES = int(os.environ.get("EXTRACTION_MAX_BYTES", str(5 * 1024 * 1024)))
INGEST_FETCH_TIMEOUT = float(os.environ.get("INGEST_FETCH_TIMEOUT", "20"))
INGEST_USER_AGENT = os.environ.get("INGEST_USER_AGENT", "NewsroomIngest/1.0 (+https://example.org/newsroom)")

# --- Static files, i18n ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)

# --- Related articles ----------------------------------------------------------------------
# See docs/related.md for what each number does and how the defaults were measured.
# Computed items (story clusters) kept per article, and takes of one story folded into an item.
RELATED_LIMIT = int(os.environ.get("RELATED_LIMIT", "10"))
RELATED_ALSO_FROM_MAX = int(os.environ.get("RELATED_ALSO_FROM_MAX", "3"))
# score = (entity weight × entity score + text weight × text score) × recency. The defaults are
# articles.related.scoring.ScoringParams'; each variable set in the environment overrides one.
RELATED_SCORING = {
    field: float(os.environ[variable])
    for field, variable in (
        ("entity_weight", "RELATED_ENTITY_WEIGHT"),
        ("text_weight", "RELATED_TEXT_WEIGHT"),
        ("entity_scale", "RELATED_ENTITY_SCALE"),
        ("half_life_days", "RELATED_HALF_LIFE_DAYS"),
        ("recency_floor", "RELATED_RECENCY_FLOOR"),
        ("min_score", "RELATED_MIN_SCORE"),
    )
    if os.environ.get(variable)
}
# Candidates: per entity (index range), by text (full-text index, PostgreSQL), nearest stories
# (SQLite window; PostgreSQL adds a few), entity candidates kept for scoring, neighbours offered.
RELATED_ENTITY_LOOKUPS = int(os.environ.get("RELATED_ENTITY_LOOKUPS", "16"))
RELATED_ENTITY_CANDIDATES = int(os.environ.get("RELATED_ENTITY_CANDIDATES", "200"))
RELATED_TEXT_CANDIDATES = int(os.environ.get("RELATED_TEXT_CANDIDATES", "200"))
RELATED_TEXT_QUERY_TERMS = int(os.environ.get("RELATED_TEXT_QUERY_TERMS", "6"))
RELATED_CANDIDATE_WINDOW = int(os.environ.get("RELATED_CANDIDATE_WINDOW", "2000"))
RELATED_RECENT_CANDIDATES = int(os.environ.get("RELATED_RECENT_CANDIDATES", "100"))
RELATED_MAX_CANDIDATES = int(os.environ.get("RELATED_MAX_CANDIDATES", "500"))
RELATED_OFFER_LIMIT = int(os.environ.get("RELATED_OFFER_LIMIT", "200"))
# Corpus statistics, cached: keyword frequencies over a sample of recent stories; entity
# frequencies counted up to a cap (past it an entity is "very common").
RELATED_DF_SAMPLE = int(os.environ.get("RELATED_DF_SAMPLE", "5000"))
RELATED_DF_COUNT_CAP = int(os.environ.get("RELATED_DF_COUNT_CAP", "100000"))
RELATED_STATS_TTL = int(os.environ.get("RELATED_STATS_TTL", "3600"))
# Cached related lists (dropped on every change; the TTL only bounds what no hook sees) and the
# max-age browsers and CDNs get for the API and the widget.
RELATED_CACHE_TTL = int(os.environ.get("RELATED_CACHE_TTL", "600"))
RELATED_HTTP_MAX_AGE = int(os.environ.get("RELATED_HTTP_MAX_AGE", "60"))
# Seconds a web process keeps a list it read (no cache round trip for a hot widget); other
# processes see a change that much later. Off in development, so a change shows at once.
RELATED_LOCAL_CACHE_SECONDS = float(os.environ.get("RELATED_LOCAL_CACHE_SECONDS", "0" if DEBUG else "1"))

# --- Embedding: the related widget and API on other sites ------------------------------------
# Origins (scheme://host[:port], comma-separated) that may fetch the related API from a browser
# and frame the widget. Nothing else is cross-origin.
WIDGET_ALLOWED_ORIGINS = env_list("WIDGET_ALLOWED_ORIGINS")
CORS_ALLOWED_ORIGINS = WIDGET_ALLOWED_ORIGINS
CORS_URLS_REGEX = r"^/(api/articles/\d+/related/|widgets/related/\d+/)$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# Lets the widget script read the ETag for its own conditional requests.
CORS_EXPOSE_HEADERS = ["ETag"]

# --- Entities ---------------------------------------------------------------------------------
# The spaCy package that finds names the alias table does not know ("auto": the small English
# pipeline when installed; empty: alias table and in-article rules only).
ENTITIES_NER_MODEL = os.environ.get("ENTITIES_NER_MODEL", "auto")
# --- Hostile input (bounded cost per page) ---
# Characters of a story tagged at most (headline and body, cut at a line break): tagging costs
# time and memory faster than in proportion to the text (name resolution compares mentions
# pairwise): 30,000 characters, some 5,000 words, longer than nearly every news story, take
# at most about 15 s on the densest text of names (every word a capitalised name).
TAGGING_MAX_CHARS = int(os.environ.get("TAGGING_MAX_CHARS", "30000"))
# --- end hostile input ---
