"""Shared by the Python checks: a boto3 Connect client for the simulator and
a tiny check/summary helper."""

import os
import sys

import boto3
from botocore.config import Config

_passed = 0


def connect_client(endpoint=None, retries=True):
    """boto3's Connect client pointed at the simulator (any credentials work)."""
    config = None if retries else Config(retries={"total_max_attempts": 1, "mode": "standard"})
    return boto3.client(
        "connect",
        endpoint_url=endpoint or os.environ["CONNECT_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="AKIDSIM",
        aws_secret_access_key="secret",
        config=config,
    )


def check(name, condition, detail=""):
    """Prints one result; stops the run at the first failure."""
    global _passed
    if not condition:
        print(f"FAIL {name} {detail}")
        sys.exit(1)
    _passed += 1
    print(f"ok   {name}")


def summary(suite):
    print(f"{suite}: {_passed} passed, 0 failed")
