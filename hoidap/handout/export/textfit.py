"""How much room text takes on a slide: wrap and measure with real font metrics (Pillow).

PowerPoint does not reflow a python-pptx text box when it is written (auto-fit
only happens when the file is opened and edited), so a long bullet silently runs
off the slide. The slides are laid out with the metrics of the font they use:
Arial, measured with Liberation Sans, which is metric-compatible with it (same
advance widths by design) and ships with LibreOffice and most Linux systems.
When neither is installed, widths are estimated at 0.62 em per character, wider
than Arial's Vietnamese text average (~0.5 em), so the estimate errs toward
splitting a slide rather than overflowing it.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_NAME = "Arial"
LINE_SPACING = 1.2  # PowerPoint's single line spacing is ~1.2 em for Arial
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"), "C:/Windows/Fonts",
              "/Library/Fonts", "/System/Library/Fonts")
_FILES = {
    False: ("LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"),
    True: ("LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"),
}
_FALLBACK_EM = 0.62


@lru_cache(maxsize=4)
def font_file(bold: bool = False) -> str | None:
    """Path of Arial or Liberation Sans (regular or bold), or None."""
    wanted = set(_FILES[bold])
    for root in _FONT_DIRS:
        if not os.path.isdir(root):
            continue
        for folder, _, files in os.walk(root):
            for name in files:
                if name in wanted:
                    return os.path.join(folder, name)
    return None


@lru_cache(maxsize=64)
def _font(size_pt: float, bold: bool) -> Any:
    from PIL import ImageFont

    path = font_file(bold)
    # Measure at 10x the point size for sub-point precision, then scale back.
    return ImageFont.truetype(path, int(round(size_pt * 10))) if path else None


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in points."""
    font = _font(size_pt, bold)
    if font is None:
        return len(text) * size_pt * _FALLBACK_EM
    return font.getlength(text) / 10.0


def wrap(text: str, width_pt: float, size_pt: float, bold: bool = False) -> list[str]:
    """Lines ``text`` takes in a box ``width_pt`` wide (greedy at spaces, as PowerPoint wraps)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if not line or text_width_pt(trial, size_pt, bold) <= width_pt:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def height_pt(text: str, width_pt: float, size_pt: float, bold: bool = False) -> float:
    """Height the wrapped text takes, at single line spacing."""
    return len(wrap(text, width_pt, size_pt, bold)) * size_pt * LINE_SPACING


def overflows(shape: Any) -> bool:
    """Whether a python-pptx shape's text needs more room than the shape has (insets included)."""
    from pptx.util import Emu

    if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
        return False
    tf = shape.text_frame
    width = Emu(shape.width - tf.margin_left - tf.margin_right).pt
    height = Emu(shape.height - tf.margin_top - tf.margin_bottom).pt
    used = 0.0
    for p in tf.paragraphs:
        runs = p.runs
        size = max((r.font.size.pt for r in runs if r.font.size is not None), default=18.0)
        bold = any(r.font.bold for r in runs)
        text = "".join(r.text for r in runs)
        used += height_pt(text, width, size, bold)
        if p.space_after is not None:
            used += p.space_after.pt
        if p.space_before is not None:
            used += p.space_before.pt
        if any(text_width_pt(w, size, bold) > width for w in text.split()):
            return True  # one word wider than the box cannot wrap
    return used > height + 0.5

