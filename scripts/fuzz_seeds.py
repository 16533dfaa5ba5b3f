#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from the IdP fixtures.

Seeds are the real requests Entra ID and Okta send (tests/fixtures), so the
fuzzers start from the shapes that matter and mutate outwards. Re-run after
adding fixtures: `python3 scripts/fuzz_seeds.py`; the committed corpora in
lambdas/scim-core/fuzz/corpus/ are these seeds plus what short runs found
(minimised with `cargo fuzz cmin`).
"""

import hashlib
import json
import pathlib
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "lambdas/scim-core/tests/fixtures"
CORPUS = ROOT / "lambdas/scim-core/fuzz/corpus"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

# Filters beyond the fixtures: every supported form and a few refused ones.
EXTRA_FILTERS = [
    'userName eq "ada@example.com"',
    'userName sw "ada" and externalId eq "0b5c"',
    'emails[type eq "work"].value eq "ada@example.com"',
    'emails.value eq "ada@example.com"',
    'id eq "id-0"',
    "userName eq ada@example.com",
    'userName co "a" or userName co "b"',
    'not (userName eq "x")',
    'meta.lastModified gt "2026-01-01T00:00:00Z"',
]


def write(target: str, data: bytes) -> None:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{hashlib.sha1(data).hexdigest()[:16]}").write_bytes(data)


def main() -> None:
    filters = set(EXTRA_FILTERS)
    for path in sorted(FIXTURES.glob("*/*.json")):
        for step in json.loads(path.read_text())["steps"]:
            request = step["request"]
            target = request["path"].lstrip("/")
            query = urllib.parse.urlsplit(target).query
            for key, value in urllib.parse.parse_qsl(query):
                if key == "filter":
                    filters.add(value)
            body = request.get("body")
            body_bytes = b"" if body is None else json.dumps(body).encode()
            if request["method"] == "PATCH" and body is not None:
                write("patch", body_bytes)
            content_type = request.get("headers", {}).get("Content-Type", "")
            selector = bytes([METHODS.index(request["method"])])
            write("request", selector + f"{target}\n{content_type}\n".encode() + body_bytes)
    for text in filters:
        write("filter", text.encode())


if __name__ == "__main__":
    main()
