"""Newsroom settings, read from the environment.

With nothing set, the embedded defaults serve a single machine: SQLite under
``var/``, Celery tasks run in-process, a local-memory cache and view counts
written straight to the database. ``DATABASE_URL`` and ``REDIS_URL`` switch the
same code onto PostgreSQL, Redis and real Celery workers.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from csp.constants import UNSAFE_INLINE as CSP_UNSAFE_INLINE
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
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


def secret_key_weakness(key: str) -> str | None:
    """Why ``key`` is too weak to sign anything, by the rules of Django's ``check --deploy``; None if it is not."""
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"it starts with {SECRET_KEY_INSECURE_PREFIX!r}, the mark of a generated development key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"it has {len(set(key))} distinct characters, fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS}"
    return None


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set DEBUG=1 for local development or export a SECRET_KEY."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - never used with DEBUG off
elif not DEBUG and (problem := secret_key_weakness(SECRET_KEY)):
    # Django's check --deploy only warns; a weak key signs sessions and password resets, so refuse it.
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak: {problem}. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

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
    # Swagger UI served from this site's static files: no CDN, nothing outside the CSP.
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    # Login lockout for the admin's login form (see "Abuse limits").
    "axes",
    # Deployment: the Content-Security-Policy, the health checks and the Prometheus metrics.
    "csp",
    "health_check",
    "django_prometheus",
    "articles",
    "entities",
    # Agency feeds and sitemaps followed on a schedule (docs/operations.md, "Following agency feeds").
    "sources",
    # API tokens for partner sites, made in the admin (docs/api.md).
    "partners",
    # The project itself, for the commands that span both apps (load_demo).
    "newsroom",
]

MIDDLEWARE = [
    # Outermost, so the request metrics time and count every response, even those made by middleware.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # First, so even responses made by later middleware carry the CORS headers (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in the path, the query or the Authorization header is a 400 before any view
    # reads it (PostgreSQL stores no NUL in text).
    "newsroom.unstorable.UnstorableInputMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Errors under /api/ as JSON, whoever made them; outside CommonMiddleware so that a missing
    # slash is still redirected first (newsroom.api_errors).
    "newsroom.api_errors.api_json_errors",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # As django-axes asks, after everything but the metrics' closing half: it turns a lockout
    # flagged during the view into its 429.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
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
# A pool child that dies mid-task (out of memory, killed) puts its message straight back; a page
# that kills every run is failed after EXTRACTION_MAX_INTERRUPTIONS (articles.services.extract).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Extraction is CPU-heavy and uneven: one message at a time per process keeps
# long pages from queueing behind each other on a busy worker.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hard caps so no single page can stall a worker.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "60"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "90"))
# --- Outages and recovery (docs/operations.md, "Outages and recovery") ---
# Redis hands an unacknowledged message to another worker once it has been out this long: a
# worker killed mid-task has its work redelivered within these minutes. Every message a worker
# holds must be acknowledged within it, or it runs twice: one waiting for a free process (up to
# one task time limit), a retry waiting for its countdown (up to TASK_RETRY_BACKOFF_MAX), then
# the run itself (the task time limit). The defaults: 90 + 60 + 90 s within 300.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "300"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Each worker looks for messages past the timeout every 10 s (kombu's default scans only
    # every tenth time, 100 s), so a killed worker's message comes back within the timeout + 10 s.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# A worker keeps reconnecting to a broker that is down, however long (Celery's default gives up
# after 100 tries); tasks running meanwhile finish, and their messages come back if unacknowledged.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Transient errors (database or broker unreachable) are retried with backoff, up to this many
# seconds between tries, for at least TASK_RETRY_FOR seconds in all; past that the sweeper takes over.
TASK_RETRY_BACKOFF_MAX = float(os.environ.get("TASK_RETRY_BACKOFF_MAX", "60"))
TASK_RETRY_FOR = float(os.environ.get("TASK_RETRY_FOR", "900"))
# The sweeper (articles/recovery.py): every STRANDED_SWEEP_INTERVAL seconds it sends again a
# document pending, or a step owed, for longer than STRANDED_AFTER seconds, and a document left
# processing past the task time limit and EXTRACTION_LEASE_MARGIN seconds.
STRANDED_SWEEP_INTERVAL = float(os.environ.get("STRANDED_SWEEP_INTERVAL", "60"))
STRANDED_AFTER = int(os.environ.get("STRANDED_AFTER", "600"))
EXTRACTION_LEASE_MARGIN = int(os.environ.get("EXTRACTION_LEASE_MARGIN", "30"))
# Runs of one document cut short (worker died, killed, database lost mid-run) before it is failed.
EXTRACTION_MAX_INTERRUPTIONS = int(os.environ.get("EXTRACTION_MAX_INTERRUPTIONS", "3"))
# Times an owed step is sent before it is dropped with an error in the log.
PIPELINE_STEP_MAX_SENDS = int(os.environ.get("PIPELINE_STEP_MAX_SENDS", "5"))
# --- Hostile input: worker memory ---
# A prefork child whose resident memory passed this many KiB when a task ended is replaced by a
# fresh one, so memory a freak page left behind (Python keeps what it freed) is not carried into
# every later task. A worker at rest, with the NER model loaded, takes about 300 MB; no page of
# the hostile corpus takes it past 1 GB (docs/operations.md, "Hostile input").
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(
    os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", str(768 * 1024))
)
# --- end hostile input: worker memory ---
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
    # Documents and steps left owed by a lost message, a killed worker or a long outage.
    "recover-stranded-work": {
        "task": "articles.tasks.stranded_work_recover_task",
        "schedule": STRANDED_SWEEP_INTERVAL,
        "options": {"expires": STRANDED_SWEEP_INTERVAL},
    },
    # Followed feeds and sitemaps whose time has come are polled, one task each (sources/).
    "poll-followed-sources": {
        "task": "sources.tasks.sources_poll_due_task",
        "schedule": float(os.environ.get("SOURCE_POLL_CHECK_INTERVAL", "60")),
        "options": {"expires": float(os.environ.get("SOURCE_POLL_CHECK_INTERVAL", "60"))},
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
# Views one client address (newsroom.clients, TRUSTED_PROXY_COUNT) counts on one article within
# VIEW_DEDUPE_WINDOW, whatever user agents or visitor cookies it sends. Raise it where many
# readers share an address (a newsroom's own office behind one NAT).
VIEW_MAX_PER_ADDRESS = int(os.environ.get("VIEW_MAX_PER_ADDRESS", "1"))
# After a Redis error, hits go to the database for this many seconds before Redis is tried again.
VIEW_REDIS_RETRY_SECONDS = float(os.environ.get("VIEW_REDIS_RETRY_SECONDS", "5"))
# When Redis goes away under a hit, seconds that hit waits for it to come back (a restart)
# before it is counted in the database, where it could count twice; once per process and outage.
VIEW_REDIS_RECHECK_SECONDS = float(os.environ.get("VIEW_REDIS_RECHECK_SECONDS", "3"))
# Days a flushed batch id stays in the ledger (ViewFlushBatch).
VIEW_FLUSH_LEDGER_DAYS = int(os.environ.get("VIEW_FLUSH_LEDGER_DAYS", "30"))
# Seconds the most-read lists are cached.
MOST_READ_CACHE_SECONDS = int(os.environ.get("MOST_READ_CACHE_SECONDS", "60"))

# --- Public page cache (newsroom/page_cache.py; docs/operations.md, "Page cache") --------
# Seconds a public page is served from the cache before it is rendered again: the most a
# page's "read N times" and most-read block lag behind. Publishing and the other desk moves
# replace the whole site at once, whatever this says.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# Seconds each process serves pages from its own memory before it asks the cache whether the
# site changed (0: ask on every request, one Redis round trip a hit). Other processes see a
# change within this; the process that made it sees it at once. docs/benchmarks.md has both.
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "1"))
# Pages one process keeps in its memory at most.
PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "500"))

# --- Abuse limits: client addresses, login lockout --------------------------------------
# docs/operations.md, "Abuse limits and view counts". The number of reverse proxies in front
# of the application, each appending to X-Forwarded-For: the client is the Nth address from
# the right (0: REMOTE_ADDR, the header is ignored). Login lockout, API throttling and view
# counting all read the address through newsroom.clients.client_address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if os.environ.get("VIEW_CLIENT_IP_HEADER", "REMOTE_ADDR") != "REMOTE_ADDR":
    raise ImproperlyConfigured(
        "VIEW_CLIENT_IP_HEADER is no longer read: a header anyone can send is no client address. "
        "Set TRUSTED_PROXY_COUNT to the number of proxies in front of Newsroom instead."
    )
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted per (username, client address): an attacker locks that username out
# from their own address only, never an editor out of every address, and a second address
# starts again at zero; API throttling caps how fast any one address can try.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Hours (the unit django-axes reads). Attempts while locked out are refused unread and not
# recorded, so a flood of them costs the database no writes and the cool-off still ends.
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_TIME", "0.25"))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_address"
AXES_LOCKOUT_CALLABLE = "newsroom.logins.lockout_response"
# Failed attempts are kept (AccessAttempt, in the admin); successful logins are not logged again.
AXES_DISABLE_ACCESS_LOG = True

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    # Partners' tokens (first, so a refusal is a 401 with its challenge) and the site's session.
    # No password is checked on an API request: Basic credentials are refused unread (docs/api.md).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    # django-filter's, refusing an empty date, number or choice (articles.api.filter_backends).
    "DEFAULT_FILTER_BACKENDS": ["articles.api.filter_backends.StrictFilterBackend"],
    # Keyset (cursor) pages in each list's own order: no COUNT, the same cost at any depth.
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.KeysetPagination",
    # Bodies read within each endpoint's limit, nesting capped; a body too big is a JSON 413.
    "DEFAULT_PARSER_CLASSES": [
        "articles.api.parsers.BoundedJSONParser",
        "articles.api.parsers.BoundedFormParser",
        "articles.api.parsers.BoundedMultiPartParser",
    ],
    "EXCEPTION_HANDLER": "articles.api.parsers.api_exception_handler",
    "PAGE_SIZE": 20,
    # Security per operation from its permissions, and the documented error answers (articles.api.schema).
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.AutoSchema",
    # Per client address without a login, per token with one (its own rate, or "token"), per
    # user with a session (newsroom.throttling). The counts live in the default cache: Redis
    # when configured, shared by every web process.
    "DEFAULT_THROTTLE_CLASSES": [
        "newsroom.throttling.AnonRateThrottle",
        "newsroom.throttling.TokenRateThrottle",
        "newsroom.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "token": os.environ.get("API_THROTTLE_TOKEN", "600/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Articles, agencies, related-article widgets and view counts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Requests described apart from responses: a file is binary, a required text non-empty.
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the errors it can answer (articles.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.add_error_responses",
    ],
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
# --- Fetching pages (articles/fetcher.py; docs/operations.md, "Fetching pages safely") ---
# INGEST_FETCH_TIMEOUT above bounds a whole download, redirects included; each redirect is
# checked like the first address, at most INGEST_FETCH_MAX_REDIRECTS of them. Nothing on a
# loopback, private, link-local or other non-public address is fetched unless it is listed in
# FETCH_TRUSTED_SOURCES: host names, .domains (with their subdomains) and IP networks (CIDR).
INGEST_FETCH_MAX_REDIRECTS = int(os.environ.get("INGEST_FETCH_MAX_REDIRECTS", "5"))
FETCH_TRUSTED_SOURCES = env_list("FETCH_TRUSTED_SOURCES")
# --- end of fetching pages ---

# --- Following agency feeds (sources/; docs/operations.md, "Following agency feeds") ---
# New stories fetched per poll of one source at most; the rest come with the next poll, soon after.
SOURCE_ITEMS_PER_POLL = int(os.environ.get("SOURCE_ITEMS_PER_POLL", "20"))
# One request per host per SOURCE_HOST_INTERVAL seconds, shared by every worker through Redis. A
# poll waits at most SOURCE_HOST_MAX_WAIT seconds for its turn (or a Retry-After), else stops and
# leaves the rest for its next poll.
SOURCE_HOST_INTERVAL = float(os.environ.get("SOURCE_HOST_INTERVAL", "2"))
SOURCE_HOST_MAX_WAIT = float(os.environ.get("SOURCE_HOST_MAX_WAIT", "20"))
# A failing source waits its interval doubled per failure in a row, up to this many seconds.
SOURCE_BACKOFF_MAX = int(os.environ.get("SOURCE_BACKOFF_MAX", str(6 * 3600)))
# A story page that cannot be fetched or stored is tried on this many polls, then left with its reason.
SOURCE_ITEM_MAX_ATTEMPTS = int(os.environ.get("SOURCE_ITEM_MAX_ATTEMPTS", "3"))
# Sitemap indexes: levels of index followed, and child sitemaps read per poll (the newest first).
SOURCE_SITEMAP_MAX_DEPTH = int(os.environ.get("SOURCE_SITEMAP_MAX_DEPTH", "2"))
SOURCE_SITEMAP_MAX_CHILDREN = int(os.environ.get("SOURCE_SITEMAP_MAX_CHILDREN", "3"))
# --- end of following agency feeds ---
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

# --- What search engines read (docs/seo.md) ---------------------------------------------------
# The site's public origin, e.g. https://news.example.org: canonical links, Open Graph, JSON-LD,
# sitemaps and robots.txt name pages under it. Empty: the host of the request being answered.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# Stories per sitemap page, each page a range of story ids; 50,000 is the protocol's maximum.
SITEMAP_PAGE_SIZE = min(int(os.environ.get("SITEMAP_PAGE_SIZE", "50000")), 50000)
# --- end of what search engines read ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Deployment: HTTPS, cookies and security headers -----------------------------------------
# Each is read from the environment variable of the same name. docs/operations.md
# ("Deployment") lists the production values, with which `manage.py check --deploy` is clean.
# Behind a proxy that ends TLS: the header it sets and the value meaning HTTPS, e.g.
# "HTTP_X_FORWARDED_PROTO,https". Set it only when the proxy always sets (or strips) that header.
SECURE_PROXY_SSL_HEADER = tuple(env_list("SECURE_PROXY_SSL_HEADER")) or None
if SECURE_PROXY_SSL_HEADER is not None and len(SECURE_PROXY_SSL_HEADER) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER is a header and a value: HTTP_X_FORWARDED_PROTO,https"
    )
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# Probes from the load balancer and the metrics scraper come over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp). Scripts and <style> elements run only
# from this site or with the response's nonce (templates write nonce="{{ request.csp_nonce }}");
# style attributes, which cannot run script, are allowed (Django's and DRF's templates use them).
# Images in story bodies come from the agencies' sites, hence https: for img-src. The related
# widget replaces frame-ancestors with the allowed origins; the admin's stored-page frame sets a
# policy of its own, which is kept (sandboxed, no script, nothing fetched).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF, CSP_NONCE],
        "style-src-elem": [CSP_SELF, CSP_NONCE],
        "style-src-attr": [CSP_UNSAFE_INLINE],
        "img-src": [CSP_SELF, "data:", "https:"],
        "connect-src": [CSP_SELF],
        "frame-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_SELF],
    },
}

# --- Health checks and metrics (newsroom/health.py, newsroom/metrics.py) ------------------------
# Bearer token that shows /health/ and /readyz in detail and opens /metrics (staff signed in
# to the admin see them too); anyone else gets the status alone, and a 404 for /metrics.
MONITORING_TOKEN = os.environ.get("MONITORING_TOKEN", "")
# /health/ fails when a raw document has been pending or processing longer than this (seconds),
# when a queue holds more waiting tasks than this, or when counted views have waited longer
# than this for their flush.
HEALTH_STUCK_DOCUMENT_SECONDS = int(os.environ.get("HEALTH_STUCK_DOCUMENT_SECONDS", "1800"))
HEALTH_QUEUE_MAX_DEPTH = int(os.environ.get("HEALTH_QUEUE_MAX_DEPTH", "5000"))
HEALTH_VIEW_FLUSH_MAX_LAG = int(os.environ.get("HEALTH_VIEW_FLUSH_MAX_LAG", "300"))
# A Celery worker serves its task metrics on this port when set (PROMETHEUS_MULTIPROC_DIR for prefork).
WORKER_METRICS_PORT = int(os.environ.get("WORKER_METRICS_PORT", "0"))
WORKER_METRICS_ADDR = os.environ.get("WORKER_METRICS_ADDR", "127.0.0.1")

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

# --- Public search (articles/search/; docs/search.md) ---
# Every statement of a public search runs under this limit; a search that would take longer is
# cancelled and answered "too slow" (503), so no query holds a worker or the database.
SEARCH_STATEMENT_TIMEOUT_MS = int(os.environ.get("SEARCH_STATEMENT_TIMEOUT_MS", "2000"))
# --- end public search ---

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
