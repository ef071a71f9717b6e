"""All configuration, read once from the environment (and an optional `.env` file)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from opad.prices import Prices, parse_prices

EngineName = Literal["leveler", "noop", "crew"]
# The leveler was called "offline" before it could read news: the old name still works.
ENGINE_ALIASES = {"offline": "leveler"}


class Settings(BaseSettings):
    """OPAD settings; every field is documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(Path("var"), alias="OPAD_DATA_DIR")
    redis_url: str | None = Field(None, alias="REDIS_URL")
    database_url: str | None = Field(None, alias="DATABASE_URL")
    storage_url: str | None = Field(None, alias="OPAD_STORAGE_URL")
    engine: EngineName = Field("leveler", alias="OPAD_ENGINE")
    library_dir: Path | None = Field(None, alias="OPAD_LIBRARY_DIR")

    api_host: str = Field("127.0.0.1", alias="OPAD_API_HOST")
    api_port: int = Field(8001, alias="OPAD_API_PORT")
    # Processes of `opad api`, sharing its port (uvicorn's workers): one per core to use.
    api_processes: int = Field(1, ge=1, le=64, alias="OPAD_API_PROCESSES")
    web_host: str = Field("127.0.0.1", alias="OPAD_WEB_HOST")
    web_port: int = Field(8000, alias="OPAD_WEB_PORT")
    # Empty: derived from OPAD_API_HOST/OPAD_API_PORT, so the CLI and the web find an API
    # whose port was changed without being told twice.
    api_url: str = Field("", alias="OPAD_API_URL")
    # Where learners open the web (the CLI links to it); empty: from OPAD_WEB_HOST/PORT.
    web_url: str = Field("", alias="OPAD_WEB_URL")

    worker_concurrency: int = Field(4, ge=1, le=256, alias="OPAD_WORKER_CONCURRENCY")
    # Processes of one `opad worker` (None: one per core); each is a worker of its own.
    worker_processes: int | None = Field(None, ge=1, le=64, alias="OPAD_WORKER_PROCESSES")
    # Languages whose word data a worker prepares at start ("all", "en,de", "" = none).
    worker_warm: str = Field("", alias="OPAD_WORKER_WARM")
    # Resident MB over which a worker process that has run two languages or more finishes
    # its jobs and starts afresh (worker/memory.py); 0 = never.
    worker_max_rss_mb: int = Field(600, ge=0, alias="OPAD_WORKER_MAX_RSS_MB")
    lease_seconds: float = Field(60.0, ge=1, alias="OPAD_LEASE_SECONDS")
    max_attempts: int = Field(3, ge=1, le=100, alias="OPAD_MAX_ATTEMPTS")
    retry_base_seconds: float = Field(5.0, ge=0, alias="OPAD_RETRY_BASE_SECONDS")
    retry_max_seconds: float = Field(300.0, ge=0, alias="OPAD_RETRY_MAX_SECONDS")
    job_timeout_seconds: float = Field(600.0, gt=0, alias="OPAD_JOB_TIMEOUT")
    shutdown_grace_seconds: float = Field(30.0, ge=0, alias="OPAD_SHUTDOWN_GRACE")
    worker_heartbeat_file: Path | None = Field(None, alias="OPAD_WORKER_HEARTBEAT_FILE")
    noop_seconds: float = Field(0.0, ge=0, alias="OPAD_NOOP_SECONDS")
    status_ttl_seconds: int = Field(86400, ge=60, alias="OPAD_STATUS_TTL")
    redis_timeout_seconds: float = Field(1.5, gt=0, alias="OPAD_REDIS_TIMEOUT")
    db_timeout_seconds: float = Field(2.0, gt=0, alias="OPAD_DB_TIMEOUT")
    fetch_timeout_seconds: float = Field(10.0, gt=0, alias="OPAD_FETCH_TIMEOUT")
    fetch_max_bytes: int = Field(2_000_000, gt=0, alias="OPAD_FETCH_MAX_BYTES")
    log_level: str = Field("INFO", alias="OPAD_LOG_LEVEL")

    # --- accounts and limits ---
    env: Literal["development", "production"] = Field("development", alias="OPAD_ENV")
    secret_key: SecretStr | None = Field(None, alias="OPAD_SECRET_KEY")
    auth: Literal["auto", "required", "off"] = Field("auto", alias="OPAD_AUTH")
    registration: Literal["auto", "open", "closed"] = Field("auto", alias="OPAD_REGISTRATION")
    system_user: str | None = Field(None, alias="OPAD_SYSTEM_USER")
    # None: 20 per hour and 5 waiting in production, unlimited on a local install; 0: unlimited.
    rate_limit_per_hour: int | None = Field(None, ge=0, alias="OPAD_RATE_LIMIT_PER_HOUR")
    max_queued_per_user: int | None = Field(None, ge=0, alias="OPAD_MAX_QUEUED_PER_USER")
    max_body_bytes: int = Field(1_000_000, ge=1024, alias="OPAD_MAX_BODY_BYTES")
    login_max_failures: int = Field(5, ge=1, alias="OPAD_LOGIN_MAX_FAILURES")
    # Per client address, whatever the emails: one address guessing many accounts.
    login_max_failures_per_address: int = Field(
        20, ge=1, alias="OPAD_LOGIN_MAX_FAILURES_PER_ADDRESS"
    )
    # Per account, whatever the addresses: a botnet guessing one password (issue 30).
    login_max_failures_per_account: int = Field(
        50, ge=1, alias="OPAD_LOGIN_MAX_FAILURES_PER_ACCOUNT"
    )
    # IPv6 clients are counted by network: one /64 is one subscriber's (RFC 6177).
    login_ipv6_prefix: int = Field(64, ge=16, le=128, alias="OPAD_LOGIN_IPV6_PREFIX")
    # A browser's sign-in ends after this many days without use (sliding).
    session_idle_days: float = Field(30.0, gt=0, alias="OPAD_SESSION_IDLE_DAYS")
    # Whose X-Forwarded-For/-Proto to believe: the web (for the API), a reverse proxy.
    trusted_proxies: str = Field("127.0.0.1,::1", alias="OPAD_TRUSTED_PROXIES")
    fetch_allow_networks: str = Field("", alias="OPAD_FETCH_ALLOW_NETWORKS")

    # --- deployment ---
    log_format: Literal["text", "json"] = Field("text", alias="OPAD_LOG_FORMAT")
    # Per process: replicas × (pool + overflow) must stay under PostgreSQL's max_connections.
    db_pool_size: int = Field(10, ge=1, le=500, alias="OPAD_DB_POOL_SIZE")
    db_max_overflow: int = Field(10, ge=0, le=500, alias="OPAD_DB_MAX_OVERFLOW")
    s3_endpoint_url: str | None = Field(None, alias="OPAD_S3_ENDPOINT_URL")
    s3_region: str | None = Field(None, alias="OPAD_S3_REGION")
    s3_timeout_seconds: float = Field(5.0, gt=0, alias="OPAD_S3_TIMEOUT")
    worker_metrics_port: int = Field(0, ge=0, le=65535, alias="OPAD_WORKER_METRICS_PORT")
    worker_metrics_host: str = Field("127.0.0.1", alias="OPAD_WORKER_METRICS_HOST")
    # How often a worker retries deleting stored objects the store refused earlier.
    cleanup_interval_seconds: float = Field(60.0, gt=0, alias="OPAD_CLEANUP_INTERVAL")
    # How long a job recorded `queued` may have no message in Redis before a worker pushes
    # it again (services/outbox.py): longer than any producer's commit-to-push gap.
    enqueue_grace_seconds: float = Field(30.0, gt=0, alias="OPAD_ENQUEUE_GRACE")
    # How long a run waits out the content store or database being down before its job
    # fails (the wait spends none of the job's attempts).
    outage_wait_minutes: float = Field(10.0, ge=0, alias="OPAD_OUTAGE_WAIT_MINUTES")
    # Restarts of dead processes a worker group allows per minute before it exits non-zero.
    worker_restarts_per_minute: int = Field(5, ge=0, alias="OPAD_WORKER_RESTARTS_PER_MINUTE")
    # Daily plans (opad.daily): how often every worker looks for plans due, how long before
    # the learner's chosen time their reading is made, and how many more jobs a day whose
    # reading failed gets. OPAD_DAILY_CLOCK ("START@EPOCH*RATE") runs the plans' clock fast,
    # for tests and demos only: empty is the real clock.
    daily_tick_seconds: float = Field(30.0, gt=0, le=3600, alias="OPAD_DAILY_TICK")
    daily_lead_minutes: float = Field(60.0, ge=0, le=720, alias="OPAD_DAILY_LEAD_MINUTES")
    daily_retries: int = Field(2, ge=0, le=10, alias="OPAD_DAILY_RETRIES")
    daily_clock: str = Field("", alias="OPAD_DAILY_CLOCK")

    @field_validator(
        "redis_url", "database_url", "storage_url", "s3_endpoint_url", "s3_region", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # An empty variable in a .env file means "use the embedded default".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("llm_prices")
    @classmethod
    def _prices_parse(cls, value: str) -> str:
        parse_prices(value)  # refuse a table that cannot be read, at start-up
        return value

    @property
    def price_table(self) -> Prices:
        """OPAD_LLM_PRICES as model → (USD per 1M prompt tokens, per 1M completion)."""
        return parse_prices(self.llm_prices)

    @field_validator("engine", mode="before")
    @classmethod
    def _engine_alias(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            return ENGINE_ALIASES.get(value, value)
        return value

    @model_validator(mode="after")
    def _derive_api_url(self) -> Settings:
        if not self.api_url.strip():
            self.api_url = local_url(self.api_host, self.api_port)
        if not self.web_url.strip():
            self.web_url = local_url(self.web_host, self.web_port)
        return self

    @cached_property
    def data_path(self) -> Path:
        """The data directory as an absolute path (created on demand by its users)."""
        return self.data_dir.expanduser().resolve()

    @property
    def effective_database_url(self) -> str:
        """DATABASE_URL, or the embedded SQLite file under the data directory."""
        if self.database_url:
            url = self.database_url
            # Managed PostgreSQL providers hand out postgres:// URLs; SQLAlchemy wants a driver.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix) :]
            return url
        return f"sqlite:///{self.data_path / 'opad.db'}"

    @property
    def auth_required(self) -> bool:
        """Whether every API call needs a token (always in production)."""
        return self.auth == "required" or (self.auth == "auto" and self.env == "production")

    @property
    def generation_limits(self) -> tuple[int, int]:
        """(jobs per user per hour, jobs per user waiting or running); 0 means unlimited."""
        production = self.env == "production"
        rate = self.rate_limit_per_hour
        queued = self.max_queued_per_user
        return (
            rate if rate is not None else (20 if production else 0),
            queued if queued is not None else (5 if production else 0),
        )

    @property
    def registration_open(self) -> bool:
        """Whether anyone may register (closed by default in production)."""
        return self.registration == "open" or (
            self.registration == "auto" and self.env != "production"
        )

    def check_production(self) -> None:
        """Refuse to run a production deployment that strangers could use."""
        if self.env != "production":
            return
        problems = []
        if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
            problems.append("OPAD_SECRET_KEY must be set to at least 32 random characters")
        if self.auth == "off":
            problems.append("OPAD_AUTH=off is not allowed with OPAD_ENV=production")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))

    @property
    def trusted_proxy_list(self) -> list[str]:
        """OPAD_TRUSTED_PROXIES as a list of addresses and networks (["*"]: everyone)."""
        return [item.strip() for item in self.trusted_proxies.split(",") if item.strip()]

    @property
    def heartbeat_path(self) -> Path:
        """The file a worker touches at every heartbeat (for `opad worker-alive`)."""
        return self.worker_heartbeat_file or self.data_path / "worker.heartbeat"

    @property
    def content_dir(self) -> Path:
        """Where the local content store keeps articles."""
        if self.storage_url and self.storage_url.startswith("file://"):
            return Path(self.storage_url.removeprefix("file://")).expanduser().resolve()
        return self.data_path / "content"

    # --- crew engine ---
    llm_model: str = Field("openai/gpt-4.1-mini", alias="OPAD_LLM_MODEL")
    llm_base_url: str | None = Field(None, alias="OPAD_LLM_BASE_URL")
    llm_api_key: SecretStr | None = Field(None, alias="OPAD_LLM_API_KEY")
    llm_finder_model: str | None = Field(None, alias="OPAD_LLM_FINDER_MODEL")
    llm_picker_model: str | None = Field(None, alias="OPAD_LLM_PICKER_MODEL")
    llm_writer_model: str | None = Field(None, alias="OPAD_LLM_WRITER_MODEL")
    llm_timeout_seconds: float = Field(60.0, gt=0, alias="OPAD_LLM_TIMEOUT")
    llm_max_retries: int = Field(2, ge=0, le=10, alias="OPAD_LLM_MAX_RETRIES")
    crew_task_retries: int = Field(1, ge=0, le=5, alias="OPAD_CREW_TASK_RETRIES")
    # The provider's limits for each model, shared by every worker through Redis (0: off).
    llm_requests_per_minute: int = Field(0, ge=0, alias="OPAD_LLM_REQUESTS_PER_MINUTE")
    llm_tokens_per_minute: int = Field(0, ge=0, alias="OPAD_LLM_TOKENS_PER_MINUTE")
    llm_stream: bool = Field(False, alias="OPAD_LLM_STREAM")
    # The writer streams even when the others do not: its text is shown as it grows.
    llm_stream_writer: bool = Field(True, alias="OPAD_LLM_STREAM_WRITER")
    # model=input/output in US dollars per million tokens, comma-separated (opad/prices.py).
    llm_prices: str = Field("", alias="OPAD_LLM_PRICES")
    search: Literal["auto", "serper", "rss", "library"] = Field("auto", alias="OPAD_SEARCH")
    serper_api_key: SecretStr | None = Field(None, alias="SERPER_API_KEY")
    serper_url: str = Field("https://google.serper.dev", alias="OPAD_SERPER_URL")
    rss_feeds: str = Field("", alias="OPAD_RSS_FEEDS")
    search_results: int = Field(3, ge=1, le=10, alias="OPAD_SEARCH_RESULTS")

    # --- news for the leveler (no LLM) ---
    # Off by default: OPAD contacts no news site unless the operator says so.
    news: bool = Field(False, alias="OPAD_NEWS")
    news_timeout_seconds: float = Field(6.0, gt=0, le=120, alias="OPAD_NEWS_TIMEOUT")

    # --- the learner's side: dictionaries and lookups (issue 12) ---
    dict_dirs: str = Field("/usr/share/dictd", alias="OPAD_DICT_DIRS")
    # Where `opad dictionaries add` downloads Debian's dictionary packages from (issue 26).
    dict_mirror: str = Field("http://deb.debian.org/debian", alias="OPAD_DICT_MIRROR")
    lookup_llm: Literal["auto", "on", "off"] = Field("auto", alias="OPAD_LOOKUP_LLM")

    @property
    def dictionary_folders(self) -> list[Path]:
        """The folders searched for dictionaries: the indexes `opad dictionaries add`
        writes (`<data folder>/dictionaries`), then the dictd folders of OPAD_DICT_DIRS
        (colon-separated)."""
        own = self.data_path / "dictionaries"
        return [own, *(Path(p).expanduser() for p in self.dict_dirs.split(":") if p.strip())]

    @property
    def lookup_llm_enabled(self) -> bool:
        """Whether lookups ask the LLM (auto: when an endpoint or a key is configured)."""
        if self.lookup_llm == "auto":
            return bool(self.llm_base_url or self.llm_api_key)
        return self.lookup_llm == "on"

    # --- speech (audio of readings) ---
    speech: Literal["auto", "espeak", "piper", "openai", "off"] = Field("auto", alias="OPAD_SPEECH")
    speech_url: str | None = Field(None, alias="OPAD_SPEECH_URL")
    speech_api_key: SecretStr | None = Field(None, alias="OPAD_SPEECH_API_KEY")
    speech_model: str = Field("tts-1", alias="OPAD_SPEECH_MODEL")
    speech_voice: str = Field("alloy", alias="OPAD_SPEECH_VOICE")
    piper_voices_dir: Path | None = Field(None, alias="OPAD_PIPER_VOICES")
    piper_binary: str = Field("piper", alias="OPAD_PIPER_BIN")
    # Japanese voice of the `voices` extra (docs/audio.md): Open JTalk, or the neural
    # Kokoro-82M, nicer but ~40× slower on a CPU.
    speech_ja: Literal["open-jtalk", "kokoro"] = Field("open-jtalk", alias="OPAD_SPEECH_JA")
    # One reading's audio, all sentences and the encoding; keep it well under
    # OPAD_JOB_TIMEOUT, since the audio step runs inside the job.
    audio_timeout_seconds: float = Field(120.0, gt=0, le=3600, alias="OPAD_AUDIO_TIMEOUT")


def local_url(host: str, port: int) -> str:
    """The http URL a client on this machine uses for a server bound to `host`:`port`.

    A wildcard bind address (0.0.0.0, ::) is not one to connect to: loopback is.
    """
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal in a URL
    return f"http://{host}:{port}"


def get_settings() -> Settings:
    """Read settings from the environment now (never at import time)."""
    return Settings()
