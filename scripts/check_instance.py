"""Checks a Connect instance against the bridge's settings, before `make deploy`.

    python scripts/check_instance.py --instance-id ID [--region REGION]

The settings are read from the environment under their `make deploy` names
(README, "Settings"): DEFAULT_SECURITY_PROFILE, DEFAULT_ROUTING_PROFILE,
DEPARTMENT_MAP, ASSIGNABLE_SECURITY_PROFILES, GROUPS_CREATE_SECURITY_PROFILES,
DEPROVISION_MODE, CONNECT_IDENTITY_TYPE; unset or empty means the default.
It only reads (DescribeInstance, ListSecurityProfiles, ListRoutingProfiles).
Connect is reached through the standard AWS configuration, so
AWS_ENDPOINT_URL_CONNECT points it at the simulator.

Prints one row per check and exits 1, with what to fix, on any problem.
"""

import argparse
import json
import os
import sys

import boto3
from botocore.exceptions import BotoCoreError, ClientError

DISABLED_PROFILE = "SCIM-Disabled"  # cdk/lib/connect-provisioner.ts

# What each identity management type means for the bridge
# (lambdas/connect-directory/src/identity.rs).
IDENTITY = {
    "SAML": "users sign in through your IdP: the SCIM email goes to SecondaryEmail (Connect refuses Email), "
    "no password is sent, userNames up to 64 of a-z A-Z 0-9 _ - . @",
    "CONNECT_MANAGED": "Connect keeps passwords: a create without the SCIM password attribute is refused "
    "(400; Okta: enable Sync Password; Entra ID: map a password), userNames up to 20 characters, "
    "the email goes to Email",
    "EXISTING_DIRECTORY": "the directory owns names and emails: they are set at creation and never updated, "
    "no password is sent, userNames up to 20 characters",
}


class Report:
    """The table's rows and the fixes that go with its failures."""

    def __init__(self):
        self.rows = []
        self.fixes = []

    def add(self, check, result, detail, fix=None):
        self.rows.append((check, result, detail))
        if fix:
            self.fixes.append(fix)

    def print(self, out=sys.stdout):
        widths = [max(len(r[i]) for r in self.rows + [("check", "result", "")]) for i in (0, 1)]
        print(f"{'check':{widths[0]}}  {'result':{widths[1]}}  detail", file=out)
        for check, result, detail in self.rows:
            print(f"{check:{widths[0]}}  {result:{widths[1]}}  {detail}", file=out)
        if self.fixes:
            print(f"\n{len(self.fixes)} problem(s). To fix:", file=out)
            for fix in self.fixes:
                print(f"  - {fix}", file=out)


def setting(name, default=""):
    value = os.environ.get(name, "").strip()
    return value or default


def names(value):
    return [n.strip() for n in value.split(",") if n.strip()]


def department_rules(raw):
    """DEPARTMENT_MAP as parse_department_map reads it: department -> (profiles, routing profile)."""
    if not raw:
        return {}
    rules = {}
    for department, spec in json.loads(raw).items():
        if isinstance(spec, str):
            rules[department] = ([spec], None)
        elif isinstance(spec, list):
            rules[department] = (spec, None)
        else:
            rules[department] = (spec.get("securityProfiles", []), spec.get("routingProfile"))
    return rules


def assignable(value):
    """ASSIGNABLE_SECURITY_PROFILES as lambdas/connect-directory/src/boundary.rs reads it."""
    listed = names(value)
    if listed == ["*"]:
        return (lambda _: True), "*: every profile, Admin included"
    if not listed:
        return (lambda n: n.lower() != "admin"), "unset: every profile but Admin"
    allowed = {n.lower() for n in listed}
    return (lambda n: n.lower() in allowed), "only " + ", ".join(listed)


def listing(connect, operation, key, instance):
    """Name (lower case) -> summary, over every page."""
    pages = connect.get_paginator(operation).paginate(InstanceId=instance)
    return {p["Name"].lower(): p for page in pages for p in page[key]}


def check_instance(connect, instance, region, report):
    """The instance's description, or None (with the failure reported)."""
    try:
        found = connect.describe_instance(InstanceId=instance)["Instance"]
    except ClientError as e:
        code = e.response["Error"]["Code"]
        if code == "ResourceNotFoundException":
            report.add("instance", "FAIL", f"no instance {instance} in {region}",
                       "check INSTANCE_ID, the UUID at the end of the instance ARN "
                       f"(arn:aws:connect:<region>:<account>:instance/<id>), and REGION, the ARN's region (asked: {region})")
        else:
            report.add("instance", "FAIL", f"DescribeInstance: {code}",
                       f"your credentials must allow connect:DescribeInstance on {instance} ({e})")
        return None
    status = found.get("InstanceStatus", "?")
    detail = f"{status}, alias {found.get('InstanceAlias', '-')}, region {region}"
    if status != "ACTIVE":
        report.add("instance", "FAIL", detail, f"instance {instance} is {status}; wait until it is ACTIVE")
        return None
    report.add("instance", "ok", detail)
    return found


def check_identity(found, report):
    actual = found.get("IdentityManagementType", "?")
    configured = setting("CONNECT_IDENTITY_TYPE").upper()
    if configured and configured != actual:
        report.add("identity type", "FAIL", f"{actual}, but CONNECT_IDENTITY_TYPE={configured}",
                   f"set CONNECT_IDENTITY_TYPE={actual} or leave it unset (the handler then reads it)")
        return
    report.add("identity type", "ok", f"{actual}: {IDENTITY.get(actual, 'unknown to the bridge')}")


def wanted_profiles(rules):
    """Security and routing profile names the settings grant -> which settings name them."""
    security, routing = {}, {}
    for name in names(setting("DEFAULT_SECURITY_PROFILE", "Agent")):
        security.setdefault(name, []).append("DEFAULT_SECURITY_PROFILE")
    routing.setdefault(setting("DEFAULT_ROUTING_PROFILE", "Basic Routing Profile"), []).append("DEFAULT_ROUTING_PROFILE")
    for department, (profiles, routing_profile) in rules.items():
        for name in profiles:
            security.setdefault(name, []).append(f"DEPARTMENT_MAP[{department}]")
        if routing_profile:
            routing.setdefault(routing_profile, []).append(f"DEPARTMENT_MAP[{department}]")
    return security, routing


def check_profiles(kind, wanted, existing, report, allows=None):
    for name, used_by in wanted.items():
        where = ", ".join(used_by)
        found = existing.get(name.lower())
        if found is None:
            report.add(f"{kind} {name!r}", "FAIL", f"not in the instance (named by {where})",
                       f"create the {kind} {name!r} in Connect, or change {where}")
        elif allows is not None and not allows(name):
            report.add(f"{kind} {name!r}", "FAIL", f"exists, but ASSIGNABLE_SECURITY_PROFILES does not allow it ({where})",
                       f"add {name!r} to ASSIGNABLE_SECURITY_PROFILES, or stop granting it in {where}")
        else:
            report.add(f"{kind} {name!r}", "ok", f"exists as {found['Name']!r} ({where})")


def check_assignable(rule, security, report):
    missing = [n for n in names(setting("ASSIGNABLE_SECURITY_PROFILES")) if n != "*" and n.lower() not in security]
    detail = rule + (f"; not in the instance: {', '.join(missing)}" if missing else "")
    report.add("ASSIGNABLE_SECURITY_PROFILES", "warn" if missing else "ok", detail)


def check_groups(security, allows, report):
    value = setting("GROUPS_CREATE_SECURITY_PROFILES", "false").lower()
    if value in ("true", "1", "yes", "on"):
        report.add("GROUPS_CREATE_SECURITY_PROFILES", "ok",
                   "on: a group no security profile is named like is created as one with no permissions "
                   "(tagged scim:managed=true); the stack also grants Create/DeleteSecurityProfile")
        return
    linkable = sorted(p["Name"] for key, p in security.items() if key != DISABLED_PROFILE.lower() and allows(p["Name"]))
    report.add("GROUPS_CREATE_SECURITY_PROFILES", "ok",
               "off: a pushed group must be named like an existing, assignable security profile "
               f"({', '.join(linkable) or 'none'}), others are refused (400); set it to true to create them")


def check_disabled(security, report):
    mode = setting("DEPROVISION_MODE", "delete")
    if DISABLED_PROFILE.lower() in security:
        report.add(f"security profile {DISABLED_PROFILE!r}", "ok",
                   "exists: the stack's, once deployed (one made by hand makes the first deploy fail on its name)")
    else:
        report.add(f"security profile {DISABLED_PROFILE!r}", "ok",
                   f"missing: the stack creates it (held by disabled agents; DEPROVISION_MODE={mode})")


def run(connect, instance, region):
    report = Report()
    try:
        rules = department_rules(setting("DEPARTMENT_MAP"))
    except (ValueError, AttributeError) as e:
        report.add("DEPARTMENT_MAP", "FAIL", f"not a JSON object of department rules ({e})",
                   'DEPARTMENT_MAP=\'{"Sales": "Agent", "Billing": {"securityProfiles": ["Agent"], "routingProfile": "…"}}\'')
        return report
    found = check_instance(connect, instance, region, report)
    if found is None:
        return report
    check_identity(found, report)
    security = listing(connect, "list_security_profiles", "SecurityProfileSummaryList", instance)
    routing = listing(connect, "list_routing_profiles", "RoutingProfileSummaryList", instance)
    allows, rule = assignable(setting("ASSIGNABLE_SECURITY_PROFILES"))
    wanted_security, wanted_routing = wanted_profiles(rules)
    check_profiles("security profile", wanted_security, security, report, allows)
    check_profiles("routing profile", wanted_routing, routing, report)
    check_assignable(rule, security, report)
    check_groups(security, allows, report)
    check_disabled(security, report)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance-id", required=True)
    parser.add_argument("--region")
    args = parser.parse_args(argv)
    # boto3 reads AWS_DEFAULT_REGION; the Rust SDK and the Makefile also use AWS_REGION.
    session = boto3.Session(region_name=args.region or os.environ.get("AWS_REGION") or None)
    if not session.region_name:
        print("No AWS region: pass REGION=<region of your Connect instance> (or set AWS_REGION).", file=sys.stderr)
        return 2
    connect = session.client("connect")
    try:
        report = run(connect, args.instance_id, session.region_name)
    except (BotoCoreError, ClientError) as e:
        print(f"Connect could not be asked ({e}): check your AWS credentials and region.", file=sys.stderr)
        return 1
    report.print()
    if report.fixes:
        print(f"make check-instance: {len(report.fixes)} problem(s) with instance {args.instance_id}", file=sys.stderr)
        return 1
    print(f"\nInstance {args.instance_id} is ready for make deploy.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
