import { Duration, Stack, Token, Validations } from 'aws-cdk-lib/core';
import { CfnSecurityProfile } from 'aws-cdk-lib/aws-connect';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Architecture } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerEnvironment, type HandlerSettings } from './config';
import { RustLambda } from './rust-lambda';

/** Exactly the Connect API calls the handler makes (see lambdas/connect-directory). */
export const CONNECT_ACTIONS = [
  'connect:CreateUser',
  'connect:DescribeUser',
  'connect:SearchUsers',
  'connect:UpdateUserIdentityInfo',
  'connect:UpdateUserSecurityProfiles',
  'connect:UpdateUserRoutingProfile',
  'connect:UpdateUserPhoneConfig',
  'connect:UpdateUserHierarchy',
  'connect:DeleteUser',
  'connect:ListSecurityProfiles',
  'connect:ListRoutingProfiles',
  'connect:TagResource',
  'connect:UntagResource',
  // /Groups: groups are security profiles.
  'connect:SearchSecurityProfiles',
  'connect:DescribeSecurityProfile',
  // The Connect extension's hierarchyGroup, by name or path.
  'connect:SearchUserHierarchyGroups',
  // The instance's identity management type (SAML refuses Email), once per cold start.
  'connect:DescribeInstance',
  // DeleteUser's documentation: delete the quick connects to a deleted user.
  'connect:SearchQuickConnects',
  'connect:DeleteQuickConnect',
];

/** Only with groupsCreateSecurityProfiles: groups may make (and delete their own) profiles. */
export const GROUP_CREATE_ACTIONS = ['connect:CreateSecurityProfile', 'connect:DeleteSecurityProfile'];

/** The permission-less security profile disabled agents hold. */
export const DISABLED_PROFILE_NAME = 'SCIM-Disabled';

export interface ConnectProvisionerProps {
  /** A literal instance ID or a reference to the stack's parameter. */
  readonly instanceId: string;
  readonly architecture: Architecture;
  /** What the handler is configured with; `groupsCreateSecurityProfiles` also widens its IAM. */
  readonly settings: HandlerSettings;
  readonly reservedConcurrency: number;
  readonly logRetention: RetentionDays;
  /** CloudWatch namespace of the handler's EMF metrics. */
  readonly metricsNamespace: string;
}

/**
 * The SCIM handler Lambda, allowed exactly the Connect actions it calls on
 * the instance and its sub-resources and nothing else, plus the disabled-agent
 * security profile it relies on (owned by the stack, so `make destroy`
 * removes it too).
 */
export class ConnectProvisioner extends Construct {
  public readonly handler: RustLambda;
  public readonly instanceArn: string;

  constructor(scope: Construct, id: string, props: ConnectProvisionerProps) {
    super(scope, id);
    this.instanceArn = Stack.of(this).formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: props.instanceId,
    });
    const disabledProfile = new CfnSecurityProfile(this, 'DisabledProfile', {
      instanceArn: this.instanceArn,
      securityProfileName: DISABLED_PROFILE_NAME,
      description: 'No permissions. Held by agents their IdP deprovisioned (DEPROVISION_MODE=disable).',
      permissions: [],
    });
    this.handler = new RustLambda(this, 'Handler', {
      binaryName: 'scim-handler',
      description: 'SCIM 2.0 provisioning for Amazon Connect',
      architecture: props.architecture,
      // API Gateway gives up at 29 s; answer (429/503 + Retry-After) before that.
      timeout: Duration.seconds(25),
      memorySize: 256,
      // Concurrency is bounded: Connect's quota, not Lambda, is the limit.
      reservedConcurrentExecutions: props.reservedConcurrency,
      logRetention: props.logRetention,
      environment: {
        CONNECT_INSTANCE_ID: props.instanceId,
        ...handlerEnvironment(props.settings),
        DISABLED_SECURITY_PROFILE: DISABLED_PROFILE_NAME,
        AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH: 'true',
        RUST_LOG: 'info',
        METRICS_NAMESPACE: props.metricsNamespace,
      },
    });
    this.handler.function.node.addDependency(disabledProfile);
    const subResources = `${this.instanceArn}/*`;
    this.handler.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: props.settings.groupsCreateSecurityProfiles ? [...CONNECT_ACTIONS, ...GROUP_CREATE_ACTIONS] : CONNECT_ACTIONS,
        resources: [this.instanceArn, subResources],
      }),
    );
    // cdk-nag names the finding after the resource as it flattens it:
    // pseudo parameters and parameters become `<Name>` (the instance id is the
    // stack's ConnectInstanceId parameter unless given at synth time).
    const instanceIdText = Token.isUnresolved(props.instanceId) ? '<ConnectInstanceId>' : props.instanceId;
    Validations.of(this.handler.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:instance/${instanceIdText}/*]`,
      reason:
        'Connect users, security and routing profiles are sub-resources of the one instance (instance/<id>/*); the actions are exactly those the handler calls.',
    });
  }
}
