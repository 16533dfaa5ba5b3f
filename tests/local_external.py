"""SCIM served by `make local` over a standalone simulator, read back from that
simulator with boto3 (tests/local_external.sh starts both)."""

import os

from simclient import check, connect_client, scim, summary

INSTANCE = os.environ["CONNECT_INSTANCE_ID"]
connect = connect_client()


status, _, user = scim("POST", "/Users", {
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
status, _, _ = scim("DELETE", f"/Users/{user['id']}")
gone = connect.list_users(InstanceId=INSTANCE)["UserSummaryList"]
check("DELETE removes it from the standalone simulator", status == 204 and all(u["Id"] != user["id"] for u in gone), status)

summary("make local over an external Connect")
