"""NIR-shaped text out of the logs: a NIR never appears in a log, even when a client puts one in a URL.

Applied by the log formatter to every line (message, path, traceback), so each place that logs a
path or a URL (access log, proxy warnings, uvicorn's lines, error logs) is covered once.
"""
from __future__ import annotations

import re

NIR_MARK = "[nir]"
# Between groups a NIR is often written with a space, encoded in a URL as %20 or +; a dot or a dash
# also occurs in pasted values.
_SEP = r"(?:\s|%20|\+|\.|-)?"
# Sex (1, 2, or 3/4/7/8 for provisional numbers), year, month, département (2A/2B in Corsica),
# commune, order number, then the 2-digit key: 13 characters and the key, with optional separators.
# Bounded by non-digits only: `nir185…` in a URL is redacted too, at the cost of a rare hex id.
_NIR = re.compile(
    rf"(?<!\d)[1-478]{_SEP}\d\d{_SEP}\d\d{_SEP}(?:\d\d|2[ABab]){_SEP}\d{{3}}{_SEP}\d{{3}}{_SEP}\d\d"
    r"(?!\d)")


def redact_nir(text: str) -> str:
    """`text` with every NIR-shaped run of characters replaced by `[nir]`."""
    return _NIR.sub(NIR_MARK, text)
