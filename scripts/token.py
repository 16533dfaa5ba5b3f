"""Token operations on a deployed stack: show, rotate, retire.

    python scripts/token.py show|rotate|retire [--region REGION] [--stack ScimConnectStack]

The secret's name comes from the stack output TokenSecretName. `rotate` makes
a new AWSCURRENT (Secrets Manager generates it: 64 characters, no
punctuation); the old token stays valid as AWSPREVIOUS, so the IdP keeps
working until you paste the new one. `retire` then removes AWSPREVIOUS. The
authorizer caches tokens for a minute and API Gateway caches its decisions for
five, so allow a few minutes either way.
"""

import argparse
import sys

import boto3


def secret_name(session, stack):
    outputs = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    for output in outputs:
        if output["OutputKey"] == "TokenSecretName":
            return output["OutputValue"]
    sys.exit(f"stack {stack} has no TokenSecretName output; is it deployed?")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["show", "rotate", "retire"])
    parser.add_argument("--region")
    parser.add_argument("--stack", default="ScimConnectStack")
    args = parser.parse_args()
    session = boto3.Session(region_name=args.region)
    secrets = session.client("secretsmanager")
    name = secret_name(session, args.stack)

    if args.action == "show":
        print(secrets.get_secret_value(SecretId=name)["SecretString"])
    elif args.action == "rotate":
        token = secrets.get_random_password(PasswordLength=64, ExcludePunctuation=True, IncludeSpace=False)["RandomPassword"]
        secrets.put_secret_value(SecretId=name, SecretString=token)
        print("New token is AWSCURRENT; the previous one stays valid as AWSPREVIOUS.")
        print("Paste the new token into your IdP (make show-token prints it), then run make retire-token.")
    else:
        versions = secrets.describe_secret(SecretId=name)["VersionIdsToStages"]
        previous = [v for v, stages in versions.items() if "AWSPREVIOUS" in stages]
        if not previous:
            print("No previous token to retire.")
            return
        secrets.update_secret_version_stage(SecretId=name, VersionStage="AWSPREVIOUS", RemoveFromVersionId=previous[0])
        print("The previous token is retired: only AWSCURRENT is accepted (within a few minutes, as caches expire).")


if __name__ == "__main__":
    main()
