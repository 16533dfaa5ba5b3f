"""`make smoke` held to its promise, against a running `make local` (tests/with-local.sh).

It passes against a working server (in whichever DEPROVISION_MODE it runs)
and leaves no test user behind; it fails, exiting 1 and naming the failing
step, given a wrong token, a wrong base path, or a URL where nothing answers;
and when a step fails after the user was created, the user is still deleted.
"""

import os
import subprocess
import sys

from simclient import check, connect_client, summary

HERE = os.path.dirname(os.path.abspath(__file__))
SMOKE = os.path.join(HERE, "..", "scripts", "smoke.py")
SCIM, TOKEN, INSTANCE = os.environ["SCIM_URL"], os.environ["SCIM_TOKEN"], os.environ["CONNECT_INSTANCE_ID"]
connect = connect_client()


def smoke(base, token):
    run = subprocess.run([sys.executable, SMOKE, "--base", base], env=dict(os.environ, SMOKE_TOKEN=token),
                         capture_output=True, text=True, timeout=120)
    return run.returncode, run.stdout + run.stderr


def leftovers():
    """Test users still in Connect (DescribeUser-free: the search index trails by a second)."""
    users = connect.list_users(InstanceId=INSTANCE)["UserSummaryList"]
    return [u["Username"] for u in users if u["Username"].startswith("scim-smoke-")]


rc, out = smoke(SCIM, TOKEN)
mode = os.environ.get("DEPROVISION_MODE", "delete")
check(f"passes against make local (DEPROVISION_MODE={mode})",
      rc == 0 and "make smoke: all steps passed" in out and f"DEPROVISION_MODE={mode}" in out, out)
print("\n".join("     " + line for line in out.splitlines()))
check("prints the Connect user id it touched", "Connect user id: " in out and "Connect user id: -" not in out, out)
check("the test user is gone afterwards", leftovers() == [], leftovers())

make = subprocess.run([os.environ.get("MAKE", "make"), "-s", "--no-print-directory", "smoke", f"BASE={SCIM}", f"TOKEN={TOKEN}"],
                      capture_output=True, text=True, timeout=120)
check("make smoke BASE=… TOKEN=… passes too", make.returncode == 0 and "all steps passed" in make.stdout, make.stdout + make.stderr)

rc, out = smoke(SCIM, "0" * 64)
check("a wrong token: exit 1, step 'discovery' named", rc == 1 and "FAILED at step 'discovery'" in out and "HTTP 401" in out, out)
rc, out = smoke(SCIM.replace("/scim/v2", "/nope/v2"), TOKEN)
check("a wrong base path: exit 1, step 'discovery' named", rc == 1 and "FAILED at step 'discovery'" in out and "HTTP 404" in out, out)
rc, out = smoke("http://127.0.0.1:9/scim/v2", TOKEN)
check("nothing answering: exit 1, step 'discovery' named", rc == 1 and "FAILED at step 'discovery'" in out and "no answer" in out, out)
check("nothing answering: no cleanup was attempted", "nothing to delete" in out, out)
no_token = {k: v for k, v in os.environ.items() if k != "SMOKE_TOKEN"}
run = subprocess.run([sys.executable, SMOKE, "--base", SCIM], env=no_token, capture_output=True, text=True)
check("BASE without TOKEN: exit 2, saying to give both", run.returncode == 2 and "give both" in run.stderr, run.stderr)

# A step failing after the create: the user must still be deleted.
sys.path.insert(0, os.path.dirname(SMOKE))
import smoke as module  # noqa: E402


def broken_patch(self):
    raise module.StepFailed("made to fail by the test")


original_patch = module.Smoke.patch
module.Smoke.patch = broken_patch
run = module.Smoke(module.Client(SCIM, TOKEN))
failed = run.run()
rows = {name: (result, detail) for name, result, detail in run.rows}
check("a failing PATCH is the step named", failed == "PATCH displayName", run.rows)
check("the steps after it do not run", rows["deprovision"][0] == "not run", run.rows)
check("cleanup deletes the user it created", rows["cleanup"] == ("pass", f"deleted {run.user_id}"), run.rows)
check("no test user is left in Connect", leftovers() == [], leftovers())

# Without BASE and TOKEN, make smoke reads the stack: the tenant URL from its
# outputs, the token from the secret they name. botocore's Stubber answers as
# CloudFormation and Secrets Manager would (and fails on any other call), and
# the URL and token it hands out are this server's, so the run must pass.
import boto3  # noqa: E402
from botocore.stub import Stubber  # noqa: E402

module.Smoke.patch = original_patch
RealSession = boto3.Session


class StackSession:
    def __init__(self, region_name=None):
        real = RealSession(region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
        self.clients = {name: real.client(name) for name in ("cloudformation", "secretsmanager")}
        cfn, secrets = (Stubber(self.clients[n]) for n in ("cloudformation", "secretsmanager"))
        outputs = [
            {"OutputKey": "SCIMProvisioningTenantURL", "OutputValue": SCIM},
            {"OutputKey": "TokenSecretName", "OutputValue": "TokenSecret-abc"},
        ]
        cfn.add_response(
            "describe_stacks",
            {"Stacks": [{"StackName": "ScimConnectStack", "CreationTime": "2026-01-01T00:00:00Z",
                         "StackStatus": "CREATE_COMPLETE", "Outputs": outputs}]},
            {"StackName": "ScimConnectStack"},
        )
        secrets.add_response("get_secret_value", {"SecretString": TOKEN}, {"SecretId": "TokenSecret-abc"})
        self.stubs = [cfn, secrets]
        for stub in self.stubs:
            stub.activate()

    def client(self, name):
        return self.clients[name]


sessions = []
boto3.Session = lambda region_name=None: sessions.append(StackSession(region_name)) or sessions[-1]
os.environ.pop("SMOKE_TOKEN", None)
code = module.main([])
check("from the stack's outputs and secret: passes", code == 0, code)
for stub in sessions[0].stubs:
    stub.assert_no_pending_responses()
check("no test user is left in Connect after it", leftovers() == [], leftovers())

summary("smoke checks")
