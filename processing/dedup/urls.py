"""URL dedup: the same page crawled twice (http/https, www., tracking parameters, fragments) is one document."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import datasets
import pyarrow as pa

from ..base import Batch

# Query parameters that track the visitor rather than select the content.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = {"fbclid", "gclid", "mc_cid", "mc_eid", "sessionid", "sid", "phpsessid"}


def normalise_url(url: str | None) -> str | None:
    """Host (lowercase, no `www.`, no default port) + path (no trailing slash) + sorted content parameters.

    Scheme and fragment are dropped; None for an empty or unparsable URL, which then matches nothing."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not (k.lower().startswith(_TRACKING_PREFIXES) or k.lower() in _TRACKING_NAMES))
    path = parts.path.rstrip("/") or "/"
    return host + path + ("?" + urlencode(query) if query else "")


def _keys(batch: Batch, sources: set[str] | None) -> Batch:
    return {"url_key": [normalise_url(u) if sources is None or s in sources else None
                        for u, s in zip(batch["url"], batch["source"])]}


def keys(ds: datasets.Dataset, num_proc: int | None = None, sources: list[str] | None = None) -> pa.Array:
    """Normalised URL per document of `sources` (default: all); null without a URL or from another source.

    Only web sources should take part: other loaders may record one provenance URL for a whole book or manual."""
    if "url" not in ds.column_names:
        return pa.nulls(len(ds), pa.string())
    out = ds.select_columns(["url", "source"]).map(
        _keys, batched=True, num_proc=num_proc, remove_columns=["url", "source"], desc="url dedup: normalising",
        fn_kwargs={"sources": None if sources is None else set(sources)})
    return out.data.table.column("url_key").combine_chunks()
