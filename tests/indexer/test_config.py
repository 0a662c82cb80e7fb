"""Configuration: one table of settings, env vars override defaults, flags override env."""
from pathlib import Path

from indexer.config import Settings, env_table

README = Path(__file__).parents[2] / "README.md"


def test_env_overrides_default_and_flags_override_env():
    env = {"HOIDAP_TOP_K": "7", "HOIDAP_MAX_SESSIONS": "50", "HOIDAP_QUERY_ENCODER": "model"}
    s = Settings.from_env(env, top_k=3)
    assert (s.top_k, s.max_sessions, s.query_encoder) == (3, 50, "model")
    assert Settings.from_env({}).query_encoder == "auto"


def test_readme_documents_every_setting():
    readme = README.read_text(encoding="utf-8")
    missing = [var for var, _, _ in env_table() if f"`{var}`" not in readme]
    assert not missing, f"README configuration table lacks {missing}"
