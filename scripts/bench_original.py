#!/usr/bin/env python3
"""Benchmark the ORIGINAL Python SCIM solution against our Connect simulator.

The solution this project replaces is aws-samples/amazon-connect-scim-user-management.
This driver measures its Entra ID (Azure) user-management Lambda, the CDK
variant `cdk_source/lambdas/user_management/azure.py`, from a scratch copy of
that repository (`--src`). None of its code lives in this repository: the
module is imported from the scratch directory at run time.

Method
------
* Starts `connect-sim` (our Amazon Connect simulator, real Connect REST
  protocol, zero added latency, `CONNECT_SIM_RATE=0` so nothing is throttled)
  on a free loopback port, and points the original module's boto3 client at it
  through `AWS_ENDPOINT_URL_CONNECT` (set, like the rest of the Lambda's
  environment, before the import; the driver checks boto3 honoured it and
  otherwise replaces the module's `CONNECT_CLIENT`).
* Calls the module's `lambda_handler` in-process with API Gateway REST proxy
  events shaped like the original's API (one greedy `/{Users+}` resource,
  Entra base URL `.../dev/scim`, so `pathParameters.Users` is `scim/Users/...`)
  and the bodies Entra ID sends. An exception out of the handler is recorded as
  HTTP 502, which is what API Gateway answers for a failed proxy integration.
* For each instance size (cumulative) the instance is seeded straight through
  boto3 CreateUser (not measured), then each SCIM operation is invoked once and
  the Connect calls it made are the delta of the simulator's `/_sim/stats`.
  The instance holds exactly N users during every measured call: the create /
  deactivate pair deletes and re-seeds a filler user around itself.
* Latency: p50/p99 of repeated in-process invocations (time.perf_counter) at
  100 users and at the largest size; iteration counts shrink for slow calls.
* Start-up: a fresh interpreter imports the module and answers one GET; the
  time from just before the parent spawns it to that answer, median of 5.
  Peak RSS of such a process after ~200 mixed invocations.
* Asset size: the Lambda deployment zip (ZIP_DEFLATED, level 9).

Usage (from the repository root):

    .venv/bin/python scripts/bench_original.py --src /tmp/original-src \\
        --sim-bin target/release/connect-sim --out target/bench/original.json \\
        [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import importlib.util
import io
import json
import logging
import os
import pathlib
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass

INSTANCE_ID = "00000000-0000-4000-8000-00000000c0de"
MODULE_PATH = "cdk_source/lambdas/user_management/azure.py"
MIRROR = "/work/.mirror/aws-samples+amazon-connect-scim-user-management/repo"
ROUTING_PROFILE = "Basic Routing Profile"

CORE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

# Every measured operation, in report order (see OP_NOTES and op_events; create/deactivate run as a pair).
ALL_OPS = ("lookup", "page", "create", "get", "get_late", "patch", "patch_department", "group", "deactivate")

# How each operation is sent (copied into the result's notes).
OP_NOTES = {
    "create": "POST scim/Users, Entra body (schemas, externalId, userName, active, displayName, emails, "
    "name.givenName/familyName, enterprise department='Agent'); fresh user",
    "lookup": 'GET scim/Users, queryStringParameters {filter: userName eq "<first user in ListUsers order>"}',
    "page": "GET scim/Users, queryStringParameters {startIndex: 1, count: 100}",
    "get": "GET scim/Users/<connectId>%3F<externalId> for the FIRST user in ListUsers order (first page)",
    "get_late": "GET scim/Users/<connectId>%3F<externalId> for the LAST user in ListUsers order (last page)",
    "patch": "PATCH scim/Users/<id>%3F<ext>, PatchOp [{op: Replace, path: name.givenName, value: 'Patched'}] on the first user",
    "patch_department": "PATCH scim/Users/<id>%3F<ext>, PatchOp [{op: Replace, path: department, value: 'Agent'}] "
    "(extra: the one attribute the original's PATCH update branch implements)",
    "deactivate": "PATCH scim/Users/<id>%3F<ext>, PatchOp [{op: Replace, path: active, value: 'False'}] on the "
    "user just created by `create`",
    "group": "PATCH scim/Groups/bench-group, PatchOp [{op: Add, path: members, value: [{value: '<connectId>?<ext>'}]}]",
}


# --------------------------------------------------------------------------
# Simulator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_simulator(binary: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "CONNECT_SIM_PORT": str(port),
        "CONNECT_SIM_RATE": "0",
        "CONNECT_INSTANCE_ID": INSTANCE_ID,
    }
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{binary} exited with {proc.returncode}")
        try:
            sim_stats(f"http://127.0.0.1:{port}")
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{binary} did not answer on port {port}")


def sim_stats(endpoint: str) -> dict[str, int]:
    with urllib.request.urlopen(endpoint + "/_sim/stats", timeout=10) as r:
        ops = json.loads(r.read())["operations"]
    return {name: entry["calls"] for name, entry in ops.items()}


def list_users_page_ms(endpoint: str, samples: int = 21) -> float:
    """Median wall time of one raw (unsigned, no boto3) ListUsers page from the simulator."""
    url = f"{endpoint}/users-summary/{INSTANCE_ID}?maxResults=100"
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as r:
            r.read()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 3)


def stats_delta(before: dict[str, int], after: dict[str, int]) -> dict:
    """Connect calls between two stats snapshots, in total and per operation."""
    by_op = {k: after[k] - before.get(k, 0) for k in sorted(after) if after[k] != before.get(k, 0)}
    return {"total": sum(by_op.values()), "by_operation": by_op}


# --------------------------------------------------------------------------
# The original Lambda


def lambda_env(endpoint: str) -> dict[str, str]:
    """The environment the original's CDK stack gives its Lambda, plus AWS plumbing."""
    return {
        "AWS_ENDPOINT_URL_CONNECT": endpoint,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDBENCHMARK",
        "AWS_SECRET_ACCESS_KEY": "benchmark-secret",
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "INSTANCE_ID": INSTANCE_ID,
        "DEFAULT_ROUTING_PROFILE": ROUTING_PROFILE,
    }


def load_original(module_file: pathlib.Path, endpoint: str):
    """Imports the original module with its environment set; returns it and how its endpoint was set."""
    os.environ.pop("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", None)
    os.environ.update(lambda_env(endpoint))
    spec = importlib.util.spec_from_file_location("original_user_management", module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    logging.getLogger().setLevel(logging.WARNING)  # the module sets the root logger to INFO
    if module.CONNECT_CLIENT.meta.endpoint_url.rstrip("/") == endpoint:
        how = "AWS_ENDPOINT_URL_CONNECT honoured by boto3 (module's CONNECT_CLIENT.meta.endpoint_url checked)"
    else:
        import boto3

        module.CONNECT_CLIENT = boto3.client("connect", endpoint_url=endpoint)
        how = "AWS_ENDPOINT_URL_CONNECT NOT honoured; module's CONNECT_CLIENT replaced with endpoint_url client"
    return module, how


def apigw_event(method: str, proxy: str, query: dict | None = None, body: dict | None = None) -> dict:
    """An API Gateway REST (v1) proxy event for the original's `/{Users+}` resource, stage `dev`."""
    return {
        "resource": "/{Users+}",
        "path": "/" + proxy,
        "httpMethod": method,
        "headers": {
            "Authorization": "Bearer benchmark",
            "Content-Type": "application/scim+json; charset=utf-8",
            "User-Agent": "Azure AD SCIM Provisioning Service",
        },
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": {"Users": proxy},
        "stageVariables": None,
        "requestContext": {"resourcePath": "/{Users+}", "httpMethod": method, "stage": "dev", "path": "/dev/" + proxy},
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


def entra_user(username: str, external_id: str) -> dict:
    """The POST /Users body Entra ID sends (department carries the security profile name)."""
    return {
        "schemas": [CORE_SCHEMA, ENTERPRISE_SCHEMA],
        "externalId": external_id,
        "userName": username,
        "active": True,
        "displayName": "Bench User",
        "emails": [{"primary": True, "type": "work", "value": username}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Bench User", "familyName": "User", "givenName": "Bench"},
        ENTERPRISE_SCHEMA: {"department": "Agent"},
    }


def patch_body(path: str, value, op: str = "Replace") -> dict:
    return {"schemas": [PATCH_SCHEMA], "Operations": [{"op": op, "path": path, "value": value}]}


@dataclass(frozen=True)
class Target:
    """A Connect user as the original names it in SCIM: `<connectId>?<externalId>`."""

    user_id: str
    username: str

    @property
    def external_id(self) -> str:
        return "ext-" + self.username.split("@")[0]

    @property
    def scim_id(self) -> str:
        return f"{self.user_id}?{self.external_id}"

    @property
    def path(self) -> str:
        # Entra URL-encodes the '?'; API Gateway passes the path parameter undecoded and the
        # original splits on the literal "%3F".
        return f"scim/Users/{self.user_id}%3F{self.external_id}"


def op_events(first: Target, last: Target) -> dict[str, dict]:
    """The single-request operations, against the first and last user in ListUsers order."""
    return {
        "lookup": apigw_event("GET", "scim/Users", query={"filter": f'userName eq "{first.username}"'}),
        "page": apigw_event("GET", "scim/Users", query={"startIndex": "1", "count": "100"}),
        "get": apigw_event("GET", first.path),
        "get_late": apigw_event("GET", last.path),
        "patch": apigw_event("PATCH", first.path, body=patch_body("name.givenName", "Patched")),
        "patch_department": apigw_event("PATCH", first.path, body=patch_body("department", "Agent")),
        "group": apigw_event(
            "PATCH", "scim/Groups/bench-group", body=patch_body("members", [{"value": first.scim_id}], op="Add")
        ),
    }


def create_event(tag: str) -> dict:
    username = f"bench.{tag}@example.com"
    return apigw_event("POST", "scim/Users", body=entra_user(username, "ext-bench." + tag))


def deactivate_event(user: Target) -> dict:
    return apigw_event("PATCH", user.path, body=patch_body("active", "False"))


class LambdaContext:
    function_name = "connect-scim-user-management"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:connect-scim-user-management"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


@dataclass
class Outcome:
    status: int
    seconds: float
    error: str | None = None
    body: str | None = None

    def record(self) -> dict:
        out = {"status": self.status, "error": self.error}
        if self.body:
            try:
                total = json.loads(self.body).get("totalResults")
            except (ValueError, AttributeError):
                total = None
            if total is not None:
                out["totalResults"] = total
            out["response"] = self.body[:240]
        return out


def invoke(handler, event: dict) -> Outcome:
    """One handler call; exceptions and malformed answers become API Gateway's 502."""
    start = time.perf_counter()
    try:
        answer = handler(event, LambdaContext())
    except Exception as e:  # noqa: BLE001 - every failure is a measurement
        return Outcome(502, time.perf_counter() - start, f"handler raised {type(e).__name__}: {e}"[:300])
    seconds = time.perf_counter() - start
    if not isinstance(answer, dict) or "statusCode" not in answer:
        return Outcome(502, seconds, f"handler returned {answer!r:.80} (malformed Lambda proxy response)")
    return Outcome(int(answer["statusCode"]), seconds, None, answer.get("body"))


def created_target(outcome: Outcome, username: str) -> Target | None:
    """The Connect user a successful `create` made (the original answers id `<connectId>?<externalId>`)."""
    try:
        return Target(json.loads(outcome.body)["id"].split("?")[0], username)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


# --------------------------------------------------------------------------
# Seeding the instance directly (never measured)


class Directory:
    """Direct boto3 access to the simulator for seeding and bookkeeping."""

    def __init__(self, endpoint: str):
        import boto3
        from botocore.config import Config

        self.client = boto3.client(
            "connect",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="AKIDSEED",
            aws_secret_access_key="seed",
            config=Config(max_pool_connections=16),
        )
        profiles = self.client.list_security_profiles(InstanceId=INSTANCE_ID)["SecurityProfileSummaryList"]
        self.agent_profile = next(p["Id"] for p in profiles if p["Name"] == "Agent")
        routing = self.client.list_routing_profiles(InstanceId=INSTANCE_ID)["RoutingProfileSummaryList"]
        self.routing_profile = next(r["Id"] for r in routing if r["Name"] == ROUTING_PROFILE)
        self.serial = 0

    def seed_one(self, serial: int) -> Target:
        username = f"seed.user{serial:05d}@example.com"
        out = self.client.create_user(
            InstanceId=INSTANCE_ID,
            Username=username,
            IdentityInfo={"FirstName": "Seed", "LastName": f"User{serial:05d}"},
            PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 30},
            SecurityProfileIds=[self.agent_profile],
            RoutingProfileId=self.routing_profile,
        )
        return Target(out["UserId"], username)

    def seed(self, count: int) -> list[Target]:
        serials = range(self.serial + 1, self.serial + count + 1)
        self.serial += count
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            return list(pool.map(self.seed_one, serials))

    def delete(self, user_id: str) -> None:
        self.client.delete_user(InstanceId=INSTANCE_ID, UserId=user_id)

    def scan(self) -> list[Target]:
        """All users, in ListUsers order (the order the original walks)."""
        pages = self.client.get_paginator("list_users").paginate(InstanceId=INSTANCE_ID)
        return [Target(u["Id"], u["Username"]) for page in pages for u in page["UserSummaryList"]]

    def resize(self, size: int) -> list[Target]:
        users = self.scan()
        if len(users) > size:
            raise RuntimeError(f"instance has {len(users)} users, more than {size}")
        if len(users) < size:
            self.seed(size - len(users))
            users = self.scan()
        return users


# --------------------------------------------------------------------------
# Measurements


def measure_calls(handler, directory: Directory, endpoint: str, size: int) -> tuple[dict, dict]:
    """Connect calls and HTTP status of one invocation of each operation at `size` users."""
    users = directory.resize(size)
    first, last = users[0], users[-1]
    calls, status = {}, {}

    def measured(name: str, event: dict) -> Outcome:
        before = sim_stats(endpoint)
        outcome = invoke(handler, event)
        calls[name] = stats_delta(before, sim_stats(endpoint))
        status[name] = outcome.record()
        return outcome

    for name, event in op_events(first, last).items():
        measured(name, event)

    # create (N -> N+1), drop a filler (N), deactivate the new user (N-1), top up (N).
    tag = f"create.{size}"
    outcome = measured("create", create_event(tag))
    fresh = created_target(outcome, f"bench.{tag}@example.com")
    if fresh is None:  # create failed: deactivate a directly created user instead
        fresh = directory.seed(1)[0]
        status["create"]["note"] = "create failed; deactivate measured on a directly seeded user"
    directory.delete(last.user_id)
    measured("deactivate", deactivate_event(fresh))
    directory.resize(size)
    return ({op: calls[op] for op in ALL_OPS}, {op: status[op] for op in ALL_OPS})


def choose_iterations(single: float, budget: float) -> int:
    """200 for fast calls, 20 for calls over 100 ms, and never much over `budget` seconds."""
    iterations = 200 if single <= 0.1 else 20
    return max(5, min(iterations, int(budget / max(single, 1e-9))))


def percentiles(samples: list[float], iterations: int) -> dict:
    ms = sorted(s * 1000 for s in samples)
    p99 = statistics.quantiles(ms, n=100, method="inclusive")[98] if len(ms) > 1 else ms[0]
    return {"p50": round(statistics.median(ms), 3), "p99": round(p99, 3), "n": iterations}


def measure_latency(handler, directory: Directory, size: int, budget: float) -> dict:
    """p50/p99 of repeated in-process invocations of each operation at `size` users."""
    users = directory.resize(size)
    first, last = users[0], users[-1]
    result = {}
    for name, event in op_events(first, last).items():
        single = invoke(handler, event)  # warm-up, and the basis for the iteration count
        n = choose_iterations(single.seconds, budget)
        outcomes = [invoke(handler, event) for _ in range(n)]
        result[name] = percentiles([o.seconds for o in outcomes], n)
        failed = sum(o.status >= 400 for o in outcomes)
        if failed:
            result[name]["failed"] = failed

    # create / deactivate pairs, keeping the instance at `size` users during each deactivate.
    fillers = collections.deque(u.user_id for u in users[1:])
    create_s, deactivate_s, failures = [], [], collections.Counter()

    def lifecycle(i: int) -> None:
        tag = f"lat.{size}.{i}"
        created = invoke(handler, create_event(tag))
        create_s.append(created.seconds)
        failures["create"] += created.status >= 400
        fresh = created_target(created, f"bench.{tag}@example.com") or directory.seed(1)[0]
        directory.delete(fillers.pop())
        deactivated = invoke(handler, deactivate_event(fresh))
        deactivate_s.append(deactivated.seconds)
        failures["deactivate"] += deactivated.status >= 400
        fillers.appendleft(directory.seed(1)[0].user_id)

    lifecycle(0)  # warm-up
    n = choose_iterations(max(create_s[0], deactivate_s[0]), budget)
    create_s.clear(), deactivate_s.clear(), failures.clear()
    for i in range(1, n + 1):
        lifecycle(i)
    result["create"] = percentiles(create_s, n)
    result["deactivate"] = percentiles(deactivate_s, n)
    for name, count in failures.items():
        if count:
            result[name]["failed"] = count
    directory.resize(size)
    return {op: result[op] for op in ALL_OPS}


# A fresh interpreter: import the module (environment already set), answer one GET, report.
CHILD_SOURCE = r"""
import importlib.util, json, logging, os, sys, time
cfg = json.loads(os.environ["BENCH_CHILD"])
spec = importlib.util.spec_from_file_location("original_user_management", cfg["module"])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
logging.getLogger().setLevel(logging.WARNING)
if cfg["patch_endpoint"]:
    import boto3
    module.CONNECT_CLIENT = boto3.client("connect", endpoint_url=cfg["endpoint"])
answer = module.lambda_handler(cfg["events"]["get"], None)
out = {"start_ms": (time.time() - float(os.environ["BENCH_T0"])) * 1000, "status": answer["statusCode"]}
if sys.argv[1] == "rss":
    mixed = ["get", "lookup", "page", "group", "patch", "patch_department", "create"]
    calls, failures = 1, 0
    for i in range(200 // (len(mixed) + 1)):
        for name in mixed:
            event = cfg["events"][name]
            if name == "create":
                body = json.loads(event["body"])
                body["userName"] = "rss.%d@example.com" % i
                body["externalId"] = "ext-rss.%d" % i
                event = dict(event, body=json.dumps(body))
            try:
                answer = module.lambda_handler(event, None)
            except Exception:
                failures += 1
                answer = None
            calls += 1
            if name == "create" and answer:
                user_id = json.loads(answer["body"])["id"].split("?")[0]
                deact = json.loads(json.dumps(cfg["events"]["deactivate"]).replace("USER_ID", user_id))
                try:
                    module.lambda_handler(deact, None)
                except Exception:
                    failures += 1
                calls += 1
    import resource
    out.update(invocations=calls, failed=failures,
               peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
"""


def run_child(mode: str, module_file: pathlib.Path, endpoint: str, patch_endpoint: bool, users: list[Target]) -> dict:
    first, last = users[0], users[-1]
    events = op_events(first, last)
    events["create"] = create_event("child")
    events["deactivate"] = deactivate_event(Target("USER_ID", "rss.child@example.com"))
    cfg = {
        "module": str(module_file),
        "endpoint": endpoint,
        "patch_endpoint": patch_endpoint,
        "events": events,
    }
    env = {**os.environ, **lambda_env(endpoint), "BENCH_CHILD": json.dumps(cfg)}
    env["BENCH_T0"] = repr(time.time())
    proc = subprocess.run(
        [sys.executable, "-c", CHILD_SOURCE, mode], env=env, capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child ({mode}) failed: {proc.stderr[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_startup(module_file, endpoint, patch_endpoint, directory: Directory, size: int, runs: int) -> dict:
    users = directory.resize(size)
    starts = [run_child("startup", module_file, endpoint, patch_endpoint, users) for _ in range(runs)]
    rss = run_child("rss", module_file, endpoint, patch_endpoint, users)
    directory.resize(size)  # the rss child's create/deactivate pairs leave the count as it was
    return {
        "start_ms": round(statistics.median(s["start_ms"] for s in starts), 1),
        "start_runs_ms": [round(s["start_ms"], 1) for s in starts],
        "start_status": [s["status"] for s in starts],
        "peak_rss_mb": round(rss["peak_rss_mb"], 1),
        "rss_invocations": rss["invocations"],
        "rss_failed_invocations": rss["failed"],
    }


def zipped_kb(files: list[pathlib.Path], root: pathlib.Path) -> float:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for f in files:
            z.write(f, f.relative_to(root))
    return round(len(buffer.getvalue()) / 1024, 2)


def source_commit(src: pathlib.Path, mirror: str, module_file: pathlib.Path) -> tuple[str, bool | None]:
    """The original's commit, and whether the measured file is byte-identical to it."""
    for repo in (str(src), mirror):
        head = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True)
        if head.returncode == 0:
            commit = head.stdout.strip()
            blob = subprocess.run(
                ["git", "-C", repo, "rev-parse", f"{commit}:{MODULE_PATH}"], capture_output=True, text=True
            ).stdout.strip()
            local = subprocess.run(["git", "hash-object", str(module_file)], capture_output=True, text=True)
            return commit, (blob == local.stdout.strip()) if blob else None
    return "unknown", None


# --------------------------------------------------------------------------
# Report


def observations(calls: dict, status: dict) -> dict:
    """One line per operation that failed or touched Connect not at all, per size."""
    out = {}
    for op in ALL_OPS:
        lines = []
        for size in calls:
            s, c = status[size][op], calls[size][op]
            if s["error"] or s["status"] >= 400:
                lines.append(f"{size}: HTTP {s['status']} ({s['error']}) after {c['total']} Connect calls")
            elif c["total"] == 0:
                found = f", totalResults {s['totalResults']}" if "totalResults" in s else ""
                lines.append(f"{size}: HTTP {s['status']} with 0 Connect calls{found}")
        if lines:
            out[op] = lines
    return out


def print_summary(result: dict) -> None:
    sizes = list(result["calls"])
    print(f"\n{result['solution']}")
    print(f"{'op':<18}" + "".join(f"{'calls@' + s:>14}{'http':>6}" for s in sizes))
    for op in ALL_OPS:
        row = f"{op:<18}"
        for s in sizes:
            row += f"{result['calls'][s][op]['total']:>14}{result['status'][s][op]['status']:>6}"
        print(row)
    for size, ops in result["latency_ms"].items():
        print(f"latency @ {size} users (ms p50/p99, n): " + ", ".join(
            f"{op} {v['p50']:.2f}/{v['p99']:.2f} ({v['n']})" for op, v in ops.items()))
    print(f"start-up {result['start_ms']} ms (median), peak RSS {result['peak_rss_mb']} MB, "
          f"asset {result['asset_zip_kb']} KB zipped, run {result['run_seconds']} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", required=True, type=pathlib.Path, help="scratch checkout of the original repository")
    parser.add_argument("--sim-bin", required=True, help="connect-sim binary")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="JSON result file")
    parser.add_argument("--sizes", default="100,1000,10000", help="cumulative instance sizes (users)")
    parser.add_argument("--mirror", default=MIRROR, help="git dir of the original, for the commit if --src has none")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timing per op and size, at most")
    parser.add_argument("--start-runs", type=int, default=5)
    args = parser.parse_args()

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    latency_sizes = sorted({100 if 100 in sizes else sizes[0], sizes[-1]})
    module_file = (args.src / MODULE_PATH).resolve()
    commit, identical = source_commit(args.src, args.mirror, module_file)
    started = time.monotonic()

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    sim = start_simulator(args.sim_bin, port)
    try:
        module, endpoint_how = load_original(module_file, endpoint)
        patch_endpoint = "NOT honoured" in endpoint_how
        directory = Directory(endpoint)
        calls, status, latency, seeding, sim_page_ms = {}, {}, {}, {}, {}
        startup = None
        for size in sizes:
            t = time.monotonic()
            directory.resize(size)
            seeding[str(size)] = round(time.monotonic() - t, 1)
            print(f"[{time.monotonic() - started:6.1f}s] {size} users seeded; measuring calls", flush=True)
            calls[str(size)], status[str(size)] = measure_calls(module.lambda_handler, directory, endpoint, size)
            if size in latency_sizes:
                print(f"[{time.monotonic() - started:6.1f}s] {size} users: latency", flush=True)
                latency[str(size)] = measure_latency(module.lambda_handler, directory, size, args.budget)
                sim_page_ms[str(size)] = list_users_page_ms(endpoint)
            if startup is None:
                print(f"[{time.monotonic() - started:6.1f}s] {size} users: start-up and RSS", flush=True)
                startup = measure_startup(module_file, endpoint, patch_endpoint, directory, size, args.start_runs)
                startup["size"] = size
    finally:
        sim.terminate()
        sim.wait(timeout=10)

    import boto3
    import botocore

    user_management = module_file.parent
    result = {
        "solution": f"original (aws-samples/amazon-connect-scim-user-management@{commit}, azure.py)",
        "measured_file": MODULE_PATH,
        "commit": commit,
        "file_matches_commit": identical,
        "calls": calls,
        "status": status,
        "latency_ms": latency,
        "start_ms": startup["start_ms"],
        "peak_rss_mb": startup["peak_rss_mb"],
        "asset_zip_kb": zipped_kb([module_file], user_management),
        "startup": startup,
        "run_seconds": round(time.monotonic() - started, 1),
        "environment": {
            "python": platform.python_version(),
            "boto3": boto3.__version__,
            "botocore": botocore.__version__,
            "simulator": args.sim_bin,
            "seeding_seconds": seeding,
            "sim_list_users_page_ms": sim_page_ms,
        },
        "notes": {
            "endpoint": endpoint_how,
            "events": "API Gateway REST proxy events for the original's single greedy resource /{Users+} "
            "(stage dev; Entra base URL .../dev/scim), so pathParameters.Users = 'scim/Users[/<id>]' or "
            "'scim/Groups/<id>'. User ids are the original's own '<connectId>?<externalId>', sent URL-encoded "
            "('%3F') in the path parameter, which is what the code splits on. Seeded users have no externalId "
            "anywhere (the original keeps none); their SCIM id uses 'ext-<local part>'.",
            "ops": OP_NOTES,
            "status": "HTTP status the handler returned; an exception out of lambda_handler (or a non-proxy "
            "answer) is recorded as 502, API Gateway's answer for a failed Lambda proxy integration.",
            "calls": "Delta of the simulator's /_sim/stats around one handler invocation, at exactly N users.",
            "instance": "Seeded directly with boto3 CreateUser (Agent profile, Basic Routing Profile, SOFT_PHONE), "
            "not measured. connect-sim returns ListUsers in creation order, 100 per page (Connect's default).",
            "latency": f"In-process lambda_handler calls, time.perf_counter, warm client, at {latency_sizes} users; "
            "one untimed warm-up, then 200 iterations, 20 if one call takes over 100 ms, capped so an op spends "
            f"at most ~{args.budget:g} s (n = iterations used). create/deactivate are timed in pairs; a filler user "
            "is deleted and re-seeded around each deactivate so the instance holds N users. Logging silenced "
            "(root logger WARNING), although the original logs every event at INFO in Lambda. With n = 20, p99 is "
            "close to the maximum. environment.sim_list_users_page_ms is the simulator's own time for one raw "
            "ListUsers page at that size (it builds every user's summary per request), which each of the "
            "original's ListUsers calls includes.",
            "start_ms": f"Fresh interpreter (same python) at {startup['size']} users: parent's time.time() just "
            "before spawning to the first answered GET (import boto3 + module, client creation, one get); median "
            f"of {args.start_runs}. Excludes the Lambda service's own sandbox/runtime init.",
            "peak_rss_mb": "ru_maxrss of a fresh interpreter after ~200 mixed invocations (get, lookup, page, group, "
            "patch, patch_department, create+deactivate); includes the Python interpreter and boto3, i.e. the "
            "Python Lambda runtime's own base memory.",
            "asset_zip_kb": "azure.py alone zipped (ZIP_DEFLATED, 9): boto3 is provided by the Lambda Python "
            "runtime. The CDK stack actually packages the whole lambdas/user_management directory "
            f"(azure.py + okta.py): {zipped_kb(sorted(user_management.glob('*.py')), user_management)} KB.",
            "observations": observations(calls, status),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print_summary(result)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
