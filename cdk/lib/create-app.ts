import { App, type AppProps, Validations } from 'aws-cdk-lib/core';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseConnectInstanceId, ScimConnectStack } from './scim-connect-stack';

export const STACK_ID = 'ScimConnectStack';

/**
 * Builds the CDK app: reads the optional `instanceId` context value, adds the
 * single `ScimConnectStack` (environment-agnostic, no lookups) and registers
 * cdk-nag's AWS Solutions pack as a validation plugin, so that any nag finding
 * fails synthesis. Findings that are accepted must be acknowledged with
 * `Validations.of(construct).acknowledge({ id, reason })`.
 */
export function createApp(props?: AppProps): App {
  const app = new App(props);

  const connectInstanceId = parseConnectInstanceId(app.node.tryGetContext('instanceId'), 'context value instanceId');
  new ScimConnectStack(app, STACK_ID, { connectInstanceId });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
