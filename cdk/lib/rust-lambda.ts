import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib/core';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RustFunction } from 'cargo-lambda-cdk';
import { Construct } from 'constructs';

/** The workspace manifest: every Lambda is a binary of the one Rust workspace. */
export const WORKSPACE_MANIFEST = path.join(__dirname, '..', '..', 'Cargo.toml');

export interface RustLambdaProps {
  /** The workspace binary to build (`scim-handler`, `authorizer`). */
  readonly binaryName: string;
  /** arm64 (the default: cheaper per ms) or x86_64. */
  readonly architecture: Architecture;
  /** Must stay below API Gateway's 29 s integration timeout. */
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  readonly reservedConcurrentExecutions?: number;
  readonly logRetention: RetentionDays;
  readonly description: string;
}

/**
 * A Rust Lambda built by cargo-lambda in release mode, with its own log group
 * (retention set) and its own role that may write to that log group only; no
 * AWS managed policy is attached.
 */
export class RustLambda extends Construct {
  public readonly function: RustFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: RustLambdaProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.binaryName} Lambda`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new RustFunction(this, 'Function', {
      manifestPath: WORKSPACE_MANIFEST,
      binaryName: props.binaryName,
      architecture: props.architecture,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySize,
      environment: props.environment,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroup: this.logGroup,
      role: this.role,
    });
  }
}
