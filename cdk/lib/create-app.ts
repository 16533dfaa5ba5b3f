import { App, type AppProps, Validations } from 'aws-cdk-lib/core';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseConnectInstanceId, ScimConnectStack } from './scim-connect-stack';

export const STACK_ID = 'ScimConnectStack';

function context(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  return String(value);
}

function positiveNumber(app: App, key: string): number | undefined {
  const raw = context(app, key);
  if (raw === undefined) {
    return undefined;
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`Invalid context value ${key}=${JSON.stringify(raw)}: expected a positive number.`);
  }
  return n;
}

/**
 * Builds the CDK app from context (`-c key=value`, all optional except for
 * `make deploy`, which requires instanceId):
 * instanceId, deprovisionMode (delete | disable), defaultSecurityProfile,
 * defaultRoutingProfile, departmentMap (JSON), groupsCreateSecurityProfiles (true | false),
 * arch (arm64 | x86_64), reservedConcurrency,
 * throttleRate, throttleBurst, alarmTopicArn. cdk-nag's AWS Solutions pack runs as a
 * validation plugin, so any unacknowledged finding fails synthesis.
 */
export function createApp(props?: AppProps): App {
  const app = new App(props);

  const connectInstanceId = parseConnectInstanceId(context(app, 'instanceId'), 'context value instanceId');
  const deprovisionMode = context(app, 'deprovisionMode') ?? 'delete';
  if (deprovisionMode !== 'delete' && deprovisionMode !== 'disable') {
    throw new Error(`Invalid context value deprovisionMode=${JSON.stringify(deprovisionMode)}: expected delete or disable.`);
  }
  const groupsCreate = context(app, 'groupsCreateSecurityProfiles') ?? 'false';
  if (groupsCreate !== 'true' && groupsCreate !== 'false') {
    throw new Error(
      `Invalid context value groupsCreateSecurityProfiles=${JSON.stringify(groupsCreate)}: expected true or false.`,
    );
  }
  const arch = context(app, 'arch') ?? 'arm64';
  if (arch !== 'arm64' && arch !== 'x86_64') {
    throw new Error(`Invalid context value arch=${JSON.stringify(arch)}: expected arm64 or x86_64.`);
  }

  new ScimConnectStack(app, STACK_ID, {
    connectInstanceId,
    deprovisionMode,
    defaultSecurityProfile: context(app, 'defaultSecurityProfile'),
    defaultRoutingProfile: context(app, 'defaultRoutingProfile'),
    departmentMap: context(app, 'departmentMap'),
    groupsCreateSecurityProfiles: groupsCreate === 'true',
    architecture: arch === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
    reservedConcurrency: positiveNumber(app, 'reservedConcurrency'),
    throttleRate: positiveNumber(app, 'throttleRate'),
    throttleBurst: positiveNumber(app, 'throttleBurst'),
    alarmTopicArn: context(app, 'alarmTopicArn'),
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
