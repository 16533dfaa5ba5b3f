import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

/**
 * Amazon Connect instance IDs are lowercase UUIDs, e.g.
 * `aaaaaaaa-bbbb-cccc-dddd-111111111111` (the last segment of the instance ARN).
 * Used both for client-side validation of the `instanceId` context value and as
 * the CloudFormation `AllowedPattern` of the `ConnectInstanceId` parameter.
 */
export const CONNECT_INSTANCE_ID_PATTERN =
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const CONNECT_INSTANCE_ID_REGEX = new RegExp(CONNECT_INSTANCE_ID_PATTERN);

/**
 * Validates an optional Amazon Connect instance ID (for example a raw CDK context
 * value). Returns `undefined` when the value is absent and throws a descriptive
 * Error when it is present but malformed.
 */
export function parseConnectInstanceId(value: unknown, source = 'instanceId'): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string' || !CONNECT_INSTANCE_ID_REGEX.test(value)) {
    throw new Error(
      `Invalid ${source} ${JSON.stringify(value)}: expected an Amazon Connect instance ID ` +
        `(a lowercase UUID such as aaaaaaaa-bbbb-cccc-dddd-111111111111, ` +
        `matching ${CONNECT_INSTANCE_ID_PATTERN}).`,
    );
  }
  return value;
}

export interface ScimConnectStackProps extends StackProps {
  /**
   * ID of the Amazon Connect instance that users are provisioned into.
   *
   * @default - not fixed at synth time: the template takes a
   *   `ConnectInstanceId` CloudFormation parameter instead.
   */
  readonly connectInstanceId?: string;
}

/**
 * SCIM provisioning bridge for Amazon Connect.
 *
 * Walking skeleton: for now the stack only resolves which Connect instance it
 * targets and exposes that instance's ARN. The API Gateway, the Lambda
 * authorizer and the Rust Lambdas are added here later.
 */
export class ScimConnectStack extends Stack {
  /** The Connect instance ID: a literal, or a reference to the `ConnectInstanceId` parameter. */
  public readonly connectInstanceId: string;

  /** ARN of the target Amazon Connect instance in this stack's partition, region and account. */
  public readonly connectInstanceArn: string;

  constructor(scope: Construct, id: string, props: ScimConnectStackProps = {}) {
    super(scope, id, {
      description: 'SCIM provisioning bridge for Amazon Connect',
      ...props,
    });

    const fromProps = parseConnectInstanceId(props.connectInstanceId, 'connectInstanceId');
    this.connectInstanceId =
      fromProps ??
      new CfnParameter(this, 'ConnectInstanceId', {
        type: 'String',
        description: 'ID of the Amazon Connect instance to provision users into (the UUID at the end of the instance ARN).',
        allowedPattern: CONNECT_INSTANCE_ID_PATTERN,
        constraintDescription: 'must be an Amazon Connect instance ID: a lowercase UUID such as aaaaaaaa-bbbb-cccc-dddd-111111111111',
      }).valueAsString;

    this.connectInstanceArn = this.formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: this.connectInstanceId,
    });

    new CfnOutput(this, 'ConnectInstanceArn', {
      description: 'ARN of the Amazon Connect instance this stack provisions users into',
      value: this.connectInstanceArn,
    });
  }
}
