import { CfnOutput, CfnParameter, Duration, Stack, type StackProps } from 'aws-cdk-lib/core';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { authorizerEnvironment, CONNECT_INSTANCE_ID_PATTERN, type ScimConnectConfig } from './config';
import { ConnectProvisioner } from './connect-provisioner';
import { RustLambda } from './rust-lambda';
import { ScimAlarms } from './scim-alarms';
import { ScimApi } from './scim-api';
import { TokenSecret } from './token-secret';

export interface ScimConnectStackProps extends StackProps {
  /** The deployment's settings, as `readConfig` (cdk/lib/config.ts) reads and checks them. */
  readonly config: ScimConnectConfig;
  /** @default one month */
  readonly logRetention?: RetentionDays;
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

  constructor(scope: Construct, id: string, props: ScimConnectStackProps) {
    super(scope, id, {
      description: 'SCIM provisioning bridge for Amazon Connect',
      ...props,
    });
    const { config } = props;

    this.connectInstanceId =
      config.connectInstanceId ??
      new CfnParameter(this, 'ConnectInstanceId', {
        type: 'String',
        description: 'ID of the Amazon Connect instance to provision users into (the UUID at the end of the instance ARN).',
        allowedPattern: CONNECT_INSTANCE_ID_PATTERN,
        constraintDescription: 'must be an Amazon Connect instance ID: a lowercase UUID such as aaaaaaaa-bbbb-cccc-dddd-111111111111',
      }).valueAsString;

    const architecture = config.architecture;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const token = new TokenSecret(this, 'Token');
    // One namespace per stack, so two instances' bridges in one account stay apart.
    const metricsNamespace = `ScimConnect/${this.stackName}`;

    const provisioner = new ConnectProvisioner(this, 'Provisioner', {
      instanceId: this.connectInstanceId,
      architecture,
      settings: config,
      reservedConcurrency: config.reservedConcurrency,
      logRetention,
      metricsNamespace,
    });

    const authorizer = new RustLambda(this, 'Authorizer', {
      binaryName: 'authorizer',
      description: 'Checks the SCIM bearer token against the token secret',
      architecture,
      timeout: Duration.seconds(10),
      memorySize: 128,
      // A flood of requests with well-formed but wrong tokens (cached 5
      // minutes per token by API Gateway) cannot take the account's concurrency.
      reservedConcurrentExecutions: config.authorizerReservedConcurrency,
      logRetention,
      environment: {
        TOKEN_SECRET_ARN: token.secret.secretArn,
        ...authorizerEnvironment(config),
      },
    });
    // Only the authorizer can read the token.
    token.secret.grantRead(authorizer.role);

    const api = new ScimApi(this, 'Scim', {
      handler: provisioner.handler.function,
      authorizer: authorizer.function,
      throttleRate: config.throttleRate,
      throttleBurst: config.throttleBurst,
      logRetention,
      allowedCidrs: config.allowedCidrs,
      webAclArn: config.webAclArn,
    });
    this.tenantUrl = api.tenantUrl;

    const alarms = new ScimAlarms(this, 'Alarms', {
      api: api.api,
      namespace: metricsNamespace,
      alarmTopic: config.alarmTopicArn ? Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn) : undefined,
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
    // scripts/token_ops.py: retiring or revoking a token flushes API Gateway's
    // cached decisions and recycles the authorizer's warm environments.
    new CfnOutput(this, 'RestApiId', {
      description: 'The SCIM REST API (make revoke-token flushes its authorizer cache)',
      value: api.api.restApiId,
    });
    new CfnOutput(this, 'StageName', {
      description: 'The REST API stage',
      value: api.api.deploymentStage.stageName,
    });
    new CfnOutput(this, 'AuthorizerFunctionName', {
      description: 'The authorizer Lambda (make revoke-token recycles it so no cached token outlives the secret)',
      value: authorizer.function.functionName,
    });
    new CfnOutput(this, 'ConnectInstanceArn', {
      description: 'The Amazon Connect instance users are provisioned into',
      value: provisioner.instanceArn,
    });
  }
}

