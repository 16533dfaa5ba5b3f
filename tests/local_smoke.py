"""The walking skeleton's promise, checked from the outside.

Against a running `make local` (default DEPROVISION_MODE=delete): a curl-style
POST of a user in department "Sales" answers 201; the simulator, read with
boto3 (an independent Connect client), holds that user with security profile
Agent, routing profile "Basic Routing Profile" and the email; a lookup by
userName finds it; PATCH active=false removes it from Connect.
"""

import json
import os
import urllib.error
import urllib.request

from simclient import check, connect_client, summary

SCIM = os.environ["SCIM_URL"]
TOKEN = os.environ["SCIM_TOKEN"]
INSTANCE = os.environ["CONNECT_INSTANCE_ID"]
connect = connect_client()


def scim(method, path, body=None):
    request = urllib.request.Request(
        SCIM + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"},
    )
    try:
        with urllib.request.urlopen(request) as r:
            raw = r.read()
            return r.status, {k.lower(): v for k, v in r.headers.items()}, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, {k.lower(): v for k, v in e.headers.items()}, json.loads(raw) if raw else None


def connect_user(username):
    found = connect.search_users(
        InstanceId=INSTANCE,
        SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": username, "ComparisonType": "EXACT"}},
    )["Users"]
    return connect.describe_user(InstanceId=INSTANCE, UserId=found[0]["Id"])["User"] if found else None


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
agent = connect_user("jane.doe@example.com")
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
check("the Connect user is removed", connect_user("jane.doe@example.com") is None)
status, _, error = scim("GET", f"/Users/{user['id']}")
check("later reads are a SCIM 404", status == 404 and error["status"] == "404", error)

summary("local smoke checks")
