"""Independent-client check of the Connect simulator's wire protocol.

boto3 builds requests from botocore's own copy of Connect's service model,
so this proves the simulator against a second, unrelated implementation of
the protocol. Run by `make test` against a running `connect-sim` binary:

    CONNECT_ENDPOINT=http://127.0.0.1:8788 CONNECT_INSTANCE_ID=… python3 tests/boto3_sim.py
"""

import json
import os
import time
import urllib.request

from botocore.exceptions import ClientError

from simclient import check, connect_client, summary

ENDPOINT = os.environ["CONNECT_ENDPOINT"]
INSTANCE = os.environ["CONNECT_INSTANCE_ID"]

client = connect_client(ENDPOINT, retries=False)


def error_code(fn, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


def sim(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(ENDPOINT + path, data=data, method=method)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


profiles = {
    p["Name"]: p["Id"]
    for page in client.get_paginator("list_security_profiles").paginate(InstanceId=INSTANCE)
    for p in page["SecurityProfileSummaryList"]
}
check("seeded security profiles", set(profiles) == {"Admin", "Agent", "CallCenterManager", "QualityAnalyst"}, profiles)
routing = client.list_routing_profiles(InstanceId=INSTANCE)["RoutingProfileSummaryList"]
check("seeded routing profile", [r["Name"] for r in routing] == ["Basic Routing Profile"], routing)

created = client.create_user(
    InstanceId=INSTANCE,
    Username="boto.user@example.com",
    # The instance uses SAML, where Email is refused: the address goes in SecondaryEmail.
    IdentityInfo={"FirstName": "Boto", "LastName": "User", "SecondaryEmail": "boto@example.com", "Mobile": "+12065550100"},
    PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 10},
    SecurityProfileIds=[profiles["Agent"]],
    RoutingProfileId=routing[0]["Id"],
    Tags={"scim:externalId": "b-1"},
)
user_id = created["UserId"]
check("create returns id and arn", created["UserArn"].endswith("/agent/" + user_id))

user = client.describe_user(InstanceId=INSTANCE, UserId=user_id)["User"]
check("describe round-trips identity", user["IdentityInfo"]["SecondaryEmail"] == "boto@example.com" and user["IdentityInfo"]["Mobile"] == "+12065550100")
check("describe round-trips phone config", user["PhoneConfig"]["AfterContactWorkTimeLimit"] == 10)
check("describe parses timestamps", user["LastModifiedTime"].year >= 2024, user["LastModifiedTime"])
check("describe carries tags", user["Tags"] == {"scim:externalId": "b-1"})

found = client.search_users(
    InstanceId=INSTANCE,
    SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "BOTO.USER@example.com", "ComparisonType": "EXACT"}},
)
check("search by username ignores case", [u["Id"] for u in found["Users"]] == [user_id] and found["ApproximateTotalCount"] == 1)
check("search summaries carry no email", "Email" not in found["Users"][0]["IdentityInfo"])

by_tag = client.search_users(
    InstanceId=INSTANCE,
    SearchFilter={"TagFilter": {"OrConditions": [[{"TagKey": "scim:externalId", "TagValue": "b-1"}]]}},
)
check("search by tag", [u["Id"] for u in by_tag["Users"]] == [user_id])

code, status = error_code(
    client.create_user,
    InstanceId=INSTANCE,
    Username="boto.user@example.com",
    IdentityInfo={"FirstName": "X", "LastName": "Y"},
    SecurityProfileIds=[profiles["Agent"]],
    RoutingProfileId=routing[0]["Id"],
)
check("duplicate username", (code, status) == ("DuplicateResourceException", 409), (code, status))

code, status = error_code(
    client.update_user_identity_info,
    InstanceId=INSTANCE,
    UserId=user_id,
    IdentityInfo={"FirstName": "Boto", "LastName": "User", "Mobile": "206-555-0100"},
)
check("non-E.164 mobile", (code, status) == ("InvalidParameterException", 400), (code, status))

code, status = error_code(
    client.update_user_security_profiles, InstanceId=INSTANCE, UserId=user_id, SecurityProfileIds=["nope"]
)
check("unknown security profile", (code, status) == ("ResourceNotFoundException", 404), (code, status))

client.update_user_security_profiles(
    InstanceId=INSTANCE, UserId=user_id, SecurityProfileIds=[profiles["Admin"], profiles["Agent"]]
)
arn = created["UserArn"]
client.tag_resource(resourceArn=arn, tags={"scim:department": "Sales"})
client.untag_resource(resourceArn=arn, tagKeys=["scim:externalId"])
check("tags through the ARN path label", client.list_tags_for_resource(resourceArn=arn)["tags"] == {"scim:department": "Sales"})

listed = [u["Username"] for page in client.get_paginator("list_users").paginate(InstanceId=INSTANCE) for u in page["UserSummaryList"]]
check("list users", "boto.user@example.com" in listed)

# Security profiles: create (no permissions), describe, in use, delete.
made = client.create_security_profile(InstanceId=INSTANCE, SecurityProfileName="Boto Group", Description="from boto3")
described = client.describe_security_profile(InstanceId=INSTANCE, SecurityProfileId=made["SecurityProfileId"])["SecurityProfile"]
check("create and describe a security profile", described["SecurityProfileName"] == "Boto Group" and described["Arn"] == made["SecurityProfileArn"], described)
code, status = error_code(client.create_security_profile, InstanceId=INSTANCE, SecurityProfileName="BOTO GROUP")
check("duplicate security profile name", (code, status) == ("DuplicateResourceException", 409), (code, status))
client.tag_resource(resourceArn=made["SecurityProfileArn"], tags={"scim:externalId": "g-1"})
found = client.search_security_profiles(
    InstanceId=INSTANCE,
    SearchCriteria={"StringCondition": {"FieldName": "name", "Value": "boto group", "ComparisonType": "EXACT"}},
)
check(
    "search security profiles by name, with tags",
    [(p["SecurityProfileName"], p["Tags"]) for p in found["SecurityProfiles"]] == [("Boto Group", {"scim:externalId": "g-1"})]
    and found["ApproximateTotalCount"] == 1,
    found,
)
everything = [p["SecurityProfileName"] for page in client.get_paginator("search_security_profiles").paginate(
    InstanceId=INSTANCE, PaginationConfig={"PageSize": 2}) for p in page["SecurityProfiles"]]
check("search security profiles pages through all", sorted(everything) == sorted(list(profiles) + ["Boto Group"]), everything)
client.update_user_security_profiles(InstanceId=INSTANCE, UserId=user_id, SecurityProfileIds=[made["SecurityProfileId"]])
holders = client.search_users(
    InstanceId=INSTANCE,
    SearchCriteria={"StringCondition": {"FieldName": "SecurityProfileId", "Value": made["SecurityProfileId"], "ComparisonType": "EXACT"}},
)["Users"]
check("search users by security profile", [u["Id"] for u in holders] == [user_id], holders)
code, status = error_code(client.delete_security_profile, InstanceId=INSTANCE, SecurityProfileId=made["SecurityProfileId"])
check("a held security profile is in use", (code, status) == ("ResourceInUseException", 409), (code, status))
client.update_user_security_profiles(InstanceId=INSTANCE, UserId=user_id, SecurityProfileIds=[profiles["Agent"]])
client.delete_security_profile(InstanceId=INSTANCE, SecurityProfileId=made["SecurityProfileId"])
code, status = error_code(client.describe_security_profile, InstanceId=INSTANCE, SecurityProfileId=made["SecurityProfileId"])
check("deleted security profile is gone", (code, status) == ("ResourceNotFoundException", 404), (code, status))

# Hierarchy groups: create under a parent, describe with the path.
top = client.create_user_hierarchy_group(InstanceId=INSTANCE, Name="Boto Support")["HierarchyGroupId"]
leaf = client.create_user_hierarchy_group(InstanceId=INSTANCE, Name="Boto Tier", ParentGroupId=top)["HierarchyGroupId"]
group = client.describe_user_hierarchy_group(InstanceId=INSTANCE, HierarchyGroupId=leaf)["HierarchyGroup"]
check(
    "hierarchy group path",
    group["LevelId"] == "2"
    and [group["HierarchyPath"][k]["Name"] for k in ("LevelOne", "LevelTwo")] == ["Boto Support", "Boto Tier"],
    group,
)
searched = client.search_user_hierarchy_groups(
    InstanceId=INSTANCE,
    SearchCriteria={"StringCondition": {"FieldName": "name", "Value": "boto tier", "ComparisonType": "EXACT"}},
)["UserHierarchyGroups"]
check("search hierarchy groups with paths", [g["HierarchyPath"]["LevelOne"]["Name"] for g in searched] == ["Boto Support"], searched)
client.update_user_phone_config(
    InstanceId=INSTANCE, UserId=user_id,
    PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 45},
)
found = client.search_users(
    InstanceId=INSTANCE,
    SearchCriteria={"StringCondition": {"FieldName": "resourceId", "Value": user_id, "ComparisonType": "EXACT"}},
)["Users"]
check("SearchUsers reports after-contact work in milliseconds", found[0]["PhoneConfig"]["AfterContactWorkTimeLimit"] == 45000, found)
code, status = error_code(
    client.update_user_phone_config, InstanceId=INSTANCE, UserId=user_id,
    PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 2000001},
)
check("after-contact work is at most 2,000,000 s", (code, status) == ("InvalidParameterException", 400), (code, status))

# Throttling: shrink the quota, spend the burst, and expect a 429 ThrottlingException.
before = sim("GET", "/_sim/settings")
sim("PUT", "/_sim/settings", {"rate": 0.01, "burst": 1})
codes = [error_code(client.list_routing_profiles, InstanceId=INSTANCE) for _ in range(3)]
sim("PUT", "/_sim/settings", {"rate": before["rate"], "burst": before["burst"]})
check("throttling", ("ThrottlingException", 429) in codes, codes)

stats = sim("GET", "/_sim/stats")["operations"]
check("stats count calls and throttles", stats["ListRoutingProfiles"]["calls"] >= 4 and stats["ListRoutingProfiles"]["throttled"] >= 1, stats)

# Prose-only rules (see lambdas/connect-sim/src/identity.rs and friends).
# Many calls per API follow: lift the quota for them, restore it at the end.
quota = sim("GET", "/_sim/settings")
sim("PUT", "/_sim/settings", {"rate": 0})
instance = client.describe_instance(InstanceId=INSTANCE)["Instance"]
check(
    "describe instance: SAML, active, created",
    instance["IdentityManagementType"] == "SAML" and instance["InstanceStatus"] == "ACTIVE"
    and instance["CreatedTime"].year >= 2024 and instance["Id"] == INSTANCE,
    instance,
)
code, status = error_code(client.describe_instance, InstanceId="11111111-1111-1111-1111-111111111111")
check("describe unknown instance", (code, status) == ("ResourceNotFoundException", 404), (code, status))

basic = routing[0]["Id"]


def new_user(instance_id=INSTANCE, **members):
    return dict(InstanceId=instance_id, SecurityProfileIds=[sim_profile(instance_id, "Agent")],
                RoutingProfileId=sim_routing(instance_id), **members)


def sim_profile(instance_id, name):
    if instance_id == INSTANCE:
        return profiles[name]
    listed = client.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
    return next(p["Id"] for p in listed if p["Name"] == name)


def sim_routing(instance_id):
    if instance_id == INSTANCE:
        return basic
    return client.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"][0]["Id"]


for name, members in [
    ("SAML refuses Email", dict(IdentityInfo={"FirstName": "E", "LastName": "Mail", "Email": "e@example.com"})),
    ("SAML refuses Password", dict(IdentityInfo={"FirstName": "P", "LastName": "W"}, Password="Passw0rd")),
    ("SAML refuses DirectoryUserId", dict(IdentityInfo={"FirstName": "D", "LastName": "U"}, DirectoryUserId="d-1")),
    ("names must be NFC", dict(IdentityInfo={"FirstName": "Rene\u0301e", "LastName": "Lee"})),
]:
    code, status = error_code(client.create_user, **new_user(Username="refused", **members))
    check(name, (code, status) == ("InvalidParameterException", 400), (code, status))

managed = "00000000-0000-4000-8000-00000000bee5"
added = sim("PUT", f"/_sim/instances/{managed}", {"identityType": "CONNECT_MANAGED"})
check("a CONNECT_MANAGED instance can be added", added["Instance"]["IdentityManagementType"] == "CONNECT_MANAGED", added)
code, status = error_code(client.create_user, **new_user(
    managed, Username="cm.user", IdentityInfo={"FirstName": "C", "LastName": "M", "Email": "cm@example.com"}))
check("CONNECT_MANAGED requires a password", (code, status) == ("InvalidParameterException", 400), (code, status))
code, status = error_code(client.create_user, **new_user(
    managed, Username="x" * 21, Password="Passw0rd", IdentityInfo={"FirstName": "C", "LastName": "M"}))
check("CONNECT_MANAGED usernames have at most 20 characters", (code, status) == ("InvalidParameterException", 400), (code, status))
cm = client.create_user(**new_user(
    managed, Username="cm.user", Password="Passw0rd", IdentityInfo={"FirstName": "C", "LastName": "M", "Email": "cm@example.com"}))
cm_user = client.describe_user(InstanceId=managed, UserId=cm["UserId"])["User"]
check("CONNECT_MANAGED accepts Email", cm_user["IdentityInfo"]["Email"] == "cm@example.com", cm_user)

# PhoneConfig is optional; the user then has no PhoneType at all.
bare = client.create_user(**new_user(Username="no.phone", IdentityInfo={"FirstName": "No", "LastName": "Phone"}))
bare_user = client.describe_user(InstanceId=INSTANCE, UserId=bare["UserId"])["User"]
check("no PhoneConfig: defaults, no PhoneType",
      bare_user["PhoneConfig"] == {"AutoAccept": False, "AfterContactWorkTimeLimit": 0}, bare_user["PhoneConfig"])
client.update_user_phone_config(InstanceId=INSTANCE, UserId=bare["UserId"], PhoneConfig={"AutoAccept": True})
bare_user = client.describe_user(InstanceId=INSTANCE, UserId=bare["UserId"])["User"]
check("update without PhoneType keeps none", "PhoneType" not in bare_user["PhoneConfig"], bare_user["PhoneConfig"])

code, status = error_code(
    client.search_users, InstanceId=INSTANCE,
    SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "b", "ComparisonType": "CONTAINS"}})
check("CONTAINS needs 2 to 25 characters", (code, status) == ("InvalidParameterException", 400), (code, status))

groups = client.search_user_hierarchy_groups(InstanceId=INSTANCE)["UserHierarchyGroups"]
roots = [g for g in groups if g["LevelId"] == "0"]
listed_groups = client.list_user_hierarchy_groups(InstanceId=INSTANCE)["UserHierarchyGroupSummaryList"]
check("root hierarchy group: searchable, not listed",
      len(roots) == 1 and roots[0]["HierarchyPath"] == {} and roots[0]["Id"] not in [g["Id"] for g in listed_groups], roots)

# NextTokens are opaque and bound to the query that made them.
by_name = {"StringCondition": {"FieldName": "Username", "Value": "o", "ComparisonType": "STARTS_WITH"}}
first = client.search_users(InstanceId=INSTANCE, MaxResults=1)
token = first["NextToken"]
code, status = error_code(client.search_users, InstanceId=INSTANCE, SearchCriteria=by_name, NextToken=token)
check("a NextToken only pages its own query", (code, status) == ("InvalidParameterException", 400), (code, status))
code, status = error_code(client.list_users, InstanceId=INSTANCE, NextToken=token)
check("a NextToken only pages its own API", (code, status) == ("InvalidParameterException", 400), (code, status))
second = client.search_users(InstanceId=INSTANCE, MaxResults=5, NextToken=token)
check("a NextToken pages on with another page size", len(second["Users"]) >= 1, second)

# Search lags behind writes when asked to; Describe and List do not.
sim("PUT", "/_sim/settings", {"searchLagMs": 300})
late = client.create_user(**new_user(Username="late.user", IdentityInfo={"FirstName": "La", "LastName": "Te"}))
late_query = {"StringCondition": {"FieldName": "resourceId", "Value": late["UserId"], "ComparisonType": "EXACT"}}
unseen = client.search_users(InstanceId=INSTANCE, SearchCriteria=late_query)
described = client.describe_user(InstanceId=INSTANCE, UserId=late["UserId"])["User"]
check("search lags, describe does not", unseen["ApproximateTotalCount"] == 0 and described["Username"] == "late.user", unseen)
time.sleep(0.4)
seen = client.search_users(InstanceId=INSTANCE, SearchCriteria=late_query)
check("search catches up after the lag", [u["Id"] for u in seen["Users"]] == [late["UserId"]], seen)
check("settings report the lag", sim("GET", "/_sim/settings")["searchLagMs"] == 300)
sim("PUT", "/_sim/settings", {"searchLagMs": 0})

# Quick connects, and DeleteUser leaving them to the caller.
qc = client.create_quick_connect(
    InstanceId=INSTANCE, Name="To Boto", Description="transfer to the boto user",
    QuickConnectConfig={"QuickConnectType": "USER", "UserConfig": {"UserId": user_id, "ContactFlowId": "flow-1"}},
    Tags={"scim:user": "b-1"},
)
check("create quick connect", qc["QuickConnectARN"].endswith("/transfer-destination/" + qc["QuickConnectId"]), qc)
client.create_quick_connect(
    InstanceId=INSTANCE, Name="Front desk",
    QuickConnectConfig={"QuickConnectType": "PHONE_NUMBER", "PhoneConfig": {"PhoneNumber": "+12065550100"}},
)
code, status = error_code(
    client.create_quick_connect, InstanceId=INSTANCE, Name="Ghost",
    QuickConnectConfig={"QuickConnectType": "USER", "UserConfig": {"UserId": "no-such-user", "ContactFlowId": "flow-1"}})
check("quick connect to an unknown user", (code, status) == ("ResourceNotFoundException", 404), (code, status))
code, status = error_code(
    client.create_quick_connect, InstanceId=INSTANCE, Name="To Boto",
    QuickConnectConfig={"QuickConnectType": "PHONE_NUMBER", "PhoneConfig": {"PhoneNumber": "+12065550101"}})
check("quick connect names are unique", (code, status) == ("DuplicateResourceException", 409), (code, status))
users_only = client.list_quick_connects(InstanceId=INSTANCE, QuickConnectTypes=["USER"])["QuickConnectSummaryList"]
check("list quick connects by type", [(q["Name"], q["QuickConnectType"]) for q in users_only] == [("To Boto", "USER")], users_only)
found = client.search_quick_connects(
    InstanceId=INSTANCE, SearchCriteria={"StringCondition": {"FieldName": "name", "Value": "to boto", "ComparisonType": "EXACT"}})
check("search quick connects returns whole quick connects",
      [q["QuickConnectConfig"]["UserConfig"]["UserId"] for q in found["QuickConnects"]] == [user_id]
      and found["ApproximateTotalCount"] == 1, found)

client.delete_user(InstanceId=INSTANCE, UserId=user_id)
code, status = error_code(client.describe_user, InstanceId=INSTANCE, UserId=user_id)
check("deleted user is gone", (code, status) == ("ResourceNotFoundException", 404), (code, status))
kept = client.describe_quick_connect(InstanceId=INSTANCE, QuickConnectId=qc["QuickConnectId"])["QuickConnect"]
check("DeleteUser leaves the user's quick connect", kept["QuickConnectConfig"]["UserConfig"]["UserId"] == user_id, kept)
client.delete_quick_connect(InstanceId=INSTANCE, QuickConnectId=qc["QuickConnectId"])
code, status = error_code(client.describe_quick_connect, InstanceId=INSTANCE, QuickConnectId=qc["QuickConnectId"])
check("deleted quick connect is gone", (code, status) == ("ResourceNotFoundException", 404), (code, status))

sim("PUT", "/_sim/settings", {"rate": quota["rate"], "burst": quota["burst"]})
stats = sim("GET", "/_sim/stats")["operations"]
check("new operations are counted", all(stats[op]["calls"] >= 1 for op in (
    "DescribeInstance", "CreateQuickConnect", "DescribeQuickConnect", "DeleteQuickConnect",
    "ListQuickConnects", "SearchQuickConnects")), stats)

summary("boto3 simulator checks")
