"""sambandh: reads Hindi and English news and extracts PLOVER events, agreements and commitments.

    >>> import sambandh
    >>> record = sambandh.extract_text("India and Russia signed a trade agreement.", published="2025-01-01")
    >>> [e["event"] for e in record["events"]]
    ['SUPPORT']
"""

from __future__ import annotations

__version__ = "0.1.0"
EXTRACTOR_VERSION = f"sambandh-{__version__}"

__all__ = ["EXTRACTOR_VERSION", "Pipeline", "__version__", "extract_records", "extract_text", "load_pipeline"]


def __getattr__(name: str):  # lazy: keep `import sambandh` cheap for the CLI
    if name in ("Pipeline", "extract_text", "extract_records", "load_pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
