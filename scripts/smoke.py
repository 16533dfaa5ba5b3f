"""After a deploy: proves the tenant URL and token work, as an IdP would use them.

    python scripts/smoke.py [--base URL] [--region REGION] [--stack ScimConnectStack]

The token comes from SMOKE_TOKEN with --base (make smoke BASE=… TOKEN=…);
without either, the URL and token are the deployed stack's (outputs
SCIMProvisioningTenantURL and TokenSecretName, read with your AWS credentials).

Steps, in order, stopping at the first failure: discovery
(ServiceProviderConfig, Schemas), a wrong token (401), GET /Groups, then a
throwaway user: create, read by userName filter, PATCH displayName,
deprovision (PATCH active=false), read it back (404 in DEPROVISION_MODE=delete,
active=false in disable). The user is deleted at the end whatever happened.
Its userName, scim-smoke-<6 hex digits>, fits every identity type's rules (20
characters at most on CONNECT_MANAGED instances); it also carries a random
password, which only CONNECT_MANAGED instances use (and require).

Prints a table (step, result, detail) and the Connect user id it touched;
exits 1 naming the failing step. Standard library only, and boto3 to read
the stack.
"""

import argparse
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class StepFailed(Exception):
    """A step's answer was not what an IdP needs."""


class Client:
    def __init__(self, base, token, timeout=30):
        self.base = base.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, method, path, body=None, token=None):
        """(status, parsed body or None); a transport failure is a StepFailed."""
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {token or self.token}", "Content-Type": "application/scim+json",
                     "Accept": "application/scim+json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as r:
                return r.status, parse(r.read())
        except urllib.error.HTTPError as e:
            return e.code, parse(e.read())
        except (urllib.error.URLError, OSError) as e:
            raise StepFailed(f"{method} {self.base}{path}: no answer ({getattr(e, 'reason', e)})") from e


def parse(raw):
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def expect(status, body, wanted, what):
    if status != wanted:
        detail = (body or {}).get("detail") if isinstance(body, dict) else None
        raise StepFailed(f"{what}: HTTP {status}, expected {wanted}" + (f" ({detail})" if detail else ""))
    return body


class Smoke:
    def __init__(self, client):
        self.client = client
        suffix = secrets.token_hex(3)
        self.user_name = f"scim-smoke-{suffix}"
        self.email = f"scim-smoke-{suffix}@example.invalid"
        self.user_id = None
        self.create_sent = False
        self.rows = []

    def discovery(self):
        config = expect(*self.client.call("GET", "/ServiceProviderConfig"), 200, "GET /ServiceProviderConfig")
        schemas = expect(*self.client.call("GET", "/Schemas"), 200, "GET /Schemas")
        ids = {s.get("id") for s in (schemas or {}).get("Resources", [])}
        if USER_SCHEMA not in ids:
            raise StepFailed(f"GET /Schemas lists no {USER_SCHEMA}")
        return f"patch {config.get('patch', {}).get('supported')}, {len(ids)} schemas"

    def wrong_token(self):
        wrong = secrets.token_hex(32)  # 64 letters and digits: shaped like the real one
        expect(*self.client.call("GET", "/Users?count=1", token=wrong), 401, "GET /Users with a wrong token")
        return "401"

    def groups(self):
        body = expect(*self.client.call("GET", "/Groups?count=10"), 200, "GET /Groups")
        return f"{body.get('totalResults')} groups"

    def create(self):
        user = {
            "schemas": [USER_SCHEMA],
            "userName": self.user_name,
            "name": {"givenName": "Scim", "familyName": "Smoke"},
            "displayName": "SCIM smoke test (safe to delete)",
            "emails": [{"value": self.email, "type": "work", "primary": True}],
            "password": "Sm0ke-" + secrets.token_hex(8) + "A",
            "active": True,
        }
        self.create_sent = True
        body = expect(*self.client.call("POST", "/Users", user), 201, "POST /Users")
        self.user_id = body["id"]
        return f"userName {self.user_name}"

    def find(self, attempts=10):
        """The user, by userName filter; Connect's search index trails writes, so it is asked again for 10 s."""
        query = urllib.parse.quote(f'userName eq "{self.user_name}"')
        for attempt in range(attempts):
            body = expect(*self.client.call("GET", f"/Users?filter={query}"), 200, "GET /Users?filter=userName eq …")
            found = [u["id"] for u in body.get("Resources", [])]
            if found:
                return found[0]
            if attempt + 1 < attempts:
                time.sleep(1)
        return None

    def read(self):
        found = self.find()
        if found != self.user_id:
            raise StepFailed(f"the filter found {found}, not {self.user_id}")
        return "found by the filter"

    def patch(self):
        change = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "displayName", "value": "SCIM smoke test (patched)"}]}
        body = expect(*self.client.call("PATCH", f"/Users/{self.user_id}", change), 200, "PATCH displayName")
        if body.get("displayName") != "SCIM smoke test (patched)":
            raise StepFailed(f"PATCH answered displayName {body.get('displayName')!r}")
        return "displayName replaced"

    def deprovision(self):
        change = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "active", "value": False}]}
        body = expect(*self.client.call("PATCH", f"/Users/{self.user_id}", change), 200, "PATCH active=false")
        if body.get("active") is not False:
            raise StepFailed(f"PATCH active=false answered active {body.get('active')!r}")
        status, body = self.client.call("GET", f"/Users/{self.user_id}")
        if status == 404:
            return "then 404: DEPROVISION_MODE=delete"
        if status == 200 and body.get("active") is False:
            return "then active=false: DEPROVISION_MODE=disable"
        raise StepFailed(f"GET after deprovisioning: HTTP {status}, active {(body or {}).get('active')!r}; expected 404 or active=false")

    def cleanup(self):
        if not self.create_sent:
            return "nothing to delete"
        # A create whose answer was lost may still have made the user.
        user_id = self.user_id or self.find(attempts=3)
        if user_id is None:
            return "nothing to delete"
        status, body = self.client.call("DELETE", f"/Users/{user_id}")
        if status == 204:
            return f"deleted {user_id}"
        if status == 404:
            return "already gone"
        raise StepFailed(f"DELETE /Users/{user_id}: HTTP {status}; delete the user {self.user_name} in Connect by hand")

    def run(self):
        steps = [("discovery", self.discovery), ("wrong token refused", self.wrong_token), ("read groups", self.groups),
                 ("create user", self.create), ("read by userName", self.read), ("PATCH displayName", self.patch),
                 ("deprovision", self.deprovision)]
        failed = None
        for name, step in steps:
            if failed:
                self.rows.append((name, "not run", ""))
                continue
            failed = self.attempt(name, step)
        cleanup_failed = self.attempt("cleanup", self.cleanup)
        return failed or cleanup_failed

    def attempt(self, name, step):
        """Runs one step into the table; its name when it failed."""
        try:
            self.rows.append((name, "pass", step()))
            return None
        except (StepFailed, KeyError, AttributeError, TypeError) as e:
            self.rows.append((name, "FAIL", str(e) or type(e).__name__))
            return name

    def print(self):
        width = max(len(r[0]) for r in self.rows)
        print(f"{'step':{width}}  {'result':7}  detail")
        for name, result, detail in self.rows:
            print(f"{name:{width}}  {result:7}  {detail}")
        print(f"\nConnect user id: {self.user_id or '-'} (userName {self.user_name})")


def from_stack(stack, region):
    """The tenant URL and token of the deployed stack."""
    import boto3  # only here: BASE=… TOKEN=… needs no AWS at all

    session = boto3.Session(region_name=region or os.environ.get("AWS_REGION") or None)
    stacks = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    secret = session.client("secretsmanager").get_secret_value(SecretId=outputs["TokenSecretName"])
    return outputs["SCIMProvisioningTenantURL"], secret["SecretString"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the SCIM base URL, ending in /scim/v2 (token in SMOKE_TOKEN)")
    parser.add_argument("--region")
    parser.add_argument("--stack", default="ScimConnectStack")
    args = parser.parse_args(argv)
    token = os.environ.get("SMOKE_TOKEN", "").strip()
    if bool(args.base) != bool(token):
        print("make smoke: give both BASE=<…/scim/v2> and TOKEN=<bearer token>, or neither (the stack's are used)", file=sys.stderr)
        return 2
    base = args.base
    if not base:
        try:
            base, token = from_stack(args.stack, args.region)
        except Exception as e:  # noqa: BLE001 - any failure here means the same fix
            print(f"make smoke: could not read stack {args.stack}'s outputs and token ({e}); "
                  "pass REGION=<its region>, or BASE=… TOKEN=…", file=sys.stderr)
            return 2
    print(f"SCIM endpoint {base}\n")
    smoke = Smoke(Client(base, token))
    failed = smoke.run()
    smoke.print()
    if failed:
        print(f"make smoke: FAILED at step '{failed}'", file=sys.stderr)
        return 1
    print("make smoke: all steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
