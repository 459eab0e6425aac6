"""Schemathesis hooks for ApiContractIT: how to send an NDJSON item import, which Schemathesis has no serializer for."""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson", "application/jsonl")
def ndjson(ctx, value):
    # The document describes the body as bytes (format: binary); anything else is sent as JSON lines.
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode("utf-8")
