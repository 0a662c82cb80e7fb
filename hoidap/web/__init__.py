"""The Gradio web app: chat, search, trainer handouts, documents (Vietnamese UI).

A thin layer over :class:`hoidap.engine.Engine` (the same object the CLI uses).
One module per responsibility:

* :mod:`~hoidap.web.settings` – host, port, admin password… (no gradio import);
* :mod:`~hoidap.web.layout` – theme, CSS and the page's ``<head>``;
* :mod:`~hoidap.web.render` – HTML of answers, hits, documents, notices (pure);
* :mod:`~hoidap.web.feedback` – thumbs up/down log;
* :mod:`~hoidap.web.context` – what every tab shares (engine, limiter, choices, errors);
* :mod:`~hoidap.web.chat`, :mod:`~hoidap.web.search`, :mod:`~hoidap.web.trainer`,
  :mod:`~hoidap.web.documents`, :mod:`~hoidap.web.admin` – one tab's handlers each;
* :mod:`~hoidap.web.api` – the named JSON endpoints ``/ask`` and ``/search``;
* :mod:`~hoidap.web.blocks` – components and event wiring (``build_app``);
* :mod:`~hoidap.web.serve` – index if needed, warm up, launch.

Privacy: nothing leaves the machine. Gradio analytics are switched off here,
before any submodule imports gradio; no share link is created, and the theme uses
system fonts (a Google font would make every browser fetch it from Google).
"""
from __future__ import annotations

import os

# Must happen before gradio is imported anywhere in the process.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")
# Gradio rebuilds a pandas DataFrame of its last 10,000 events after every event, for a
# monitoring page this app never enables: under 32 clients that took a third of the
# server's CPU by the 6,000th call (throughput halved) and grew its memory for 10,000
# calls. Keep 1,000 events and summarise them once per 1,000.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
