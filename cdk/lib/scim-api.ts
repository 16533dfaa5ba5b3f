import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib/core';
import {
  AccessLogFormat,
  AuthorizationType,
  type CfnRestApi,
  EndpointAccessMode,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  SecurityPolicy,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ScimApiProps {
  /** Serves every SCIM request. */
  readonly handler: IFunction;
  /** Checks the bearer token (TOKEN authorizer). */
  readonly authorizer: IFunction;
  /** Stage-wide steady rate, requests per second. */
  readonly throttleRate: number;
  /** Stage-wide burst. */
  readonly throttleBurst: number;
  readonly logRetention: RetentionDays;
  /** Only these source ranges may call the API (a resource policy). @default - any */
  readonly allowedCidrs?: readonly string[];
  /** A regional WAFv2 web ACL to associate with the stage. @default - none */
  readonly webAclArn?: string;
}

/** The one stage. */
export const STAGE_NAME = 'prod';

/**
 * What an `Authorization` header must look like for API Gateway to invoke the
 * authorizer at all: the scheme in any case, then the token as Secrets
 * Manager generates it (64 letters and digits, no punctuation). The
 * authorizer (lambdas/authorizer, `bearer`) accepts the same: scheme in any
 * case after surrounding blanks, one space, then the token with blanks
 * trimmed. Anything else is a 401 without a Lambda invocation.
 */
export const TOKEN_HEADER_PATTERN = '^\\s*[Bb][Ee][Aa][Rr][Ee][Rr] \\s*[A-Za-z0-9]{64}\\s*$';

/**
 * TLS for the default execute-api endpoint: TLS 1.3 and 1.2 with forward
 * secrecy (and post-quantum key exchange where the client offers it); TLS 1.0
 * and 1.1 are refused. An enhanced ("SecurityPolicy_") policy needs an
 * endpoint access mode; STRICT also refuses requests whose SNI does not match
 * the API's host.
 */
export const TLS_SECURITY_POLICY = SecurityPolicy.TLS13_1_2_PFS_PQ_2025_09;

/**
 * The API's own error answers, as SCIM Error bodies (status as a string).
 * Answers that mean "try again later" carry `Retry-After` (seconds), which
 * Entra ID and Okta honour.
 */
export const SCIM_GATEWAY_RESPONSES: ReadonlyArray<{ type: ResponseType; status: string; retryAfter?: string }> = [
  { type: ResponseType.UNAUTHORIZED, status: '401' },
  { type: ResponseType.ACCESS_DENIED, status: '403' },
  // API Gateway answers an unknown path with 403 "Missing Authentication Token"; SCIM says 404.
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: '404' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: '404' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: '413' },
  { type: ResponseType.THROTTLED, status: '429', retryAfter: '2' },
  { type: ResponseType.QUOTA_EXCEEDED, status: '429', retryAfter: '60' },
  { type: ResponseType.AUTHORIZER_FAILURE, status: '500' },
  { type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR, status: '500' },
  // Includes Lambda refusing an invocation past the reserved concurrency
  // (API Gateway would answer a bare 500): a retry a little later succeeds.
  { type: ResponseType.INTEGRATION_FAILURE, status: '503', retryAfter: '5' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: '504', retryAfter: '5' },
  { type: ResponseType.DEFAULT_4XX, status: '400' },
  { type: ResponseType.DEFAULT_5XX, status: '500' },
];

/**
 * REST API: `ANY /scim/v2` and `ANY /scim/v2/{proxy+}` to the handler, every
 * method behind the token authorizer (decisions cached 5 minutes per token;
 * headers not shaped like `Bearer <token>` refused before it runs),
 * SCIM-shaped gateway errors, access logs without headers, stage throttling
 * sized for Connect's quotas, TLS 1.2+, and optionally a source-IP resource
 * policy and your web ACL.
 */
export class ScimApi extends Construct {
  public readonly api: RestApi;
  /** `https://…/prod/scim/v2`: the one URL every IdP takes. */
  public readonly tenantUrl: string;

  constructor(scope: Construct, id: string, props: ScimApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    const authorizer = new TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: props.authorizer,
      identitySource: 'method.request.header.Authorization',
      validationRegex: TOKEN_HEADER_PATTERN,
      resultsCacheTtl: Duration.minutes(5),
    });
    this.api = new RestApi(this, 'Api', {
      description: 'SCIM 2.0 provisioning for Amazon Connect',
      endpointTypes: [EndpointType.REGIONAL],
      policy: props.allowedCidrs ? sourceIpPolicy(props.allowedCidrs) : undefined,
      // Stage logging needs API Gateway's account-level CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        loggingLevel: MethodLoggingLevel.ERROR,
        // Never true: data tracing would log request headers, token included.
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttleRate,
        throttlingBurstLimit: props.throttleBurst,
      },
      defaultMethodOptions: {
        authorizer,
        authorizationType: AuthorizationType.CUSTOM,
      },
    });
    const restApi = this.api.node.defaultChild as CfnRestApi;
    restApi.securityPolicy = TLS_SECURITY_POLICY;
    restApi.endpointAccessMode = EndpointAccessMode.STRICT;

    // API Gateway would make the execution log group itself, on the first
    // error, keeping it forever and outside the stack. Made here first (the
    // stage waits for it), it has the retention and goes with `make destroy`.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${STAGE_NAME}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.deploymentStage.node.addDependency(executionLogs);

    if (props.webAclArn !== undefined) {
      new CfnWebACLAssociation(this, 'WebAcl', { resourceArn: this.api.deploymentStage.stageArn, webAclArn: props.webAclArn });
    }

    const integration = new LambdaIntegration(props.handler, { proxy: true });
    const scim = this.api.root.addResource('scim').addResource('v2');
    scim.addMethod('ANY', integration);
    scim.addProxy({ defaultIntegration: integration, anyMethod: true });

    for (const { type, status, retryAfter } of SCIM_GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(`Scim${type.responseType}`, {
        type,
        statusCode: status,
        responseHeaders: {
          'Content-Type': "'application/scim+json'",
          ...(retryAfter ? { 'Retry-After': `'${retryAfter}'` } : {}),
        },
        templates: {
          'application/json': `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"${status}","detail":$context.error.messageString}`,
        },
      });
    }
    this.tenantUrl = this.api.urlForPath('/scim/v2');

    // On the RestApi, so they cover each of its methods.
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason: 'Every method proxies to the SCIM handler, which validates each body and answers RFC 7644 errors itself.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason: 'SCIM clients (Entra ID, Okta) authenticate with a bearer token, checked by the Lambda authorizer against Secrets Manager.',
      },
    );
    // On the CloudWatch role the RestApi makes (cloudWatchRole: true).
    const cloudWatchRole = this.api.node.findChild('CloudWatchRole');
    Validations.of(cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level logging role (needed for stage logs) uses the AWS policy made for exactly that; it is retained on destroy because other APIs in the account rely on it.",
    });
    if (props.webAclArn === undefined) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'No WAF by default (a web ACL costs about $6 a month at rest): every method needs the bearer token, malformed ones never reach the authorizer, and the stage is throttled. Pass WEB_ACL_ARN to attach yours.',
      });
    }
  }
}

/**
 * The API answers only these source ranges: an explicit Deny for any other
 * aws:SourceIp beside the Allow API Gateway needs once a resource policy
 * exists (the bearer token is still required).
 */
function sourceIpPolicy(cidrs: readonly string[]): PolicyDocument {
  const invoke = { principals: [new AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] };
  return new PolicyDocument({
    statements: [
      new PolicyStatement({ sid: 'Invoke', effect: Effect.ALLOW, ...invoke }),
      new PolicyStatement({
        sid: 'OnlyFromAllowedCidrs',
        effect: Effect.DENY,
        ...invoke,
        conditions: { NotIpAddress: { 'aws:SourceIp': [...cidrs] } },
      }),
    ],
  });
}
