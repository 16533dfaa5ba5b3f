"""Shared by the Python checks: a boto3 Connect client for the simulator and
a tiny check/summary helper."""

import json
import os
import sys
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

_passed = 0
_failed = 0


def connect_client(endpoint=None, retries=True, validate=True):
    """boto3's Connect client pointed at the simulator (any credentials work).
    `validate=False` turns botocore's client-side parameter validation off, so
    invalid values reach the wire."""
    config = Config(
        parameter_validation=validate,
        retries=None if retries else {"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client(
        "connect",
        endpoint_url=endpoint or os.environ["CONNECT_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="AKIDSIM",
        aws_secret_access_key="secret",
        config=config,
    )


def wait_searchable(connect, instance, username, seconds=10.0):
    """Waits until SearchUsers finds `username`: Connect's search index
    trails writes (the simulator's CONNECT_SIM_SEARCH_LAG_MS), so a step that
    searches right after a console create polls instead of guessing a sleep."""
    query = {"StringCondition": {"FieldName": "username", "Value": username, "ComparisonType": "EXACT"}}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if connect.search_users(InstanceId=instance, SearchCriteria=query)["Users"]:
            return
        time.sleep(0.1)
    check(f"{username} reaches the search index within {seconds:g} s", False)


def scim(method, path, body=None):
    """One SCIM request to `make local` (SCIM_URL, SCIM_TOKEN): status,
    lower-cased headers and the JSON body (None when empty)."""
    request = urllib.request.Request(
        os.environ["SCIM_URL"] + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {os.environ['SCIM_TOKEN']}", "Content-Type": "application/scim+json"},
    )
    try:
        with urllib.request.urlopen(request) as r:
            raw = r.read()
            return r.status, {k.lower(): v for k, v in r.headers.items()}, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, {k.lower(): v for k, v in e.headers.items()}, json.loads(raw) if raw else None


def check(name, condition, detail="", stop=True):
    """Prints one result; stops the run at the first failure unless `stop`
    is false, in which case the failure is counted for `summary`."""
    global _passed, _failed
    if not condition:
        print(f"FAIL {name} {detail}")
        if stop:
            sys.exit(1)
        _failed += 1
        return False
    _passed += 1
    print(f"ok   {name}")
    return True


def summary(suite):
    """Prints the totals; exits 1 when a counted failure happened."""
    print(f"{suite}: {_passed} passed, {_failed} failed")
    if _failed:
        sys.exit(1)
