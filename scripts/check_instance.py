"""Checks a Connect instance against the bridge's settings, before `make deploy`.

    npx tsx cdk/bin/check-config.ts --json -c instanceId=ID [-c key=value …] > settings.json
    python scripts/check_instance.py --instance-id ID --config settings.json [--region REGION]

`make check-instance` (and `make deploy`) run both: the settings are parsed
and validated once, by the CDK app's own cdk/lib/config.ts, and this script
reads the result (`--config`, `-` for standard input) and checks it against
the instance. It only reads (DescribeInstance, ListSecurityProfiles,
ListRoutingProfiles, and SearchPredefinedAttributes when PROFICIENCY_MAP
names any proficiency). Connect is reached through the standard AWS
configuration, so AWS_ENDPOINT_URL_CONNECT points it at the simulator.

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


def assignable(listed):
    """ASSIGNABLE_SECURITY_PROFILES (None, "*" or names) as lambdas/connect-directory/src/boundary.rs reads it."""
    if listed == "*":
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


def check_identity(found, configured, report):
    actual = found.get("IdentityManagementType", "?")
    if configured and configured != actual:
        report.add("identity type", "FAIL", f"{actual}, but CONNECT_IDENTITY_TYPE={configured}",
                   f"set CONNECT_IDENTITY_TYPE={actual} or leave it unset (the handler then reads it)")
        return
    report.add("identity type", "ok", f"{actual}: {IDENTITY.get(actual, 'unknown to the bridge')}")


def wanted_profiles(settings):
    """Security and routing profile names the settings grant -> which settings name them."""
    security, routing = {}, {}
    for name in settings["defaultSecurityProfiles"]:
        security.setdefault(name, []).append("DEFAULT_SECURITY_PROFILE")
    routing.setdefault(settings["defaultRoutingProfile"], []).append("DEFAULT_ROUTING_PROFILE")
    for department, rule in settings["departmentMap"].items():
        for name in rule["securityProfiles"]:
            security.setdefault(name, []).append(f"DEPARTMENT_MAP[{department}]")
        if rule.get("routingProfile"):
            routing.setdefault(rule["routingProfile"], []).append(f"DEPARTMENT_MAP[{department}]")
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


def wanted_proficiencies(proficiency_map):
    """Attribute name -> value -> [(setting naming it, level)], names as first written."""
    wanted = {}
    for department, proficiencies in proficiency_map.items():
        for p in proficiencies:
            name, value, level = p["attributeName"], p["attributeValue"], p["level"]
            key = next((k for k in wanted if k.lower() == name.lower()), name)
            values = wanted.setdefault(key, {})
            value_key = next((v for v in values if v.lower() == value.lower()), value)
            values.setdefault(value_key, []).append((f"PROFICIENCY_MAP[{department}]", level))
    return wanted


def named_by(used_by):
    """The settings naming a value, with levels (for the row) and without (for the fix)."""
    settings = list(dict.fromkeys(setting for setting, _ in used_by))
    return ", ".join(f"{setting} at {level}" for setting, level in used_by), ", ".join(settings)


def predefined_attributes(connect, instance):
    """Predefined attribute name (lower case) -> (name, [values]), over every page."""
    pages = connect.get_paginator("search_predefined_attributes").paginate(InstanceId=instance)
    return {
        a["Name"].lower(): (a["Name"], a.get("Values", {}).get("StringList", []))
        for page in pages
        for a in page.get("PredefinedAttributes", [])
    }


def check_proficiencies(wanted, attributes, report):
    for name, values in wanted.items():
        found = attributes.get(name.lower())
        if found is None:
            where, settings = named_by([u for used_by in values.values() for u in used_by])
            has = ", ".join(sorted(n for n, _ in attributes.values())) or "none"
            report.add(f"predefined attribute {name!r}", "FAIL",
                       f"not in the instance (named by {where}); it has: {has}",
                       f"create the predefined attribute {name!r} with the value{'s' if len(values) > 1 else ''} "
                       f"{', '.join(repr(v) for v in values)} in Connect (Routing, Predefined attributes), "
                       f"or change {settings}")
            continue
        actual, actual_values = found
        for value, used_by in values.items():
            where, settings = named_by(used_by)
            match = next((v for v in actual_values if v.lower() == value.lower()), None)
            if match is None:
                report.add(f"proficiency {name}={value}", "FAIL",
                           f"{actual} has no value {value!r} (named by {where}); its values: "
                           f"{', '.join(actual_values) or 'none'}",
                           f"add the value {value!r} to the predefined attribute {actual!r} in Connect "
                           f"(Routing, Predefined attributes), or change {settings}")
            else:
                report.add(f"proficiency {name}={value}", "ok", f"exists as {actual}={match} ({where})")


def check_assignable(listed, rule, security, report):
    named = [] if listed in (None, "*") else listed
    missing = [n for n in named if n.lower() not in security]
    detail = rule + (f"; not in the instance: {', '.join(missing)}" if missing else "")
    report.add("ASSIGNABLE_SECURITY_PROFILES", "warn" if missing else "ok", detail)


def check_groups(creates, security, allows, report):
    if creates:
        report.add("GROUPS_CREATE_SECURITY_PROFILES", "ok",
                   "on: a group no security profile is named like is created as one with no permissions "
                   "(tagged scim:managed=true); the stack also grants Create/DeleteSecurityProfile")
        return
    linkable = sorted(p["Name"] for key, p in security.items() if key != DISABLED_PROFILE.lower() and allows(p["Name"]))
    report.add("GROUPS_CREATE_SECURITY_PROFILES", "ok",
               "off: a pushed group must be named like an existing, assignable security profile "
               f"({', '.join(linkable) or 'none'}), others are refused (400); set it to true to create them")


def check_disabled(mode, security, report):
    if DISABLED_PROFILE.lower() in security:
        report.add(f"security profile {DISABLED_PROFILE!r}", "ok",
                   "exists: the stack's, once deployed (one made by hand makes the first deploy fail on its name)")
    else:
        report.add(f"security profile {DISABLED_PROFILE!r}", "ok",
                   f"missing: the stack creates it (held by disabled agents; DEPROVISION_MODE={mode})")


def run(connect, instance, region, settings):
    report = Report()
    found = check_instance(connect, instance, region, report)
    if found is None:
        return report
    check_identity(found, settings["connectIdentityType"], report)
    security = listing(connect, "list_security_profiles", "SecurityProfileSummaryList", instance)
    routing = listing(connect, "list_routing_profiles", "RoutingProfileSummaryList", instance)
    allows, rule = assignable(settings["assignableSecurityProfiles"])
    wanted_security, wanted_routing = wanted_profiles(settings)
    check_profiles("security profile", wanted_security, security, report, allows)
    check_profiles("routing profile", wanted_routing, routing, report)
    wanted_attributes = wanted_proficiencies(settings["proficiencyMap"])
    if wanted_attributes:
        check_proficiencies(wanted_attributes, predefined_attributes(connect, instance), report)
    check_assignable(settings["assignableSecurityProfiles"], rule, security, report)
    check_groups(settings["groupsCreateSecurityProfiles"], security, allows, report)
    check_disabled(settings["deprovisionMode"], security, report)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance-id", required=True)
    parser.add_argument("--region")
    parser.add_argument("--config", required=True, type=argparse.FileType("r"),
                        help="the settings as `check-config.ts --json` prints them (- for standard input)")
    args = parser.parse_args(argv)
    settings = json.load(args.config)
    # boto3 reads AWS_DEFAULT_REGION; the Rust SDK and the Makefile also use AWS_REGION.
    session = boto3.Session(region_name=args.region or os.environ.get("AWS_REGION") or None)
    if not session.region_name:
        print("No AWS region: pass REGION=<region of your Connect instance> (or set AWS_REGION).", file=sys.stderr)
        return 2
    connect = session.client("connect")
    try:
        report = run(connect, args.instance_id, session.region_name, settings)
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
