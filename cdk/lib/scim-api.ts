import { Duration, Validations } from 'aws-cdk-lib/core';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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
}

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
 * method behind the token authorizer (decisions cached 5 minutes per token),
 * SCIM-shaped gateway errors, access logs without headers, and stage
 * throttling sized for Connect's quotas.
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
      resultsCacheTtl: Duration.minutes(5),
    });
    this.api = new RestApi(this, 'Api', {
      description: 'SCIM 2.0 provisioning for Amazon Connect',
      endpointTypes: [EndpointType.REGIONAL],
      // Stage logging needs API Gateway's account-level CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'prod',
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

    // On the RestApi, so they cover its methods and its CloudWatch role too.
    Validations.of(this.api).acknowledge(
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
  }
}
