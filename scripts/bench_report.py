#!/usr/bin/env python3
"""Prints `make bench`'s table from the JSON its parts wrote.

Reads, from the folder given (default target/bench):
  ours.json      lambdas/bench (scim-bench): calls per operation, latency, start-up, memory
  original.json  scripts/bench_original.py, when ORIGINAL_SRC was given (same run)
and zips the release Lambda binaries itself (what Lambda stores).
"""

import io
import json
import pathlib
import re
import sys
import zipfile

CONNECT_RATE = 2.0  # Connect's default quota per user-management API, requests/s
SYNC_AGENTS = 5000


def zipped_mb(binary: pathlib.Path):
    if not binary.is_file():
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.write(binary, "bootstrap")
    return len(buffer.getvalue()) / 1e6


def shipped_assets():
    """Zipped sizes of the Lambda assets: the arm64 release bundles in cdk.out
    when `make synth` / `make test` built them from the current sources, else
    the `measure` build here (no LTO, this machine's architecture: larger
    than what ships)."""
    manifest = pathlib.Path("cdk.out/ScimConnectStack.assets.json")
    sources = [pathlib.Path("Cargo.lock"), pathlib.Path("Cargo.toml"), *pathlib.Path("lambdas").glob("*/src/**/*.rs")]
    newest_source = max(p.stat().st_mtime for p in sources if p.is_file())
    if manifest.is_file() and manifest.stat().st_mtime >= newest_source:
        sizes = {}
        for asset in json.loads(manifest.read_text())["files"].values():
            path = pathlib.Path("cdk.out") / asset["source"]["path"] / "bootstrap"
            name = asset.get("displayName", "")
            if path.is_file():
                sizes["handler" if "Handler" in name else "authorizer"] = zipped_mb(path)
        if len(sizes) == 2:
            return sizes["handler"], sizes["authorizer"], "cdk.out: release build as deployed"
    return (zipped_mb(pathlib.Path("target/measure/scim-handler")),
            zipped_mb(pathlib.Path("target/measure/authorizer")),
            "measure build, no LTO, not what ships; run make synth for the real assets")


def cell(value, fmt="{}"):
    return "n/a" if value is None else fmt.format(value)


def total(figure):
    return None if not figure else figure.get("total")


def interpolate(points, x):
    """Linear interpolation through (size, value) points, starting at (0, first value)."""
    points = sorted(points)
    if len(points) == 1 or x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    return y1 + (y1 - y0) * (x - x1) / (x1 - x0)


def quota_minutes(calls, ops, growing):
    """Minutes of Connect quota SYNC_AGENTS agents need when each costs the
    operations `ops`, the instance growing from 0 (an initial sync) or holding
    SYNC_AGENTS throughout; each API has its own quota, so the busiest API
    sets the pace."""
    per_api = {}
    sizes = sorted(int(s) for s in calls)
    for op in ops:
        apis = set()
        for s in sizes:
            apis |= set((calls[str(s)].get(op) or {}).get("by_operation", {}))
        for api in apis:
            points = [(s, (calls[str(s)][op] or {}).get("by_operation", {}).get(api, 0)) for s in sizes]
            # Sum over instance sizes 0..N-1 (in steps of 50 for speed).
            step = 50
            spent = sum(interpolate(points, k if growing else SYNC_AGENTS) * step for k in range(0, SYNC_AGENTS, step))
            per_api[api] = per_api.get(api, 0) + spent
    busiest = max(per_api.items(), key=lambda kv: kv[1])
    return busiest[1] / CONNECT_RATE / 60, busiest[0], per_api


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    ours = json.loads((folder / "ours.json").read_text())
    original_path = folder / "original.json"
    original = json.loads(original_path.read_text()) if original_path.is_file() else None
    sizes = sorted(ours["calls"], key=int)

    print("\n## Connect API calls per SCIM operation (simulator's counts; Connect allows ~2 calls/s per API)\n")
    head = ["SCIM operation"] + [f"ours @ {int(s):,} users" for s in sizes]
    orig_sizes = sorted(original["calls"], key=int) if original else []
    head += [f"original @ {int(s):,}" for s in orig_sizes]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for key, label in ours["operations"]:
        row = [label]
        for s in sizes:
            figure = ours["calls"][s].get(key)
            text = cell(total(figure))
            if isinstance(figure, dict) and figure.get("status") == 400:
                text += " (400 tooMany)"
            row.append(text)
        for s in orig_sizes:
            figure = original["calls"][s].get(key)
            answer = original.get("status", {}).get(s, {}).get(key) or {}
            status = answer.get("status")
            text = cell(total(figure))
            if figure is not None and status is not None and not 200 <= status < 300:
                text += f" (fails: {status})"
            elif key == "group" and figure is not None:
                text += " (placeholder answer, nothing changes)"
            elif answer.get("totalResults") == 0:
                text += " (answers an empty list)"
            row.append(text)
        print("| " + " | ".join(row) + " |")

    print("\n## Latency, in process, simulator answering at once (ms)\n")
    lat = ours["latency_ms"]
    olat = None
    if original:
        lsizes = sorted(original.get("latency_ms", {}), key=int)
        olat = original["latency_ms"][lsizes[0]] if lsizes else None
    head = ["operation", "ours p50", "ours p99"] + (["original p50", "original p99"] if olat else [])
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for op in ("discovery", "get", "lookup", "patch", "create"):
        row = [op, cell(lat[op]["p50"], "{:.3f}"), cell(lat[op]["p99"], "{:.3f}")]
        if olat:
            o = olat.get(op) or {}
            row += [cell(o.get("p50"), "{:.3f}"), cell(o.get("p99"), "{:.3f}")]
        print("| " + " | ".join(row) + " |")
    print(f"\n(ours: {lat['users']} users in the instance, {lat['get']['samples']} samples per operation"
          + (f"; original: {lsizes[0]} users" if olat else "") + ")")

    print("\n## Process\n")
    proc = ours["process"]
    handler_zip, authorizer_zip, asset_note = shipped_assets()
    rows = [
        ("start to first answered request (GET by id), median of runs",
         f"{proc['start_to_first_get_ms']:.1f} ms", cell(original and original.get("start_ms"), "{:.0f} ms")),
        ("start to first answered request (create)", f"{proc['start_to_first_create_ms']:.1f} ms", "n/a"),
        (f"peak RSS after {proc['invocations']} invocations", f"{proc['peak_rss_mb']:.1f} MB",
         cell(original and original.get("peak_rss_mb"), "{:.1f} MB")),
        (f"zipped Lambda asset, handler ({asset_note})", cell(handler_zip, "{:.2f} MB"),
         cell(original and original.get("asset_zip_kb"), "{:.1f} kB (+ the runtime's boto3)")),
        ("zipped Lambda asset, authorizer", cell(authorizer_zip, "{:.2f} MB"), "n/a"),
    ]
    print("| measure | ours | original |\n|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")

    print("\n## Bulk onboarding (IdP-like: lookup, then create; 409 -> lookup; retry after 429/503)\n")
    print("| run | users | concurrency | creates/s ÷ CreateUser quota | IdP retries | lost | duplicated |")
    print("|---|---|---|---|---|---|---|")
    for run in ours.get("onboarding", []):
        print(f"| {run['label']} | {run['users']:,} | {run['concurrency']} | {run['ratio']:.2f} | "
              f"{run['idp_retries']} | {run['lost']} | {run['duplicated']} |")
    print("(quota scaled to 50 CreateUser/s, the adapter pacing at the same rate: the ratio is what counts)")

    print(f"\n## What it means for a {SYNC_AGENTS:,}-agent contact center (Connect quota at 2 calls/s per API)\n")
    for title, ops, growing in (
        ("initial sync (lookup + create per agent, instance growing from 0)", ("lookup", "create"), True),
        (f"offboarding every agent (deactivate each, {SYNC_AGENTS:,} in the instance)", ("deactivate",), False),
    ):
        print(f"{title}:")
        for name, result in (("ours", ours), ("original", original)):
            if result:
                minutes, api, _ = quota_minutes(result["calls"], ops, growing)
                print(f"- {name}: about {minutes:,.0f} minutes ({minutes / 60:,.1f} hours) of quota; busiest API {api}")


if __name__ == "__main__":
    main()
