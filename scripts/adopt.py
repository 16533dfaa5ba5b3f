"""Hand existing Connect users over to the SCIM bridge, on purpose.

    python scripts/adopt.py --instance-id ID [--region REGION] [--include-admins] USERNAME...
    python scripts/adopt.py --instance-id ID [--region REGION] --made-by-the-bridge

The bridge changes and deletes only users it manages: those carrying the tag
scim:managed=true, which it sets on every user it creates. Users made in the
console (or by the solution this bridge replaces) are read but never changed.
This tags the named users so the IdP can take them over: after it, the IdP's
next sync matches each by userName and keeps it in step, and deprovisioning
deletes or disables it.

It runs with your credentials, not the bridge's (the bridge's role cannot tag
an unmanaged user). Users holding the Admin security profile are skipped
unless --include-admins is given: once adopted, the IdP can delete them.
--made-by-the-bridge is the upgrade step from versions before the tag
existed: it adopts every user a CreateUser of the bridge made (those carrying
its idempotency tag scim:createToken), found with SearchUsers (100 a call,
tags included), and no one else.
Connect is reached through the standard AWS configuration, so
AWS_ENDPOINT_URL_CONNECT points it at the simulator.
"""

import argparse
import sys

import boto3

MANAGED = {"scim:managed": "true"}


def find(connect, instance, username):
    """The user named `username` (Connect compares user names exactly)."""
    found = connect.search_users(
        InstanceId=instance,
        SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": username, "ComparisonType": "EXACT"}},
    )["Users"]
    return found[0] if found else None


def made_by_the_bridge(connect, instance):
    """The userNames of users an earlier version created but did not mark."""
    names = []
    for page in connect.get_paginator("search_users").paginate(InstanceId=instance):
        for user in page["Users"]:
            tags = user.get("Tags", {})
            if "scim:createToken" in tags and tags.get("scim:managed") != "true":
                names.append(user["Username"])
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance-id", required=True)
    parser.add_argument("--region")
    parser.add_argument("--include-admins", action="store_true")
    parser.add_argument("--made-by-the-bridge", action="store_true")
    parser.add_argument("usernames", nargs="*")
    args = parser.parse_args(argv)
    if bool(args.usernames) == args.made_by_the_bridge:
        parser.error("give userNames, or --made-by-the-bridge (not both)")
    connect = boto3.Session(region_name=args.region).client("connect")
    if args.made_by_the_bridge:
        args.usernames = made_by_the_bridge(connect, args.instance_id)
        print(f"{len(args.usernames)} users made by an earlier version of the bridge are not marked yet")
    profiles = {
        p["Id"]: p["Name"]
        for page in connect.get_paginator("list_security_profiles").paginate(InstanceId=args.instance_id)
        for p in page["SecurityProfileSummaryList"]
    }
    failed = 0
    print(f"{'userName':40} {'Connect user id':38} result")
    for username in args.usernames:
        user = find(connect, args.instance_id, username)
        if user is None:
            result, failed = "not found", failed + 1
        elif user.get("Tags", {}).get("scim:managed") == "true":
            result = "already managed"
        elif "Admin" in {profiles.get(i) for i in user.get("SecurityProfileIds", [])} and not args.include_admins:
            result, failed = "skipped: holds Admin (--include-admins to adopt it anyway)", failed + 1
        else:
            connect.tag_resource(resourceArn=user["Arn"], tags=MANAGED)
            result = "adopted"
        print(f"{username:40} {(user or {}).get('Id', '-'):38} {result}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
