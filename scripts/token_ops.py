"""Token operations on a deployed stack: show, rotate, retire, revoke.

    python scripts/token_ops.py show|rotate|retire|revoke [--force] [--region REGION] [--stack ScimConnectStack]

The secret's name comes from the stack output TokenSecretName. `rotate` makes
a new AWSCURRENT (Secrets Manager generates it: 64 characters, no
punctuation); the old token stays valid as AWSPREVIOUS, so the IdP keeps
working until you paste the new one. A second rotation would displace a
still-valid AWSPREVIOUS (Secrets Manager keeps only one), so `rotate` refuses
while there is one, unless --force. `retire` removes AWSPREVIOUS. `revoke` is
the emergency: a new AWSCURRENT and the old one dead at once, no overlap.

Whenever a token stops being valid (retire, revoke, a forced rotate) the
caches that could still accept it are emptied, so it takes effect at once:
the authorizer Lambda's warm environments, which hold the secret's values for
TOKEN_CACHE_SECONDS, are recycled (a TOKEN_GENERATION variable is set in its
environment: any configuration change starts fresh environments), then API
Gateway's cached authorizer decisions (5 minutes per token) are flushed. The
stack outputs AuthorizerFunctionName, RestApiId and StageName name them.
"""

import argparse
import sys
import time

import boto3

# A new value as the stack's secret is generated (cdk/lib/token-secret.ts).
TOKEN_SPEC = {"PasswordLength": 64, "ExcludePunctuation": True, "IncludeSpace": False}


class TokenOps:
    def __init__(self, session, stack, out=sys.stdout, err=sys.stderr):
        self.session = session
        self.stack = stack
        self.out = out
        self.err = err
        self.secrets = session.client("secretsmanager")
        self.outputs = self._outputs()
        self.name = self.outputs.get("TokenSecretName")
        if not self.name:
            raise SystemExit(f"stack {stack} has no TokenSecretName output; is it deployed?")

    def say(self, *lines):
        for line in lines:
            print(line, file=self.out)

    def warn(self, *lines):
        for line in lines:
            print(line, file=self.err)

    def _outputs(self):
        stacks = self.session.client("cloudformation").describe_stacks(StackName=self.stack)["Stacks"]
        return {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}

    def _stages(self):
        """Version id -> its staging labels."""
        return self.secrets.describe_secret(SecretId=self.name).get("VersionIdsToStages", {})

    def _previous(self):
        return [v for v, stages in self._stages().items() if "AWSPREVIOUS" in stages]

    def _new_token(self):
        token = self.secrets.get_random_password(**TOKEN_SPEC)["RandomPassword"]
        # The new version becomes AWSCURRENT; Secrets Manager moves AWSPREVIOUS
        # to the version that was current, and the older one loses it.
        return self.secrets.put_secret_value(SecretId=self.name, SecretString=token)["VersionId"]

    def _remove_previous(self, version):
        self.secrets.update_secret_version_stage(SecretId=self.name, VersionStage="AWSPREVIOUS", RemoveFromVersionId=version)

    def flush_caches(self):
        """Recycle the authorizer's warm environments, then flush API Gateway's decisions.

        In that order: a request between the two steps would otherwise be
        decided again by a warm environment still holding the old token.
        """
        function = self.outputs.get("AuthorizerFunctionName")
        api, stage = self.outputs.get("RestApiId"), self.outputs.get("StageName")
        if not (function and api and stage):
            self.warn(
                f"Warning: stack {self.stack} lacks the AuthorizerFunctionName/RestApiId/StageName outputs (deployed by an older version);",
                "caches were not flushed, so the old token may work for up to 5 minutes. Run make deploy to add them.",
            )
            return False
        lam = self.session.client("lambda")
        config = lam.get_function_configuration(FunctionName=function)
        variables = dict(config.get("Environment", {}).get("Variables", {}))
        variables["TOKEN_GENERATION"] = str(time.time_ns())
        lam.update_function_configuration(FunctionName=function, Environment={"Variables": variables}, RevisionId=config["RevisionId"])
        lam.get_waiter("function_updated").wait(FunctionName=function, WaiterConfig={"Delay": 2, "MaxAttempts": 60})
        self.session.client("apigateway").flush_stage_authorizers_cache(restApiId=api, stageName=stage)
        self.say(f"Caches flushed: authorizer {function} recycled, API Gateway {api}/{stage} decisions dropped.")
        return True

    def show(self):
        self.say(self.secrets.get_secret_value(SecretId=self.name)["SecretString"])

    def rotate(self, force):
        previous = self._previous()
        if previous:
            self.warn(
                f"A previous token is still valid (AWSPREVIOUS, version {previous[0]}): rotating now would invalidate it,",
                "and an IdP that still sends it would start failing. Paste the current token into the IdP",
                "(make show-token), run make retire-token, then rotate; or rotate anyway with FORCE=1 (--force).",
            )
            if not force:
                return 1
            self.warn(f"--force: version {previous[0]} stops being accepted now.")
        self._new_token()
        self.say(
            "New token is AWSCURRENT; the previous one stays valid as AWSPREVIOUS.",
            "Paste the new token into your IdP (make show-token prints it), then run make retire-token.",
        )
        if previous:
            self.flush_caches()
        return 0

    def retire(self):
        previous = self._previous()
        if not previous:
            self.say("No previous token to retire.")
            return 0
        self._remove_previous(previous[0])
        self.say("The previous token is retired: only AWSCURRENT is accepted.")
        self.flush_caches()
        return 0

    def revoke(self):
        self._new_token()
        for version in self._previous():
            self._remove_previous(version)
        self.say("Revoked: a new token is AWSCURRENT and no other is accepted.")
        self.flush_caches()
        self.say("Paste the new token into your IdP now (make show-token prints it); until then provisioning fails with 401.")
        return 0


def main(argv=None, session=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["show", "rotate", "retire", "revoke"])
    parser.add_argument("--force", action="store_true", help="rotate even though a still-valid AWSPREVIOUS would be displaced")
    parser.add_argument("--region")
    parser.add_argument("--stack", default="ScimConnectStack")
    args = parser.parse_args(argv)
    ops = TokenOps(session or boto3.Session(region_name=args.region), args.stack)
    if args.action == "show":
        ops.show()
        return 0
    if args.action == "rotate":
        return ops.rotate(args.force)
    if args.action == "retire":
        return ops.retire()
    return ops.revoke()


if __name__ == "__main__":
    sys.exit(main())
