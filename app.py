"""Start the Hỏi đáp web app: ``python app.py [--host HOST] [--port PORT]``.

Thin on purpose: the same ``hoidap serve`` code path (settings from flags and
HOIDAP_* variables, index built from corpus/ when missing, then Gradio on
http://127.0.0.1:7860 by default). The app lives in :mod:`hoidap.web`.
"""
import os
import sys

# Before anything imports gradio: no usage statistics leave the machine.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from hoidap.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
