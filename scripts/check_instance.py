"""Checks a Connect instance against the bridge's settings, before `make deploy`.

    python scripts/check_instance.py --instance-id ID [--region REGION]

The settings are read from the environment under their `make deploy` names
(README, "Settings"): DEFAULT_SECURITY_PROFILE, DEFAULT_ROUTING_PROFILE,
DEPARTMENT_MAP, PROFICIENCY_MAP, ASSIGNABLE_SECURITY_PROFILES,
GROUPS_CREATE_SECURITY_PROFILES, DEPROVISION_MODE, CONNECT_IDENTITY_TYPE;
unset or empty means the default. It only reads (DescribeInstance,
ListSecurityProfiles, ListRoutingProfiles, and SearchPredefinedAttributes
when PROFICIENCY_MAP names any proficiency).
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

# Connect's limits on an agent's proficiencies (lambdas/connect-directory/src/proficiencies.rs).
MAX_PROFICIENCIES = 10
LEVELS = range(1, 6)

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


def proficiency_rules(raw):
    """PROFICIENCY_MAP as parse_proficiency_map reads it: department -> [(name, value, level)].

    Each department takes compact text ("Language=Spanish:4; Skill=Billing:2"),
    a list of such strings, a list of {"attributeName", "attributeValue",
    "level"} objects (keys in any case) or one such object; null, "" or []
    for none. A value named twice keeps the later level. Raises ValueError.
    """
    if not raw:
        return {}
    spec_of = json.loads(raw)
    if not isinstance(spec_of, dict):
        raise ValueError("expected a JSON object of department -> proficiencies")
    rules = {}
    for department, spec in spec_of.items():
        where = f"PROFICIENCY_MAP[{department}]"
        found = []

        def push(p):
            for i, held in enumerate(found):
                if held[0].lower() == p[0].lower() and held[1].lower() == p[1].lower():
                    found[i] = (held[0], held[1], p[2])
                    return
            found.append(p)

        if spec is None or (isinstance(spec, str) and not spec.strip()):
            pass
        elif isinstance(spec, str):
            for p in compact_proficiencies(spec, where):
                push(p)
        elif isinstance(spec, list):
            for item in spec:
                if isinstance(item, str):
                    for p in compact_proficiencies(item, where):
                        push(p)
                elif isinstance(item, dict):
                    push(proficiency_object(item, where))
                else:
                    raise ValueError(f"{where}: {json.dumps(item)} is neither Name=Value:level text nor an object")
        elif isinstance(spec, dict):
            push(proficiency_object(spec, where))
        else:
            raise ValueError(f"{where}: {json.dumps(spec)} is neither Name=Value:level text nor a list")
        if len(found) > MAX_PROFICIENCIES:
            raise ValueError(f"{where} names {len(found)} proficiencies; an Amazon Connect agent has at most {MAX_PROFICIENCIES}")
        for name, value, level in found:
            if level != int(level) or int(level) not in LEVELS:
                raise ValueError(f"{where}: level {level:g} of {name}={value} is not valid; Amazon Connect levels are 1, 2, 3, 4 and 5")
        rules[department] = [(name, value, int(level)) for name, value, level in found]
    return rules


def number(text):
    """A finite number, as Rust's f64 parse reads one, or None."""
    try:
        n = float(text)
    except ValueError:
        return None
    return n if n == n and abs(n) != float("inf") and "_" not in text else None


def compact_proficiencies(text, where):
    out = []
    for entry in (e.strip() for e in text.replace("\n", ";").split(";")):
        if not entry:
            continue
        name, eq, rest = entry.partition("=")
        value, colon, level = rest.rpartition(":")
        level = number(level.strip())
        if not eq or not colon or not name.strip() or not value.strip() or level is None:
            raise ValueError(f"{where}: {entry!r} is not Name=Value:level (e.g. Language=Spanish:4)")
        out.append((name.strip(), value.strip(), level))
    return out


def proficiency_object(item, where):
    def member(key):
        return next((v for k, v in item.items() if k.lower() == key.lower()), None)

    def text(key):
        v = member(key)
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"{where}: {key} is required (a string) in {json.dumps(item)}")
        return v.strip()

    raw = member("level")
    if isinstance(raw, bool):
        level = None
    elif isinstance(raw, (int, float)):
        level = float(raw)
    elif isinstance(raw, str):
        level = number(raw.strip())
    else:
        level = None
    if level is None:
        raise ValueError(f"{where}: level must be a number, not {json.dumps(raw)}")
    return (text("attributeName"), text("attributeValue"), level)


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


def wanted_proficiencies(rules):
    """Attribute name -> value -> [(setting naming it, level)], names as first written."""
    wanted = {}
    for department, proficiencies in rules.items():
        for name, value, level in proficiencies:
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
    try:
        proficiencies = proficiency_rules(setting("PROFICIENCY_MAP"))
    except ValueError as e:
        report.add("PROFICIENCY_MAP", "FAIL", f"not valid ({e})",
                   'PROFICIENCY_MAP=\'{"Spanish Support": "Language=Spanish:4; Skill=Billing:2", '
                   '"Sales": [{"attributeName": "Language", "attributeValue": "English", "level": 3}]}\' '
                   "(levels 1 to 5, at most 10 per department)")
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
    wanted_attributes = wanted_proficiencies(proficiencies)
    if wanted_attributes:
        check_proficiencies(wanted_attributes, predefined_attributes(connect, instance), report)
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
