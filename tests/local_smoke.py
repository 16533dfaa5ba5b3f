"""The walking skeleton's promise, checked from the outside.

Against a running `make local` (default DEPROVISION_MODE=delete): a curl-style
POST of a user in department "Sales" answers 201; the simulator, read with
boto3 (an independent Connect client), holds that user with security profile
Agent, routing profile "Basic Routing Profile" and the email; a lookup by
userName finds it; PATCH active=false removes it from Connect.
"""

import os
import sys
import urllib.parse

from simclient import check, connect_client, scim, summary, wait_searchable

INSTANCE = os.environ["CONNECT_INSTANCE_ID"]
connect = connect_client()


def connect_user(user_id):
    """The Connect user, read by id: DescribeUser is consistent, while a search
    trails writes (the simulator lags its index by a second, as Connect does)."""
    try:
        return connect.describe_user(InstanceId=INSTANCE, UserId=user_id)["User"]
    except connect.exceptions.ResourceNotFoundException:
        return None


status, headers, user = scim(
    "POST",
    "/Users",
    {
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        ],
        "userName": "jane.doe@example.com",
        "name": {"givenName": "Jane", "familyName": "Doe"},
        "emails": [{"value": "jane.doe@example.com", "type": "work", "primary": True}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"},
    },
)
check("POST /Users answers 201 with Location", status == 201 and headers.get("location", "").endswith(user["id"]), (status, user))

profiles = {p["Id"]: p["Name"] for p in connect.list_security_profiles(InstanceId=INSTANCE)["SecurityProfileSummaryList"]}
routing = {p["Id"]: p["Name"] for p in connect.list_routing_profiles(InstanceId=INSTANCE)["RoutingProfileSummaryList"]}
agent = connect_user(user["id"])
check("Connect holds the user under the SCIM id", agent is not None and agent["Id"] == user["id"], agent)
check("security profile Agent", [profiles[i] for i in agent["SecurityProfileIds"]] == ["Agent"], agent["SecurityProfileIds"])
check("routing profile Basic Routing Profile", routing[agent["RoutingProfileId"]] == "Basic Routing Profile")
# A SAML instance refuses IdentityInfo.Email: the SCIM email is the SecondaryEmail.
check("email", agent["IdentityInfo"].get("SecondaryEmail") == "jane.doe@example.com" and "Email" not in agent["IdentityInfo"], agent["IdentityInfo"])
check("names", (agent["IdentityInfo"]["FirstName"], agent["IdentityInfo"]["LastName"]) == ("Jane", "Doe"))

status, _, found = scim("GET", '/Users?filter=userName%20eq%20%22Jane.Doe%40example.com%22')
check("lookup by userName ignores case", status == 200 and found["totalResults"] == 1 and found["Resources"][0]["id"] == user["id"], found)

status, _, patched = scim(
    "PATCH",
    f"/Users/{user['id']}",
    {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": False}]},
)
check("PATCH active=false answers 200 with the resource", status == 200 and patched["active"] is False, (status, patched))
check("the Connect user is removed", connect_user(user["id"]) is None)
status, _, error = scim("GET", f"/Users/{user['id']}")
check("later reads are a SCIM 404", status == 404 and error["status"] == "404", error)

# A filter of thousands of terms makes a request line past API Gateway's
# 10,240 bytes: refused like every other refusal, with a SCIM Error body.
terms = " or ".join(f'userName eq "user{i}@example.com"' for i in range(3000))
status, headers, error = scim("GET", "/Users?filter=" + urllib.parse.quote(terms))
check(
    "an over-long request line is a SCIM 414",
    status == 414
    and error.get("status") == "414"
    and error.get("schemas") == ["urn:ietf:params:scim:api:messages:2.0:Error"],
    (status, error),
)
status, _, _ = scim("GET", "/Users?count=1")
check("the server still answers after it", status == 200)

# The managed-user boundary: a user made in the console (as the instance's
# own administrators are) is read but never changed, until adopted on purpose
# with scripts/adopt.py (make adopt-user), run here as an admin would.
routing_id = next(i for i, n in routing.items() if n == "Basic Routing Profile")
profile_id = {n: i for i, n in profiles.items()}


def console_user(name, profile):
    return connect.create_user(
        InstanceId=INSTANCE,
        Username=name,
        IdentityInfo={"FirstName": "Con", "LastName": "Sole"},
        PhoneConfig={"PhoneType": "SOFT_PHONE"},
        SecurityProfileIds=[profile_id[profile]],
        RoutingProfileId=routing_id,
    )["UserId"]


console_id = console_user("console.agent", "Agent")
admin_id = console_user("console.admin", "Admin")
deactivate = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": False}]}
status, _, error = scim("PATCH", f"/Users/{console_id}", deactivate)
check("an unmanaged user is refused with a SCIM 403", status == 403 and error["status"] == "403" and "scim:managed" in error["detail"], (status, error))
status, _, error = scim("DELETE", f"/Users/{admin_id}")
check("the instance's admin cannot be deleted", status == 403 and connect_user(admin_id) is not None, (status, error))
status, _, error = scim("POST", "/Groups", {"displayName": "Admin", "members": []})
check("a group named Admin is refused (not assignable by default)", status == 403 and "ASSIGNABLE_SECURITY_PROFILES" in error["detail"], (status, error))

import subprocess  # noqa: E402  (only this part runs the script)

for name in ("console.agent", "console.admin"):
    wait_searchable(connect, INSTANCE, name)
env = dict(os.environ, AWS_ENDPOINT_URL_CONNECT=os.environ["CONNECT_ENDPOINT"], AWS_ACCESS_KEY_ID="AKIDSIM",
           AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION="us-east-1")
adopt = [sys.executable, os.path.join(os.path.dirname(__file__), "..", "scripts", "adopt.py"), "--instance-id", INSTANCE]
run = subprocess.run(adopt + ["console.agent", "console.admin", "nobody.here"], env=env, capture_output=True, text=True)
check(
    "adopt-user tags the agent, skips the admin and reports the missing one (exit 1)",
    run.returncode == 1 and "adopted" in run.stdout and "holds Admin" in run.stdout and "not found" in run.stdout,
    (run.returncode, run.stdout, run.stderr),
)
status, _, patched = scim("PATCH", f"/Users/{console_id}", deactivate)
check("the adopted user is the IdP's: deprovisioning deletes it", status == 200 and connect_user(console_id) is None, (status, patched))
# Upgrading from a version before the tag: users its CreateUser made carry
# scim:createToken but not scim:managed; --made-by-the-bridge adopts exactly those.
legacy = connect.create_user(
    InstanceId=INSTANCE, Username="legacy.agent", IdentityInfo={"FirstName": "Leg", "LastName": "Acy"},
    PhoneConfig={"PhoneType": "SOFT_PHONE"}, SecurityProfileIds=[profile_id["Agent"]], RoutingProfileId=routing_id,
    Tags={"scim:createToken": "0123456789abcdef0123456789abcdef"},
)["UserId"]
wait_searchable(connect, INSTANCE, "legacy.agent")
run = subprocess.run(adopt + ["--made-by-the-bridge"], env=env, capture_output=True, text=True)
check(
    "adopt --made-by-the-bridge marks the user an earlier version made, and only it",
    run.returncode == 0 and "1 users made by an earlier version" in run.stdout and "legacy.agent" in run.stdout
    and (connect_user(legacy) or {}).get("Tags", {}).get("scim:managed") == "true",
    (run.returncode, run.stdout, run.stderr),
)
check("the skipped admin is untouched", (connect_user(admin_id) or {}).get("Tags", {}).get("scim:managed") is None)

# Routing-ready agents: an admin's predefined attribute, a user created with
# proficiencies and a per-channel setting, read back by boto3 with exactly
# those levels; a level change through a filtered PATCH path.
EXT = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User"
connect.create_predefined_attribute(InstanceId=INSTANCE, Name="Language", Values={"StringList": ["English", "Spanish"]})
status, _, skilled = scim(
    "POST",
    "/Users",
    {
        "userName": "routing.ready",
        "name": {"givenName": "Rosa", "familyName": "Ready"},
        EXT: {
            "proficiencies": [{"attributeName": "Language", "attributeValue": "Spanish", "level": 4}],
            "channelConfigs": [{"channel": "CHAT", "autoAccept": True}],
        },
    },
)
check("POST /Users with proficiencies answers 201", status == 201, (status, skilled))


def proficiencies(user_id):
    held = connect.list_user_proficiencies(InstanceId=INSTANCE, UserId=user_id)["UserProficiencyList"]
    return sorted((p["AttributeName"], p["AttributeValue"], p["Level"]) for p in held)


check("boto3 reads back exactly the proficiencies and levels", proficiencies(skilled["id"]) == [("Language", "Spanish", 4.0)], proficiencies(skilled["id"]))
chat = [c for c in connect_user(skilled["id"])["AutoAcceptConfigs"] if c["Channel"] == "CHAT"]
check("boto3 reads back the CHAT auto-accept", [c["AutoAccept"] for c in chat] == [True], chat)
status, _, _ = scim(
    "PATCH",
    f"/Users/{skilled['id']}",
    {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": f'{EXT}:proficiencies[attributeName eq "Language"].level', "value": 2}],
    },
)
check("a filtered PATCH changes the level", status == 200 and proficiencies(skilled["id"]) == [("Language", "Spanish", 2.0)], proficiencies(skilled["id"]))

summary("local smoke checks")
