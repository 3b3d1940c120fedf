"""Settings: one pydantic-settings class, read from the environment (prefix WORKSPACE_)."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core import notebook_origin

_DEV_SECRET = "dev-insecure-secret-change-me"
# The smallest CPU quota of a notebook: below it a quota means nothing useful, and a tiny one
# rounds to NanoCpus=0, which Docker reads as no limit at all.
MIN_CPUS = 0.1
# Lower-case DNS names of two labels or more (a notebook's host is one more label).
_DOMAIN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"


# The size of one notebook's overlay under Swarm (worker/runtime/swarm_spec.py).
SWARM_SUBNET_PREFIX = 24


class Settings(BaseSettings):
    """Every option of WorkSpace, with its default. See the README's Configuration section."""

    model_config = SettingsConfigDict(env_prefix="WORKSPACE_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    secret_key: SecretStr = SecretStr(_DEV_SECRET)
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "WORKSPACE_DATABASE_URL")
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        validation_alias=AliasChoices("REDIS_URL", "WORKSPACE_REDIS_URL"),
    )
    # Origins allowed to open the WebSocket feed; the api's own origin is always allowed.
    public_url: str = "http://127.0.0.1:8000"

    # Addresses of the reverse proxies whose X-Forwarded-For / -Proto are believed (a JSON
    # list; "*" trusts any peer). None by default: the peer's own address is the client's.
    trusted_proxies: list[str] = []

    admin_username: str | None = None
    admin_password: SecretStr | None = None

    session_max_age_seconds: int = Field(default=14 * 24 * 3600, gt=0)
    # Sign-in attempts allowed per username (from any address) and per client address (for
    # any username) within the window; a success gives its attempt back.
    login_max_failures: int = Field(default=5, gt=0)
    login_max_failures_per_address: int = Field(default=20, gt=0)
    login_failure_window_seconds: int = Field(default=300, gt=0)

    # Request bodies, refused with a 413 as they stream in past these.
    max_json_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_upload_body_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    max_notebook_body_bytes: int = Field(default=512 * 1024 * 1024, ge=1024)
    # One WebSocket message, either way (the live feed, notebook kernels and terminals).
    websocket_max_message_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    # Per user, across all api processes.
    max_log_streams_per_user: int = Field(default=8, ge=1)
    max_websockets_per_user: int = Field(default=64, ge=1)
    # On every PostgreSQL connection: no statement, lock wait or open idle transaction
    # lasts longer than this (0 turns one off).
    db_statement_timeout_seconds: float = Field(default=30, ge=0)
    db_lock_timeout_seconds: float = Field(default=10, ge=0)
    db_idle_in_transaction_timeout_seconds: float = Field(default=60, ge=0)

    # Names this installation's containers, volumes and labels, so two installations (or
    # the test suite) on one Docker host never touch each other's notebooks.
    instance: str = Field(default="workspace", pattern=r"^[a-z0-9][a-z0-9-]{0,30}$")
    docker_url: str | None = None
    # Where the worker reaches the ports notebooks publish on the host's loopback.
    container_host: str = "127.0.0.1"
    notebook_images: list[str] = ["workspace/jupyter:latest"]
    notebook_max_cpus: float = Field(default=2.0, ge=MIN_CPUS)
    notebook_max_memory_mb: int = Field(default=4096, ge=64)
    notebook_default_cpus: float = Field(default=1.0, ge=MIN_CPUS)
    notebook_default_memory_mb: int = Field(default=1024, ge=64)
    notebook_idle_timeout_minutes: float = Field(default=60, ge=0)
    # How often the worker asks running notebooks whether they are idle.
    notebook_idle_check_seconds: float = Field(default=60, gt=0)
    notebook_pids_limit: int = Field(default=512, ge=16)
    # Notebooks are served on origins of their own, `{key}.{notebook_domain}` with the scheme
    # and port of public_url (app/core/notebook_origin.py). Browsers resolve names under
    # `localhost` to loopback themselves, so a first run needs no DNS; a server needs
    # wildcard DNS and a wildcard certificate for it (README).
    notebook_domain: str = Field(
        default="nb.localhost",
        pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
    )
    # `shared`: every notebook under the one host `notebook_domain`, at `/{key}/`, for those
    # without wildcard DNS. Still apart from the dashboard, but not from each other.
    notebook_hosts: Literal["per-notebook", "shared"] = "per-notebook"
    # Whether notebooks reach the internet (`pip install` is normal work). Off, a
    # notebook's network is `internal`: no route out, and no published port.
    notebook_egress: bool = True
    # Networks the worker keeps made ahead, each for a notebook yet to be created: making
    # a bridge is a good part of a first start (worker/spares.py). Each holds one of
    # Docker's address ranges; 0 makes every network on the notebook's first start.
    notebook_spare_networks: int = Field(default=2, ge=0, le=16)
    # What runs notebooks: one Docker engine, or Docker Swarm services over many machines
    # (docker_url is then a manager's engine; README, "Docker Swarm").
    runtime: Literal["docker", "swarm"] = "docker"
    # Swarm: the nodes a notebook may first start on (placement constraints); afterwards it
    # stays on the node that holds its volume, unless swarm_volume_driver is set.
    swarm_placement: list[str] = ["node.labels.workspace.notebooks == true"]
    # Swarm: the share of a notebook's CPU limit reserved on its node (memory is reserved
    # in full: an overcommitted node kills someone).
    swarm_cpu_reservation: float = Field(default=0.25, ge=0, le=1)
    # Swarm: a volume driver installed on every notebook node that serves the same volume
    # to all of them (unset: the engine's local volumes, a notebook pinned to its node).
    swarm_volume_driver: str | None = None
    # Swarm: where each notebook's overlay takes its /24 (chosen by WorkSpace, so that the
    # api's and the worker's addresses on it are never a task's: worker/runtime/swarm_spec).
    swarm_subnets: IPv4Network = IPv4Network("10.128.0.0/12")

    # Per-user quotas (0: no limit): notebooks, and CPUs and memory of running notebooks.
    quota_notebooks: int = Field(default=0, ge=0)
    quota_running_cpus: float = Field(default=0, ge=0)
    quota_running_memory_mb: int = Field(default=0, ge=0)

    # `host:port` where the worker serves /metrics without credentials (for a scraper on a
    # private network); unset: /metrics is only on the api, for an admin's token.
    metrics_address: str | None = Field(default=None, pattern=r"^[^:\s]*:[0-9]{1,5}$")
    log_format: Literal["text", "json"] = "text"

    blog_title: str = Field(default="WorkSpace", min_length=1, max_length=100)
    # Posts per page of /blog and its tag and author pages; entries per feed.
    blog_page_size: int = Field(default=10, ge=1, le=100)
    blog_feed_size: int = Field(default=20, ge=1, le=1000)
    blog_image_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    blog_notebook_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    # Revisions kept per post, the newest (the current text's) always among them.
    blog_revisions_kept: int = Field(default=100, ge=1, le=100_000)
    # How often the worker publishes scheduled posts that are due (a divisor of 60).
    blog_publish_check_seconds: int = Field(default=15, ge=1, le=60)

    @property
    def sqlalchemy_url(self) -> str:
        """DATABASE_URL, or the embedded SQLite file under the data directory."""
        return (
            self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'workspace.db'}"
        )

    @field_validator("swarm_volume_driver")
    @classmethod
    def _no_driver_when_empty(cls, value: str | None) -> str | None:
        return value or None  # compose passes an unset one as ""

    @field_validator("swarm_subnets")
    @classmethod
    def _room_for_a_network(cls, value: IPv4Network) -> IPv4Network:
        if value.prefixlen > SWARM_SUBNET_PREFIX:
            raise ValueError(f"must hold at least one /{SWARM_SUBNET_PREFIX}")
        return value

    @model_validator(mode="after")
    def _refuse_insecure_defaults(self) -> Settings:
        if self.environment != "development" and self.secret_key.get_secret_value() in (
            _DEV_SECRET,
            "",
        ):
            raise ValueError(
                "WORKSPACE_SECRET_KEY must be set to a random value outside development "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        if not notebook_origin.dashboard_is_apart(self):
            raise ValueError(
                "WORKSPACE_NOTEBOOK_DOMAIN must not be the public URL's host or a parent of it:"
                " a notebook could then set cookies for the dashboard"
            )
        for name, size in (
            ("WORKSPACE_BLOG_IMAGE_MAX_BYTES", self.blog_image_max_bytes),
            ("WORKSPACE_BLOG_NOTEBOOK_MAX_BYTES", self.blog_notebook_max_bytes),
        ):
            if self.max_upload_body_bytes <= size:
                raise ValueError(f"WORKSPACE_MAX_UPLOAD_BODY_BYTES must exceed {name}")
        if self.admin_username and not self.admin_password:
            raise ValueError("WORKSPACE_ADMIN_PASSWORD is required with WORKSPACE_ADMIN_USERNAME")
        if 60 % self.blog_publish_check_seconds:
            raise ValueError("WORKSPACE_BLOG_PUBLISH_CHECK_SECONDS must divide 60")
        if self.notebook_default_cpus > self.notebook_max_cpus:
            raise ValueError("WORKSPACE_NOTEBOOK_DEFAULT_CPUS exceeds WORKSPACE_NOTEBOOK_MAX_CPUS")
        if self.notebook_default_memory_mb > self.notebook_max_memory_mb:
            raise ValueError(
                "WORKSPACE_NOTEBOOK_DEFAULT_MEMORY_MB exceeds WORKSPACE_NOTEBOOK_MAX_MEMORY_MB"
            )
        return self

    @property
    def image_build_file(self) -> Path:
        """Where scripts/build-images.sh writes its progress (WORKSPACE_BUILD_STATUS_FILE)."""
        return self.data_dir / "image-build.json"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
