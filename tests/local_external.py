"""SCIM served by `make local` over a standalone simulator, read back from that
simulator with boto3 (tests/local_external.sh starts both)."""

import json
import os
import urllib.request

from simclient import check, connect_client, summary

SCIM, TOKEN, INSTANCE = os.environ["SCIM_URL"], os.environ["SCIM_TOKEN"], os.environ["CONNECT_INSTANCE_ID"]
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
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


status, user = scim("POST", "/Users", {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "ext.user@example.com",
    "name": {"givenName": "Ext", "familyName": "User"},
    "emails": [{"value": "ext.user@example.com", "primary": True}],
})
check("POST /Users answers 201", status == 201, (status, user))
agent = connect.describe_user(InstanceId=INSTANCE, UserId=user["id"])["User"]
check("the standalone simulator holds the user", agent["Username"] == "ext.user@example.com", agent)
check("tagged as the bridge's", agent.get("Tags", {}).get("scim:managed") == "true", agent.get("Tags"))
check("SAML: the email is the SecondaryEmail", agent["IdentityInfo"].get("SecondaryEmail") == "ext.user@example.com", agent["IdentityInfo"])
status, _ = scim("DELETE", f"/Users/{user['id']}")
gone = connect.list_users(InstanceId=INSTANCE)["UserSummaryList"]
check("DELETE removes it from the standalone simulator", status == 204 and all(u["Id"] != user["id"] for u in gone), status)

summary("make local over an external Connect")
