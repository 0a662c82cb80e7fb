"""Old Word files (.doc, .rtf): converted to .docx by LibreOffice, then read as .docx.

Nothing maintained in Python reads .doc (Word 97-2003 binary) faithfully;
LibreOffice does (``soffice --headless --convert-to docx``). It is optional and
big, so without it these files are refused with the steps to convert them by
hand. Conversion runs in a temporary folder with its own LibreOffice profile
(concurrent conversions would otherwise fight over one), bounded in time.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from indexer.readers.base import Extracted, ReadContext
from indexer.readers.docx import read_docx
from indexer.readers.errors import LoadError
from indexer.readers.sniff import sniff

#: Seconds a conversion may take before the file is refused.
CONVERT_TIMEOUT = 120
_KINDS = {"ole": ("doc", "Word 97-2003 .doc"), "rtf": ("rtf", "RTF")}


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_old_word(data: bytes, context: ReadContext | None = None) -> Extracted:
    found = sniff(data)
    if found is None or found[0] not in _KINDS:
        raise LoadError("unsupported_type", f"not a Word 97-2003 or RTF file ({found[0] if found else 'unknown'})")
    suffix, label = _KINDS[found[0]]
    exe = soffice()
    if exe is None:
        raise LoadError("needs_conversion", "soffice not found", actual=suffix, actual_vi=label)
    return read_docx(convert_to_docx(exe, data, suffix), context)


def convert_to_docx(exe: str, data: bytes, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="hoidap-soffice-") as tmp:
        folder = Path(tmp)
        src = folder / f"input.{suffix}"
        src.write_bytes(data)
        profile = (folder / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "docx",
               "--outdir", str(folder / "out"), str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise LoadError("conversion_failed", f"{type(exc).__name__}: {exc}") from None
        out = folder / "out" / "input.docx"
        if not out.is_file():
            raise LoadError("conversion_failed", "LibreOffice wrote no .docx")
        return out.read_bytes()
