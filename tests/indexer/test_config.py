"""Configuration: one table of settings, env vars override defaults, flags override env."""
from pathlib import Path

from hoidap.web.settings import WebSettings
from indexer.config import Settings, env_table

README = Path(__file__).parents[2] / "README.md"


def test_env_overrides_default_and_flags_override_env():
    env = {"HOIDAP_TOP_K": "7", "HOIDAP_MAX_SESSIONS": "50", "HOIDAP_QUERY_ENCODER": "model"}
    s, web = Settings.from_env(env, top_k=3), WebSettings.from_env(env, port=8000)
    assert (s.top_k, web.max_sessions, s.query_encoder, web.port) == (3, 50, "model", 8000)
    assert Settings.from_env({}).query_encoder == "auto"


def test_readme_documents_every_setting():
    readme = README.read_text(encoding="utf-8")
    rows = env_table(Settings) + env_table(WebSettings)
    missing = [var for var, _, _ in rows if f"`{var}`" not in readme]
    assert not missing, f"README configuration table lacks {missing}"
