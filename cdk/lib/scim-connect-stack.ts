import { CfnOutput, CfnParameter, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib/core';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ConnectProvisioner } from './connect-provisioner';
import { RustLambda } from './rust-lambda';
import { ScimAlarms } from './scim-alarms';
import { ScimApi } from './scim-api';
import { TokenSecret } from './token-secret';

/**
 * Amazon Connect instance IDs are lowercase UUIDs, e.g.
 * `aaaaaaaa-bbbb-cccc-dddd-111111111111` (the last segment of the instance ARN).
 */
export const CONNECT_INSTANCE_ID_PATTERN =
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const CONNECT_INSTANCE_ID_REGEX = new RegExp(CONNECT_INSTANCE_ID_PATTERN);

/**
 * Validates an optional Amazon Connect instance ID. Returns `undefined` when
 * absent and throws a descriptive Error when present but malformed.
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

/**
 * Checks a DEPARTMENT_MAP before anything is deployed (the handler refuses to
 * start with a bad one) and returns it compacted.
 */
export function validateDepartmentMap(json: string | undefined): string {
  if (json === undefined || json.trim() === '') {
    return '';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`Invalid departmentMap: not JSON (${(e as Error).message}).`, { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('Invalid departmentMap: expected a JSON object of department -> rule.');
  }
  for (const [department, rule] of Object.entries(parsed as Record<string, unknown>)) {
    const names =
      typeof rule === 'string'
        ? [rule]
        : Array.isArray(rule)
          ? rule
          : typeof rule === 'object' && rule !== null
            ? (rule as { securityProfiles?: unknown }).securityProfiles
            : undefined;
    if (!Array.isArray(names) || names.length < 1 || names.length > 10 || names.some((n) => typeof n !== 'string')) {
      throw new Error(
        `Invalid departmentMap[${JSON.stringify(department)}]: expected a profile name, a list of 1-10 names, ` +
          'or {"securityProfiles": [...], "routingProfile": "..."}.',
      );
    }
  }
  return JSON.stringify(parsed);
}

/** Checks an optional SNS topic ARN for the alarms. */
export function parseTopicArn(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(value)) {
    throw new Error(`Invalid alarmTopicArn ${JSON.stringify(value)}: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>).`);
  }
  return value;
}

export interface ScimConnectStackProps extends StackProps {
  /** @default - a `ConnectInstanceId` CloudFormation parameter. */
  readonly connectInstanceId?: string;
  /** @default 'delete' */
  readonly deprovisionMode?: 'delete' | 'disable';
  /** Comma-separated names. @default 'Agent' */
  readonly defaultSecurityProfile?: string;
  /** @default 'Basic Routing Profile' */
  readonly defaultRoutingProfile?: string;
  /**
   * Department → security profile(s) and optional routing profile, as the
   * handler's DEPARTMENT_MAP JSON, e.g.
   * `{"Sales": "Agent", "Billing": {"securityProfiles": ["Agent"], "routingProfile": "Billing"}}`.
   * @default - none: a department picks the security profile of the same name
   */
  readonly departmentMap?: string;
  /**
   * Whether a POST /Groups of a name no security profile has creates one
   * (with no permissions). @default false - groups link to existing profiles only
   */
  readonly groupsCreateSecurityProfiles?: boolean;
  /** @default Architecture.ARM_64 */
  readonly architecture?: Architecture;
  /** @default 4 */
  readonly reservedConcurrency?: number;
  /** @default 5 requests per second */
  readonly throttleRate?: number;
  /** @default 10 */
  readonly throttleBurst?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** ARN of an SNS topic the alarms notify. @default - no notification (alarms visible in the console) */
  readonly alarmTopicArn?: string;
}

/**
 * SCIM provisioning bridge for Amazon Connect: API Gateway with a token
 * authorizer in front of the SCIM handler Lambda, the token in Secrets
 * Manager, the handler allowed only the Connect calls it makes on one
 * instance.
 */
export class ScimConnectStack extends Stack {
  public readonly connectInstanceId: string;
  public readonly tenantUrl: string;

  constructor(scope: Construct, id: string, props: ScimConnectStackProps = {}) {
    super(scope, id, {
      description: 'SCIM provisioning bridge for Amazon Connect',
      ...props,
    });

    this.connectInstanceId =
      parseConnectInstanceId(props.connectInstanceId, 'connectInstanceId') ??
      new CfnParameter(this, 'ConnectInstanceId', {
        type: 'String',
        description: 'ID of the Amazon Connect instance to provision users into (the UUID at the end of the instance ARN).',
        allowedPattern: CONNECT_INSTANCE_ID_PATTERN,
        constraintDescription: 'must be an Amazon Connect instance ID: a lowercase UUID such as aaaaaaaa-bbbb-cccc-dddd-111111111111',
      }).valueAsString;

    const architecture = props.architecture ?? Architecture.ARM_64;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const token = new TokenSecret(this, 'Token');
    // One namespace per stack, so two instances' bridges in one account stay apart.
    const metricsNamespace = `ScimConnect/${this.stackName}`;

    const provisioner = new ConnectProvisioner(this, 'Provisioner', {
      instanceId: this.connectInstanceId,
      architecture,
      deprovisionMode: props.deprovisionMode ?? 'delete',
      defaultSecurityProfile: props.defaultSecurityProfile ?? 'Agent',
      defaultRoutingProfile: props.defaultRoutingProfile ?? 'Basic Routing Profile',
      departmentMap: validateDepartmentMap(props.departmentMap),
      groupsCreateSecurityProfiles: props.groupsCreateSecurityProfiles ?? false,
      reservedConcurrency: props.reservedConcurrency ?? 4,
      logRetention,
      metricsNamespace,
    });

    const authorizer = new RustLambda(this, 'Authorizer', {
      binaryName: 'authorizer',
      description: 'Checks the SCIM bearer token against the token secret',
      architecture,
      timeout: Duration.seconds(10),
      memorySize: 128,
      logRetention,
      environment: {
        TOKEN_SECRET_ARN: token.secret.secretArn,
        TOKEN_CACHE_SECONDS: '60',
      },
    });
    // Only the authorizer can read the token.
    token.secret.grantRead(authorizer.role);

    const api = new ScimApi(this, 'Scim', {
      handler: provisioner.handler.function,
      authorizer: authorizer.function,
      throttleRate: props.throttleRate ?? 5,
      throttleBurst: props.throttleBurst ?? 10,
      logRetention,
    });
    this.tenantUrl = api.tenantUrl;

    const alarms = new ScimAlarms(this, 'Alarms', {
      api: api.api,
      namespace: metricsNamespace,
      alarmTopicArn: parseTopicArn(props.alarmTopicArn),
    });

    new CfnOutput(this, 'SCIMProvisioningTenantURL', {
      description: 'Paste into the IdP: Entra ID "Tenant URL", Okta "Base URL"',
      value: api.tenantUrl,
    });
    new CfnOutput(this, 'TokenSecretName', {
      description: 'Secrets Manager secret holding the bearer token (make show-token prints it)',
      value: token.secret.secretName,
    });
    new CfnOutput(this, 'AlarmNames', {
      description: 'CloudWatch alarms for sustained 5xx answers and sustained Connect throttling',
      value: [alarms.serverErrors.alarmName, alarms.throttling.alarmName].join(', '),
    });
    new CfnOutput(this, 'ConnectInstanceArn', {
      description: 'The Amazon Connect instance users are provisioned into',
      value: provisioner.instanceArn,
    });

    acknowledgeNagFindings(api, token, provisioner, props.connectInstanceId ? this.connectInstanceId : '<ConnectInstanceId>');
  }
}

/** cdk-nag findings accepted on purpose, each with its reason. */
function acknowledgeNagFindings(api: ScimApi, token: TokenSecret, provisioner: ConnectProvisioner, instanceIdText: string): void {
  Validations.of(token.secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The IdP keeps a copy of the token, so rotation is an operator action (make rotate-token): the new value becomes AWSCURRENT and the old one stays valid as AWSPREVIOUS until make retire-token.',
  });
  Validations.of(api.api).acknowledge(
    {
      id: 'AwsSolutions-APIG2',
      reason: 'Every method proxies to the SCIM handler, which validates each body and answers RFC 7644 errors itself.',
    },
    {
      id: 'AwsSolutions-APIG3',
      reason: 'No WAF by default (cost at rest): every method needs the bearer token and the stage is throttled. Attach a web ACL if your policy requires one.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level logging role (needed for stage logs) uses the AWS policy made for exactly that; it is retained on destroy because other APIs in the account rely on it.",
    },
    {
      id: 'AwsSolutions-COG4',
      reason: 'SCIM clients (Entra ID, Okta) authenticate with a bearer token, checked by the Lambda authorizer against Secrets Manager.',
    },
  );
  Validations.of(provisioner.handler.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:instance/${instanceIdText}/*]`,
    reason:
      'Connect users, security and routing profiles are sub-resources of the one instance (instance/<id>/*); the actions are exactly those the handler calls.',
  });
}
