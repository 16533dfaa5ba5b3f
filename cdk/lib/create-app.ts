import { App, type AppProps, Validations } from 'aws-cdk-lib/core';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config';
import { ScimConnectStack } from './scim-connect-stack';

export const STACK_ID = 'ScimConnectStack';

/**
 * Builds the CDK app from context (`-c key=value`; what each key means and
 * accepts is in cdk/lib/config.ts, which checks them all). cdk-nag's AWS
 * Solutions pack runs as a validation plugin, so any unacknowledged finding
 * fails synthesis.
 */
export function createApp(props?: AppProps): App {
  const app = new App(props);
  new ScimConnectStack(app, STACK_ID, { config: readConfig((key) => app.node.tryGetContext(key)) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
