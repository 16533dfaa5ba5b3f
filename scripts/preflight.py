"""Checks before `make deploy` touches anything: credentials, region, CDK bootstrap."""

import sys

import boto3
from botocore.exceptions import BotoCoreError, ClientError

session = boto3.Session()
region = session.region_name
if not region:
    sys.exit("No AWS region: pass REGION=<region of your Connect instance> (or set AWS_REGION).")
try:
    identity = session.client("sts").get_caller_identity()
except (BotoCoreError, ClientError) as e:
    sys.exit(f"No usable AWS credentials ({e}). Configure them (aws configure, SSO or environment) and retry.")
account = identity["Account"]
try:
    session.client("cloudformation").describe_stacks(StackName="CDKToolkit")
except ClientError:
    sys.exit(
        f"The CDK is not bootstrapped in {account}/{region}. Run once:\n"
        f"  npx cdk bootstrap aws://{account}/{region}\nthen make deploy again."
    )
print(f"Deploying to account {account}, region {region}.")
