"""scripts/token_ops.py without AWS: every call it makes is answered by botocore's
Stubber, which also fails the test on any call it did not expect (or with
other parameters). Run: .venv/bin/python tests/test_token_script.py
"""

import importlib.util
import io
import pathlib
import unittest

import boto3
from botocore.stub import ANY, Stubber

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Loaded by path: scripts/ is not a package.
_spec = importlib.util.spec_from_file_location("token_script", ROOT / "scripts" / "token_ops.py")
token_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(token_script)

STACK = "ScimConnectStack"
SECRET = "TokenSecret-abc"
FUNCTION = "ScimConnectStack-AuthorizerFunction-xyz"
API, STAGE = "a1b2c3d4e5", "prod"
# Secrets Manager version ids are 32 to 64 characters.
CUR, PREV, NEW, OLD = (f"{n}-0000-4000-8000-000000000000".rjust(36, "0") for n in ("cur", "prev", "new", "old"))
OUTPUTS = {
    "TokenSecretName": SECRET,
    "AuthorizerFunctionName": FUNCTION,
    "RestApiId": API,
    "StageName": STAGE,
}


class StubSession:
    """A boto3 session whose clients are stubbed; one client per service."""

    def __init__(self):
        real = boto3.Session(region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
        self.clients = {name: real.client(name) for name in ("cloudformation", "secretsmanager", "lambda", "apigateway")}
        self.stubs = {name: Stubber(client) for name, client in self.clients.items()}

    def client(self, name):
        return self.clients[name]

    def __enter__(self):
        for stub in self.stubs.values():
            stub.activate()
        return self

    def __exit__(self, *exc):
        for stub in self.stubs.values():
            stub.deactivate()
        if exc[0] is None:
            for stub in self.stubs.values():
                stub.assert_no_pending_responses()


def stack(session, outputs=OUTPUTS):
    session.stubs["cloudformation"].add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": STACK,
                    "CreationTime": "2024-01-01T00:00:00Z",
                    "StackStatus": "CREATE_COMPLETE",
                    "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()],
                }
            ]
        },
        {"StackName": STACK},
    )


def versions(session, stages):
    session.stubs["secretsmanager"].add_response(
        "describe_secret", {"Name": SECRET, "VersionIdsToStages": stages}, {"SecretId": SECRET}
    )


def new_token(session, version=NEW):
    sm = session.stubs["secretsmanager"]
    sm.add_response(
        "get_random_password",
        {"RandomPassword": "N" * 64},
        {"PasswordLength": 64, "ExcludePunctuation": True, "IncludeSpace": False},
    )
    sm.add_response("put_secret_value", {"Name": SECRET, "VersionId": version}, {"SecretId": SECRET, "SecretString": "N" * 64})


def remove_previous(session, version):
    session.stubs["secretsmanager"].add_response(
        "update_secret_version_stage",
        {"Name": SECRET},
        {"SecretId": SECRET, "VersionStage": "AWSPREVIOUS", "RemoveFromVersionId": version},
    )


def flush(session):
    lam = session.stubs["lambda"]
    lam.add_response(
        "get_function_configuration",
        {"FunctionName": FUNCTION, "RevisionId": "rev-1", "Environment": {"Variables": {"TOKEN_SECRET_ARN": "arn", "TOKEN_CACHE_SECONDS": "60"}}},
        {"FunctionName": FUNCTION},
    )
    lam.add_response(
        "update_function_configuration",
        {"FunctionName": FUNCTION},
        {
            "FunctionName": FUNCTION,
            "RevisionId": "rev-1",
            # The rest of the environment is kept; only the generation is new.
            "Environment": {"Variables": {"TOKEN_SECRET_ARN": "arn", "TOKEN_CACHE_SECONDS": "60", "TOKEN_GENERATION": ANY}},
        },
    )
    lam.add_response(
        "get_function_configuration", {"FunctionName": FUNCTION, "LastUpdateStatus": "Successful"}, {"FunctionName": FUNCTION}
    )
    session.stubs["apigateway"].add_response("flush_stage_authorizers_cache", {}, {"restApiId": API, "stageName": STAGE})


def run(session, *argv):
    out, err = io.StringIO(), io.StringIO()
    ops_cls = token_script.TokenOps

    class Captured(ops_cls):
        def __init__(self, s, st):
            super().__init__(s, st, out=out, err=err)

    token_script.TokenOps = Captured
    try:
        code = token_script.main(list(argv), session=session)
    finally:
        token_script.TokenOps = ops_cls
    return code, out.getvalue(), err.getvalue()


class TokenScript(unittest.TestCase):
    def test_show_prints_the_current_token(self):
        with StubSession() as s:
            stack(s)
            s.stubs["secretsmanager"].add_response(
                "get_secret_value", {"Name": SECRET, "SecretString": "T" * 64}, {"SecretId": SECRET}
            )
            code, out, _ = run(s, "show")
        self.assertEqual(code, 0)
        self.assertEqual(out.strip(), "T" * 64)

    def test_rotate_keeps_the_old_token_and_flushes_nothing(self):
        with StubSession() as s:
            stack(s)
            versions(s, {CUR: ["AWSCURRENT"]})
            new_token(s)
            code, out, err = run(s, "rotate")
        self.assertEqual(code, 0)
        self.assertIn("AWSPREVIOUS", out)
        self.assertEqual(err, "")

    def test_rotate_refuses_to_displace_a_live_previous_token(self):
        with StubSession() as s:
            stack(s)
            versions(s, {CUR: ["AWSCURRENT"], PREV: ["AWSPREVIOUS"]})
            code, _, err = run(s, "rotate")  # no put_secret_value stubbed: any write would fail the test
        self.assertEqual(code, 1)
        self.assertIn(PREV, err)
        self.assertIn("FORCE=1", err)

    def test_forced_rotate_warns_then_flushes_the_caches(self):
        with StubSession() as s:
            stack(s)
            versions(s, {CUR: ["AWSCURRENT"], PREV: ["AWSPREVIOUS"]})
            new_token(s)
            flush(s)
            code, _, err = run(s, "rotate", "--force")
        self.assertEqual(code, 0)
        self.assertIn(PREV, err)
        self.assertIn("stops being accepted now", err)

    def test_retire_removes_the_previous_token_then_flushes_both_caches(self):
        with StubSession() as s:
            stack(s)
            versions(s, {CUR: ["AWSCURRENT"], PREV: ["AWSPREVIOUS"]})
            remove_previous(s, PREV)
            flush(s)
            code, out, _ = run(s, "retire")
        self.assertEqual(code, 0)
        self.assertIn("Caches flushed", out)

    def test_retire_without_a_previous_token_changes_nothing(self):
        with StubSession() as s:
            stack(s)
            versions(s, {CUR: ["AWSCURRENT"]})
            code, out, _ = run(s, "retire")
        self.assertEqual(code, 0)
        self.assertIn("No previous token", out)

    def test_revoke_rotates_retires_at_once_and_flushes(self):
        with StubSession() as s:
            stack(s)
            new_token(s)
            # After put_secret_value the old current is AWSPREVIOUS: it goes too.
            versions(s, {NEW: ["AWSCURRENT"], OLD: ["AWSPREVIOUS"]})
            remove_previous(s, OLD)
            flush(s)
            code, out, _ = run(s, "revoke")
        self.assertEqual(code, 0)
        self.assertIn("Revoked", out)

    def test_an_older_stack_without_the_outputs_is_told_the_caches_were_not_flushed(self):
        with StubSession() as s:
            stack(s, {"TokenSecretName": SECRET})
            versions(s, {CUR: ["AWSCURRENT"], PREV: ["AWSPREVIOUS"]})
            remove_previous(s, PREV)
            code, _, err = run(s, "retire")
        self.assertEqual(code, 0)
        self.assertIn("caches were not flushed", err)

    def test_no_stack_output_no_action(self):
        with StubSession() as s:
            stack(s, {})
            with self.assertRaises(SystemExit) as stop:
                run(s, "show")
        self.assertIn("TokenSecretName", str(stop.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
