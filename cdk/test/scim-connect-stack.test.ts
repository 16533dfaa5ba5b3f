import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { type App, Stack, Validations } from 'aws-cdk-lib/core';
import { CONNECT_INSTANCE_ID_PATTERN, handlerEnvironment, isAssignable, makeVariable, readConfig } from '../lib/config';
import { CONNECT_ACTIONS, GROUP_CREATE_ACTIONS } from '../lib/connect-provisioner';
import { createApp, STACK_ID } from '../lib/create-app';
import { HANDLER_METRICS } from '../lib/scim-alarms';
import { SCIM_GATEWAY_RESPONSES, TLS_SECURITY_POLICY, TOKEN_HEADER_PATTERN } from '../lib/scim-api';
import type { ScimConnectStack } from '../lib/scim-connect-stack';

// Synthesize as `cdk synth` does (cdk.json's feature flags), but without
// bundling: the Rust build runs once, in `make synth`, not in unit tests.
// appMode 'inmemory' makes cdk-nag findings throw with the whole report.
const cdkJsonContext = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
}).context;

function app(context: Record<string, unknown> = {}): App {
  return createApp({
    context: {
      ...cdkJsonContext,
      '@aws-cdk/core:appMode': 'inmemory',
      'aws:cdk:bundling-stacks': [],
      ...context,
    },
  });
}

function stackOf(a: App): ScimConnectStack {
  return a.node.findChild(STACK_ID) as ScimConnectStack;
}

const INSTANCE_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const template = Template.fromStack(stackOf(app({ instanceId: INSTANCE_ID })));
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
function statements(): Array<{ policy: string; statement: Statement }> {
  return Object.entries(json.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
    .flatMap(([policy, r]) =>
      ((r.Properties.PolicyDocument as { Statement: Statement[] }).Statement).map((statement) => ({ policy, statement })),
    );
}
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const arnOf = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':connect:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});
const instanceArn = arnOf(`instance/${INSTANCE_ID}`);

/**
 * The Connect operations the Rust adapter calls, read from its source
 * (CONNECT_OPERATIONS in lambdas/connect-directory/src/attempts.rs), not
 * from the list the stack is built from.
 */
const RUST_OPERATIONS: string[] = (() => {
  const rust = readFileSync(join(__dirname, '..', '..', 'lambdas', 'connect-directory', 'src', 'attempts.rs'), 'utf8');
  const list = /CONNECT_OPERATIONS: &\[&str\] = &\[([^\]]*)\]/.exec(rust);
  assert.ok(list, 'CONNECT_OPERATIONS not found in attempts.rs');
  return [...list[1].matchAll(/"([A-Za-z]+)"/g)].map((m) => `connect:${m[1]}`);
})();
const ONLY_WITH_GROUP_CREATE = ['CreateSecurityProfile', 'DeleteSecurityProfile'].map((a) => `connect:${a}`);
/** Reads the Service Authorization Reference lists as dependent actions of the Search* calls. */
const SEARCH_DEPENDENTS = ['DescribeUserHierarchyGroup', 'DescribeQuickConnect'].map((a) => `connect:${a}`);

type ConnectStatement = Statement & { Sid?: string; Condition?: Record<string, Record<string, unknown>> };
function connectStatements(t: Template): ConnectStatement[] {
  return Object.values(t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: ConnectStatement[] }).Statement)
    .filter((st) => asList(st.Action).some((a) => a.startsWith('connect:')));
}
const bySid = (sts: ConnectStatement[], sid: string) => {
  const st = sts.find((s) => s.Sid === sid);
  assert.ok(st, `no statement ${sid}`);
  return st;
};
const sorted = (v: string | string[]) => [...asList(v)].sort();
const MANAGED = { StringEquals: { 'aws:ResourceTag/scim:managed': 'true' } };
const REQUEST_MANAGED = {
  StringEquals: { 'aws:RequestTag/scim:managed': 'true' },
  'ForAllValues:StringLike': { 'aws:TagKeys': ['scim:*'] },
};

describe('IAM is scoped to the instance and the secret', () => {
  const users = arnOf(`instance/${INSTANCE_ID}/agent/*`);
  const securityProfiles = arnOf(`instance/${INSTANCE_ID}/security-profile/*`);

  test('the handler may call exactly the Connect actions the Rust code calls (and the reads Connect checks with them)', () => {
    const granted = new Set(connectStatements(template).flatMap((st) => asList(st.Action)));
    const expected = RUST_OPERATIONS.filter((a) => !ONLY_WITH_GROUP_CREATE.includes(a));
    assert.deepEqual([...granted].sort(), [...expected, ...SEARCH_DEPENDENTS].sort());
    // The list the stack is built from agrees with the Rust source.
    assert.deepEqual([...CONNECT_ACTIONS, ...GROUP_CREATE_ACTIONS].sort(), [...RUST_OPERATIONS].sort());
    assert.ok(!granted.has('connect:CreateSecurityProfile'), 'groups only link by default');
  });

  test('one statement per resource type, none on the instance\'s sub-resources at large', () => {
    const sts = connectStatements(template);
    assert.deepEqual(sts.map((s) => s.Sid).sort(), [
      'CreateManagedUser',
      'GroupExternalIdTags',
      'HierarchyGroups',
      'InstanceReads',
      'ManagedUserTags',
      'ManagedUserWrites',
      'ProficiencyWritesOnInstance',
      'QuickConnectsOfDeletedUsers',
      'RoutingProfiles',
      'SecurityProfiles',
      'UserReads',
    ]);
    for (const st of sts) {
      assert.notDeepEqual(st.Resource, arnOf(`instance/${INSTANCE_ID}/*`), st.Sid);
      for (const r of asList(st.Resource)) {
        assert.doesNotMatch(JSON.stringify(r), new RegExp(`instance/${INSTANCE_ID}/\\*`), st.Sid);
      }
    }
    const instanceReads = bySid(sts, 'InstanceReads');
    assert.deepEqual(instanceReads.Resource, instanceArn);
    assert.deepEqual(sorted(instanceReads.Action), [
      'connect:DescribeInstance',
      'connect:ListRoutingProfiles',
      'connect:ListSecurityProfiles',
      'connect:SearchPredefinedAttributes',
      'connect:SearchQuickConnects',
      'connect:SearchSecurityProfiles',
      'connect:SearchUserHierarchyGroups',
      'connect:SearchUsers',
    ]);
    assert.equal(instanceReads.Condition, undefined);
    assert.deepEqual(bySid(sts, 'RoutingProfiles').Resource, arnOf(`instance/${INSTANCE_ID}/routing-profile/*`));
    assert.deepEqual(bySid(sts, 'HierarchyGroups').Resource, arnOf(`instance/${INSTANCE_ID}/agent-group/*`));
    assert.deepEqual(bySid(sts, 'QuickConnectsOfDeletedUsers').Resource, arnOf(`instance/${INSTANCE_ID}/transfer-destination/*`));
  });

  test('agents are written only where they carry scim:managed=true, and created only with that tag', () => {
    const sts = connectStatements(template);
    const writes = bySid(sts, 'ManagedUserWrites');
    assert.deepEqual(writes.Resource, users);
    assert.deepEqual(writes.Condition, MANAGED);
    assert.deepEqual(sorted(writes.Action), [
      'connect:AssociateUserProficiencies',
      'connect:DeleteUser',
      'connect:DisassociateUserProficiencies',
      'connect:UpdateUserConfig',
      'connect:UpdateUserHierarchy',
      'connect:UpdateUserIdentityInfo',
      'connect:UpdateUserPhoneConfig',
      'connect:UpdateUserProficiencies',
      'connect:UpdateUserRoutingProfile',
      'connect:UpdateUserSecurityProfiles',
    ]);
    const tags = bySid(sts, 'ManagedUserTags');
    assert.deepEqual(tags.Resource, users);
    assert.deepEqual(sorted(tags.Action), ['connect:TagResource', 'connect:UntagResource']);
    assert.deepEqual(tags.Condition, { ...MANAGED, 'ForAllValues:StringLike': { 'aws:TagKeys': ['scim:*'] } });
    const create = bySid(sts, 'CreateManagedUser');
    assert.deepEqual(create.Resource, users);
    assert.deepEqual(create.Action, 'connect:CreateUser');
    assert.deepEqual(create.Condition, REQUEST_MANAGED);
    // Every statement on agents that writes is conditioned; only reads are not.
    for (const st of sts.filter((s) => JSON.stringify(s.Resource).includes('/agent/*'))) {
      if (st.Sid !== 'UserReads') {
        assert.ok(st.Condition, `${st.Sid} on agents without a condition`);
      }
    }
    assert.deepEqual(sorted(bySid(sts, 'UserReads').Action), ['connect:DescribeUser', 'connect:ListUserProficiencies']);
  });

  test('the other resource types a user write is authorized on carry no tag condition', () => {
    const sts = connectStatements(template);
    for (const st of sts.filter((s) => !JSON.stringify(s.Resource).includes('/agent/*') && s.Sid !== 'GroupExternalIdTags')) {
      assert.equal(st.Condition, undefined, st.Sid);
    }
    // A group's externalId is a scim:* tag on the profile it links to (maybe one an admin made).
    const groupTags = bySid(sts, 'GroupExternalIdTags');
    assert.deepEqual(groupTags.Resource, securityProfiles);
    assert.deepEqual(sorted(groupTags.Action), ['connect:TagResource', 'connect:UntagResource']);
    assert.deepEqual(groupTags.Condition, { 'ForAllValues:StringLike': { 'aws:TagKeys': ['scim:*'] } });
    const profiles = bySid(sts, 'SecurityProfiles');
    assert.deepEqual(profiles.Resource, securityProfiles);
    assert.deepEqual(sorted(profiles.Action), ['connect:CreateUser', 'connect:DescribeSecurityProfile', 'connect:UpdateUserSecurityProfiles']);
    assert.ok(asList(bySid(sts, 'RoutingProfiles').Action).includes('connect:UpdateUserRoutingProfile'));
    assert.ok(asList(bySid(sts, 'HierarchyGroups').Action).includes('connect:UpdateUserHierarchy'));
    // The proficiency writes are authorized on the instance too (their agent
    // side is ManagedUserWrites); nothing else is written on the instance.
    const proficiencies = bySid(sts, 'ProficiencyWritesOnInstance');
    assert.deepEqual(proficiencies.Resource, instanceArn);
    assert.deepEqual(sorted(proficiencies.Action), [
      'connect:AssociateUserProficiencies',
      'connect:DisassociateUserProficiencies',
      'connect:UpdateUserProficiencies',
    ]);
    for (const action of asList(proficiencies.Action)) {
      assert.ok(asList(bySid(sts, 'ManagedUserWrites').Action).includes(action), action);
    }
  });

  test('groupsCreateSecurityProfiles adds exactly the create (tagged) and delete (of tagged) of security profiles', () => {
    const t = Template.fromStack(stackOf(app({ instanceId: INSTANCE_ID, groupsCreateSecurityProfiles: 'true' })));
    const sts = connectStatements(t);
    const granted = new Set(sts.flatMap((st) => asList(st.Action)));
    assert.deepEqual([...granted].sort(), [...RUST_OPERATIONS, ...SEARCH_DEPENDENTS].sort());
    const create = bySid(sts, 'CreateManagedSecurityProfile');
    assert.deepEqual(create.Resource, securityProfiles);
    assert.deepEqual(create.Action, 'connect:CreateSecurityProfile');
    assert.deepEqual(create.Condition, REQUEST_MANAGED);
    const remove = bySid(sts, 'DeleteManagedSecurityProfile');
    assert.deepEqual(remove.Resource, securityProfiles);
    assert.deepEqual(remove.Action, 'connect:DeleteSecurityProfile');
    assert.deepEqual(remove.Condition, MANAGED);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ GROUPS_CREATE_SECURITY_PROFILES: 'true' }) },
    });
  });

  test('no statement has a wildcard action, and none grants connect or secretsmanager on *', () => {
    for (const { statement } of statements()) {
      for (const action of asList(statement.Action)) {
        assert.ok(!action.endsWith(':*') && action !== '*', `wildcard action ${action}`);
      }
      const resources = asList(statement.Resource);
      if (asList(statement.Action).some((a) => a.startsWith('connect:') || a.startsWith('secretsmanager:'))) {
        assert.ok(!resources.includes('*'), JSON.stringify(statement));
      }
    }
  });

  test('only the authorizer role can read the token secret', () => {
    const readers = statements().filter(({ statement }) =>
      asList(statement.Action).includes('secretsmanager:GetSecretValue'),
    );
    assert.equal(readers.length, 1);
    assert.match(readers[0].policy, /^Authorizer/);
    assert.match((readers[0].statement.Resource as { Ref: string }).Ref, /^TokenSecret/);
  });

  test('no AWS managed policy is attached to the Lambda roles', () => {
    template.allResourcesProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.anyValue(),
    });
    for (const [id, r] of Object.entries(json.Resources)) {
      if (r.Type === 'AWS::IAM::Role' && !id.startsWith('ScimApiCloudWatchRole')) {
        assert.equal(r.Properties.ManagedPolicyArns, undefined, id);
      }
    }
  });
});

describe('the token secret', () => {
  test('is generated by Secrets Manager: long, no punctuation, never in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    const secret = Object.values(json.Resources).find((r) => r.Type === 'AWS::SecretsManager::Secret');
    assert.equal(secret?.Properties.SecretString, undefined);
    assert.doesNotMatch(JSON.stringify(json), /"SecretString"/);
  });
});

describe('the API', () => {
  test('routes /scim/v2 and /scim/v2/{proxy+} to the handler behind the token authorizer with caching', () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'v2' });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
    const methods = Object.values(json.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Method');
    assert.equal(methods.length, 2);
    for (const m of methods) {
      assert.equal(m.Properties.AuthorizationType, 'CUSTOM');
      assert.equal(m.Properties.HttpMethod, 'ANY');
    }
  });

  test('its own errors are SCIM Error bodies with application/scim+json', () => {
    const responses = Object.values(json.Resources).filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse');
    assert.equal(responses.length, SCIM_GATEWAY_RESPONSES.length);
    for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN']) {
      const r = responses.find((g) => g.Properties.ResponseType === type);
      assert.ok(r, type);
      assert.equal(
        (r.Properties.ResponseParameters as Record<string, string>)['gatewayresponse.header.Content-Type'],
        "'application/scim+json'",
      );
      const body = (r.Properties.ResponseTemplates as Record<string, string>)['application/json'];
      assert.match(body, /urn:ietf:params:scim:api:messages:2.0:Error/);
      assert.match(body, new RegExp(`"status":"${r.Properties.StatusCode as string}"`));
    }
  });

  test('"try again later" answers carry Retry-After, including Lambda refusing past its reserved concurrency', () => {
    const responses = Object.values(json.Resources).filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse');
    for (const [type, status] of [['THROTTLED', '429'], ['QUOTA_EXCEEDED', '429'], ['INTEGRATION_FAILURE', '503'], ['INTEGRATION_TIMEOUT', '504']]) {
      const r = responses.find((g) => g.Properties.ResponseType === type);
      assert.ok(r, type);
      assert.equal(r.Properties.StatusCode, status, type);
      assert.match((r.Properties.ResponseParameters as Record<string, string>)['gatewayresponse.header.Retry-After'], /^'\d+'$/, type);
    }
  });

  test('the stage is throttled, access-logged without headers, and never traces data', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [
        Match.objectLike({ DataTraceEnabled: false, LoggingLevel: 'ERROR', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }),
      ],
    });
    const stage = Object.values(json.Resources).find((r) => r.Type === 'AWS::ApiGateway::Stage');
    const format = (stage?.Properties.AccessLogSetting as { Format: string }).Format;
    assert.doesNotMatch(format, /authorization|header/i);
  });

  test('junk never reaches the authorizer: the header must be Bearer and a 64-character token', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { IdentityValidationExpression: TOKEN_HEADER_PATTERN });
    const header = new RegExp(TOKEN_HEADER_PATTERN);
    const token = 'aB3'.repeat(21) + 'z';
    // What the authorizer (lambdas/authorizer, bearer()) accepts with a generated token.
    for (const ok of [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, ` Bearer  ${token} `]) {
      assert.match(ok, header, ok);
    }
    for (const bad of ['', 'Bearer', `Basic ${token}`, `Bearer ${token.slice(1)}`, `Bearer ${token}x`, `Bearer ${token.slice(1)}!`, `Bearer${token}`]) {
      assert.doesNotMatch(bad, header, bad);
    }
  });

  test('TLS 1.2 or newer with forward secrecy, strict endpoint access', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      SecurityPolicy: TLS_SECURITY_POLICY,
      EndpointAccessMode: 'STRICT',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    assert.match(TLS_SECURITY_POLICY, /^SecurityPolicy_TLS13_1_2_/);
  });

  test('any source may call by default; allowedCidrs denies every other source in a resource policy', () => {
    const api = Object.values(json.Resources).find((r) => r.Type === 'AWS::ApiGateway::RestApi');
    assert.equal(api?.Properties.Policy, undefined);
    const t = Template.fromStack(stackOf(app({ instanceId: INSTANCE_ID, allowedCidrs: '203.0.113.0/24, 2001:db8::/32' })));
    t.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: [
          { Sid: 'Invoke', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          {
            Sid: 'OnlyFromAllowedCidrs',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('webAclArn associates your web ACL with the stage (and only then)', () => {
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    const acl = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/scim/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const t = Template.fromStack(stackOf(app({ instanceId: INSTANCE_ID, webAclArn: acl })));
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: acl, ResourceArn: Match.anyValue() });
  });

  test('the execution log group is the stack\'s: named for the API, retained 30 days, removed with the stack, made before the stage', () => {
    const [id, group] = Object.entries(json.Resources).find(
      ([, r]) => r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'),
    ) ?? [undefined, undefined];
    assert.ok(id && group, 'no execution log group');
    const apiId = Object.entries(json.Resources).find(([, r]) => r.Type === 'AWS::ApiGateway::RestApi')?.[0];
    assert.deepEqual(group.Properties.LogGroupName, { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/prod']] });
    assert.equal(group.Properties.RetentionInDays, 30);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ LogGroupName: group.Properties.LogGroupName }) });
    template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([id]) });
  });

  test('outputs what make revoke-token needs: the API id, the stage, the authorizer function', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    assert.deepEqual(Object.keys(outputs.RestApiId.Value as object), ['Ref']);
    assert.equal(outputs.StageName.Value !== undefined, true);
    assert.match(JSON.stringify(outputs.AuthorizerFunctionName.Value), /Authorizer/);
  });

  test('outputs the tenant URL ending in /scim/v2, and the secret name', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const url = JSON.stringify(outputs.SCIMProvisioningTenantURL.Value);
    assert.match(url, /\/scim\/v2"\]\]\}$/);
    assert.ok(outputs.TokenSecretName);
  });
});

describe('the Lambdas', () => {
  test('answer within API Gateway\'s 29 s, run arm64 on provided.al2023, keep logs a month', () => {
    const fns = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    assert.equal(fns.length, 2);
    for (const fn of fns) {
      assert.ok((fn.Properties.Timeout as number) < 29);
      assert.deepEqual(fn.Properties.Architectures, ['arm64']);
      assert.equal(fn.Properties.Runtime, 'provided.al2023');
    }
    const groups = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    assert.ok(groups.length >= 3);
    for (const g of groups) {
      assert.equal(g.Properties.RetentionInDays, 30);
    }
  });

  test('the handler has bounded concurrency and its configuration in the environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 4,
      Environment: {
        Variables: Match.objectLike({
          CONNECT_INSTANCE_ID: INSTANCE_ID,
          DEPROVISION_MODE: 'delete',
          DEFAULT_SECURITY_PROFILE: 'Agent',
          DEFAULT_ROUTING_PROFILE: 'Basic Routing Profile',
          DISABLED_SECURITY_PROFILE: 'SCIM-Disabled',
          GROUPS_CREATE_SECURITY_PROFILES: 'false',
          AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH: 'true',
        }),
      },
    });
  });

  test('the stack owns the permission-less security profile for disabled agents', () => {
    template.hasResourceProperties('AWS::Connect::SecurityProfile', {
      SecurityProfileName: 'SCIM-Disabled',
      InstanceArn: instanceArn,
      Permissions: [],
    });
  });
});

describe('metrics and alarms', () => {
  test('the handler publishes EMF metrics under a per-stack namespace', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ METRICS_NAMESPACE: `ScimConnect/${STACK_ID}` }) },
    });
  });

  test('sustained 5xx and sustained throttling each raise an alarm, silent without a topic', () => {
    const alarms = Object.values(json.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    assert.equal(alarms.length, 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: `ScimConnect/${STACK_ID}`,
      MetricName: 'Throttled',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 20,
      EvaluationPeriods: 6,
      DatapointsToAlarm: 6,
    });
    for (const alarm of alarms) {
      assert.equal(alarm.Properties.AlarmActions, undefined);
    }
  });

  test('alarmTopicArn sends alarm and recovery notifications to your topic', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:contact-center-ops';
    const t = Template.fromStack(stackOf(app({ instanceId: INSTANCE_ID, alarmTopicArn: topic })));
    t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] }, 2);
    assert.throws(() => app({ instanceId: INSTANCE_ID, alarmTopicArn: 'ops-topic' }), /alarmTopicArn/);
  });

  test('the throttling alarm watches a metric the handler really emits', () => {
    const emf = readFileSync(join(__dirname, '..', '..', 'lambdas', 'scim-handler', 'src', 'emf.rs'), 'utf8');
    for (const name of HANDLER_METRICS) {
      assert.match(emf, new RegExp(`metric\\("${name}"`), name);
    }
  });
});

describe('configuration', () => {
  test('context flows into the Lambda environment and architecture', () => {
    const t = Template.fromStack(
      stackOf(
        app({
          instanceId: INSTANCE_ID,
          deprovisionMode: 'disable',
          defaultSecurityProfile: 'Agent,QualityAnalyst',
          arch: 'x86_64',
          departmentMap: '{ "Sales": {"securityProfiles": ["Agent"], "routingProfile": "Sales"} }',
          proficiencyMap: '{ "Spanish Support": "Language=Spanish:4; Skill=Billing:2" }',
        }),
      ),
    );
    t.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['x86_64'],
      Environment: {
        Variables: Match.objectLike({
          DEPROVISION_MODE: 'disable',
          DEFAULT_SECURITY_PROFILE: 'Agent,QualityAnalyst',
          DEPARTMENT_MAP: '{"Sales":{"securityProfiles":["Agent"],"routingProfile":"Sales"}}',
          PROFICIENCY_MAP: '{"Spanish Support":"Language=Spanish:4; Skill=Billing:2"}',
        }),
      },
    });
  });

  test('without instanceId the template takes a UUID-checked parameter', () => {
    Template.fromStack(stackOf(app())).hasParameter('ConnectInstanceId', {
      Type: 'String',
      AllowedPattern: CONNECT_INSTANCE_ID_PATTERN,
    });
  });

  test('malformed values stop synthesis before anything is created', () => {
    for (const bad of ['not-a-uuid', INSTANCE_ID.toUpperCase(), ` ${INSTANCE_ID}`, `arn:aws:connect:us-east-1:1:instance/${INSTANCE_ID}`]) {
      assert.throws(() => app({ instanceId: bad }), /Invalid context value instanceId/);
    }
    assert.throws(() => app({ instanceId: INSTANCE_ID, deprovisionMode: 'archive' }), /deprovisionMode/);
    assert.throws(() => app({ instanceId: INSTANCE_ID, arch: 'sparc' }), /arch/);
    assert.throws(() => app({ instanceId: INSTANCE_ID, groupsCreateSecurityProfiles: 'yes' }), /groupsCreateSecurityProfiles/);
    assert.throws(() => app({ instanceId: INSTANCE_ID, reservedConcurrency: '-1' }), /reservedConcurrency/);
    assert.throws(() => app({ instanceId: INSTANCE_ID, departmentMap: '{"Sales": []}' }), /departmentMap/);
    assert.throws(() => app({ instanceId: INSTANCE_ID, departmentMap: 'not json' }), /departmentMap/);
    assert.throws(() => app({ instanceId: INSTANCE_ID, proficiencyMap: 'not json' }), /proficiencyMap/);
    for (const [key, bad] of [
      ['throttleBurst', '2.5'],
      ['connectRateLimit', '-1'],
      ['profileCacheSeconds', 'soon'],
      ['tokenCacheSeconds', '1.5'],
      ['scimBaseUrl', 'scim.example.com'],
      ['connectIdentityType', 'LDAP'],
      ['defaultSecurityProfile', ' , '],
      ['authorizerReservedConcurrency', '0'],
      ['allowedCidrs', '10.0.0.0'],
      ['allowedCidrs', '10.0.0.256/24'],
      ['allowedCidrs', '10.0.0.0/33'],
      ['allowedCidrs', '2001:db8:::/32'],
      ['allowedCidrs', ' , '],
      ['webAclArn', 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/scim/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
      ['webAclArn', 'my-acl'],
      ['assignableSecurityProfiles', 'Agent,*'],
      ['assignableSecurityProfiles', ' , '],
    ]) {
      assert.throws(() => app({ instanceId: INSTANCE_ID, [key]: bad }), new RegExp(`${key}.*make deploy ${makeVariable(key)}=`));
    }
  });

  test('the configuration is typed: department rules, profile lists, numbers', () => {
    const context: Record<string, string> = {
      instanceId: INSTANCE_ID,
      defaultSecurityProfile: 'Agent, QualityAnalyst',
      departmentMap: '{"Sales": "Agent", "Support": ["Agent", "QA"], "Billing": {"securityProfiles": ["Agent"], "routingProfile": "Billing"}}',
      reservedConcurrency: '2',
      connectIdentityType: 'saml',
    };
    const config = readConfig((key) => context[key]);
    assert.deepEqual(config.defaultSecurityProfiles, ['Agent', 'QualityAnalyst']);
    assert.deepEqual(config.departmentMap, {
      Sales: { securityProfiles: ['Agent'] },
      Support: { securityProfiles: ['Agent', 'QA'] },
      Billing: { securityProfiles: ['Agent'], routingProfile: 'Billing' },
    });
    assert.equal(config.reservedConcurrency, 2);
    assert.equal(config.connectIdentityType, 'SAML');
    assert.equal(config.architecture, Architecture.ARM_64);
    // cdk.json may hold the structured forms directly.
    const fromJson = readConfig((key) => ({ departmentMap: { Sales: ['Agent'] }, defaultSecurityProfile: ['Agent', 'QA'] })[key]);
    assert.deepEqual(fromJson.departmentMap, { Sales: { securityProfiles: ['Agent'] } });
    assert.deepEqual(fromJson.defaultSecurityProfiles, ['Agent', 'QA']);
  });

  test('the department map reaches the handler in the forms it reads', () => {
    const env = handlerEnvironment({
      ...readConfig(() => undefined),
      departmentMap: {
        Sales: { securityProfiles: ['Agent'] },
        Support: { securityProfiles: ['Agent', 'QA'] },
        Billing: { securityProfiles: ['Agent'], routingProfile: 'Billing' },
      },
    });
    assert.deepEqual(JSON.parse(env.DEPARTMENT_MAP), {
      Sales: 'Agent',
      Support: ['Agent', 'QA'],
      Billing: { securityProfiles: ['Agent'], routingProfile: 'Billing' },
    });
    assert.equal(handlerEnvironment(readConfig(() => undefined)).DEPARTMENT_MAP, undefined);
  });

  test('an invalid department map fails synthesis, naming the department and the make variable', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"Sales": []}', /departmentMap\["Sales"\] \(make deploy DEPARTMENT_MAP=…\): 0 security profiles \(Connect allows 1 to 10\)/],
      [JSON.stringify({ Sales: Array.from({ length: 11 }, (_, i) => `P${i}`) }), /departmentMap\["Sales"\].*11 security profiles/],
      ['{"Sales": {"securityProfile": ["Agent"]}}', /departmentMap\["Sales"\].*unknown key "securityProfile"/],
      ['{"Sales": {"securityProfiles": ["Agent"], "routingProfile": 5}}', /departmentMap\["Sales"\].*routingProfile must be a routing profile name/],
      ['{"Sales": [1]}', /departmentMap\["Sales"\].*security profiles must be names/],
      ['{"Sales": 5}', /departmentMap\["Sales"\].*got 5/],
      ['["Sales"]', /departmentMap.*expected a JSON object of department -> rule/],
      ['{"Sales": ', /departmentMap.*DEPARTMENT_MAP.*not JSON/],
    ];
    for (const [departmentMap, message] of cases) {
      assert.throws(() => app({ instanceId: INSTANCE_ID, departmentMap }), message, departmentMap);
    }
  });

  test('the proficiency map is typed from each form the handler reads, and reaches it in the shortest', () => {
    const config = readConfig((key) =>
      key === 'proficiencyMap'
        ? JSON.stringify({
            'Spanish Support': 'Language=Spanish:4; Skill=Billing:2',
            Sales: ['Language=English:3', 'Skill = Sales : 5\nLanguage=english:2'],
            Billing: [{ attributeName: 'Skill', attributeValue: 'Billing', level: 2 }, { ATTRIBUTENAME: 'Language', attributeValue: 'French', level: '4' }],
            Escalations: { attributeName: 'Tier', attributeValue: 'Level:3', level: 5.0 },
            Interns: [],
            Temps: null,
            'Odd Names': [{ attributeName: 'Team=A', attributeValue: 'East', level: 1 }, 'Region=North:2'],
          })
        : undefined,
    );
    assert.deepEqual(config.proficiencyMap, {
      'Spanish Support': [
        { attributeName: 'Language', attributeValue: 'Spanish', level: 4 },
        { attributeName: 'Skill', attributeValue: 'Billing', level: 2 },
      ],
      // Named twice (in any case): the later level, as the handler keeps it.
      Sales: [
        { attributeName: 'Language', attributeValue: 'English', level: 2 },
        { attributeName: 'Skill', attributeValue: 'Sales', level: 5 },
      ],
      Billing: [
        { attributeName: 'Skill', attributeValue: 'Billing', level: 2 },
        { attributeName: 'Language', attributeValue: 'French', level: 4 },
      ],
      Escalations: [{ attributeName: 'Tier', attributeValue: 'Level:3', level: 5 }],
      Interns: [],
      Temps: [],
      'Odd Names': [
        { attributeName: 'Team=A', attributeValue: 'East', level: 1 },
        { attributeName: 'Region', attributeValue: 'North', level: 2 },
      ],
    });
    // cdk.json may hold the structured form directly.
    assert.deepEqual(readConfig((key) => (key === 'proficiencyMap' ? { Sales: 'Language=English:3' } : undefined)).proficiencyMap, {
      Sales: [{ attributeName: 'Language', attributeValue: 'English', level: 3 }],
    });
    assert.deepEqual(JSON.parse(handlerEnvironment(config).PROFICIENCY_MAP), {
      'Spanish Support': 'Language=Spanish:4; Skill=Billing:2',
      Sales: 'Language=English:2; Skill=Sales:5',
      Billing: 'Skill=Billing:2; Language=French:4',
      Escalations: 'Tier=Level:3:5',
      Interns: [],
      Temps: [],
      // A name holding "=" cannot be compact text.
      'Odd Names': [{ attributeName: 'Team=A', attributeValue: 'East', level: 1 }, 'Region=North:2'],
    });
    assert.equal(handlerEnvironment(readConfig(() => undefined)).PROFICIENCY_MAP, undefined);
    assert.equal(handlerEnvironment(readConfig((key) => (key === 'proficiencyMap' ? ' ' : undefined))).PROFICIENCY_MAP, undefined);
  });

  test('an invalid proficiency map fails synthesis, naming the department and the make variable', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `Skill=S${i}:1`).join('; ');
    const cases: Array<[string, RegExp]> = [
      ['{"Sales": "Language=Spanish:6"}', /proficiencyMap\["Sales"\] \(make deploy PROFICIENCY_MAP=…\): level 6 of Language=Spanish is not valid \(Amazon Connect levels are whole numbers 1 to 5\)/],
      ['{"Sales": "Language=Spanish:0"}', /proficiencyMap\["Sales"\].*level 0 of Language=Spanish/],
      ['{"Sales": "Language=Spanish:2.5"}', /proficiencyMap\["Sales"\].*level 2.5 of Language=Spanish/],
      ['{"Sales": [{"attributeName": "Language", "attributeValue": "Spanish", "level": 3.5}]}', /proficiencyMap\["Sales"\].*level 3.5/],
      [JSON.stringify({ Sales: eleven }), /proficiencyMap\["Sales"\].*11 proficiencies \(an Amazon Connect agent has at most 10\)/],
      ['{"Sales": "Language Spanish 4"}', /proficiencyMap\["Sales"\].*"Language Spanish 4" is not Name=Value:level/],
      ['{"Sales": "Language=Spanish"}', /proficiencyMap\["Sales"\].*"Language=Spanish" is not Name=Value:level/],
      ['{"Sales": "Language=Spanish:high"}', /proficiencyMap\["Sales"\].*is not Name=Value:level/],
      ['{"Sales": "=Spanish:4"}', /proficiencyMap\["Sales"\].*is not Name=Value:level/],
      ['{"Sales": [{"attributeName": "Language", "level": 3}]}', /proficiencyMap\["Sales"\].*attributeValue is required/],
      ['{"Sales": [{"attributeName": "Language", "attributeValue": "Spanish"}]}', /proficiencyMap\["Sales"\].*level must be a number, not null/],
      ['{"Sales": [{"attributeName": "Language", "attributeValue": "Spanish", "level": "0x4"}]}', /proficiencyMap\["Sales"\].*level must be a number/],
      ['{"Sales": [5]}', /proficiencyMap\["Sales"\].*got 5 in the list/],
      ['{"Sales": 5}', /proficiencyMap\["Sales"\].*got 5; expected text like "Language=Spanish:4; Skill=Billing:2"/],
      ['["Sales"]', /proficiencyMap.*PROFICIENCY_MAP.*expected a JSON object of department -> proficiencies/],
      ['{"Sales": ', /proficiencyMap.*PROFICIENCY_MAP.*not JSON/],
    ];
    for (const [proficiencyMap, message] of cases) {
      assert.throws(() => app({ instanceId: INSTANCE_ID, proficiencyMap }), message, proficiencyMap);
    }
  });

  test('ASSIGNABLE_SECURITY_PROFILES reaches the handler; the defaults and the department map must be assignable', () => {
    const env = (context: Record<string, string>) => handlerEnvironment(readConfig((key) => context[key]));
    assert.equal(env({}).ASSIGNABLE_SECURITY_PROFILES, undefined, 'unset: the handler\'s default (all but Admin)');
    assert.equal(env({ assignableSecurityProfiles: '*' }).ASSIGNABLE_SECURITY_PROFILES, '*');
    assert.equal(
      env({ assignableSecurityProfiles: 'Agent, QualityAnalyst', defaultSecurityProfile: 'agent' }).ASSIGNABLE_SECURITY_PROFILES,
      'Agent,QualityAnalyst',
    );
    assert.ok(isAssignable({}, 'Agent'));
    assert.ok(!isAssignable({}, 'Admin'));
    assert.ok(!isAssignable({}, 'admin'), 'Connect names match in any case');
    assert.ok(isAssignable({ assignableSecurityProfiles: '*' }, 'Admin'));
    assert.ok(!isAssignable({ assignableSecurityProfiles: ['Agent'] }, 'QualityAnalyst'));
    const refused: Array<[Record<string, string>, RegExp]> = [
      [{ defaultSecurityProfile: 'Admin' }, /defaultSecurityProfile.*make deploy DEFAULT_SECURITY_PROFILE=.*every profile but Admin.*ASSIGNABLE_SECURITY_PROFILES/],
      [{ defaultSecurityProfile: 'Agent', assignableSecurityProfiles: 'QualityAnalyst' }, /"Agent".*ASSIGNABLE_SECURITY_PROFILES/],
      [{ departmentMap: '{"IT": ["Agent", "Admin"]}' }, /departmentMap\["IT"\] \(make deploy DEPARTMENT_MAP=…\): security profile "Admin" is not one the bridge may assign/],
      [{ departmentMap: '{"Sales": "Sales"}', assignableSecurityProfiles: 'Agent' }, /departmentMap\["Sales"\].*"Sales".*ASSIGNABLE_SECURITY_PROFILES=Agent/],
    ];
    for (const [context, message] of refused) {
      assert.throws(() => app({ instanceId: INSTANCE_ID, ...context }), message, JSON.stringify(context));
    }
    // Allowed explicitly, Admin may be the default.
    app({ instanceId: INSTANCE_ID, defaultSecurityProfile: 'Admin', assignableSecurityProfiles: '*' });
  });

  test('the front-door settings are typed: CIDR lists, a web ACL, the authorizer\'s concurrency', () => {
    const config = readConfig((key) => ({ allowedCidrs: '203.0.113.0/24,2001:db8::/32, 0.0.0.0/0', authorizerReservedConcurrency: '3' })[key]);
    assert.deepEqual(config.allowedCidrs, ['203.0.113.0/24', '2001:db8::/32', '0.0.0.0/0']);
    assert.equal(config.authorizerReservedConcurrency, 3);
    const defaults = readConfig(() => undefined);
    assert.equal(defaults.allowedCidrs, undefined);
    assert.equal(defaults.webAclArn, undefined);
    assert.equal(defaults.authorizerReservedConcurrency, 10);
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 10,
      Environment: { Variables: Match.objectLike({ TOKEN_CACHE_SECONDS: '60' }) },
    });
    assert.deepEqual(readConfig((key) => ({ allowedCidrs: ['10.0.0.0/8', '::1/128'] })[key]).allowedCidrs, ['10.0.0.0/8', '::1/128']);
  });

  test('make deploy requires the instance, and says how to give it', () => {
    assert.throws(() => readConfig(() => undefined, { requireInstanceId: true }), /INSTANCE_ID is required/);
    assert.throws(
      () => readConfig((key) => (key === 'instanceId' ? `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` : undefined)),
      new RegExp(`pass only the part after instance/: ${INSTANCE_ID}`),
    );
  });

  test('every tunable reaches the Lambdas and the stage; unset, the handler keeps its own defaults', () => {
    const t = Template.fromStack(
      stackOf(
        app({
          instanceId: INSTANCE_ID,
          defaultRoutingProfile: 'Sales Queue',
          connectRateLimit: '1',
          connectRateBurst: '3',
          profileCacheSeconds: '60',
          scimBaseUrl: 'https://scim.example.com/scim/v2',
          connectIdentityType: 'CONNECT_MANAGED',
          tokenCacheSeconds: '30',
          reservedConcurrency: '2',
          throttleRate: '3',
          throttleBurst: '6',
        }),
      ),
    );
    t.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 2,
      Environment: {
        Variables: Match.objectLike({
          DEFAULT_ROUTING_PROFILE: 'Sales Queue',
          CONNECT_RATE_LIMIT: '1',
          CONNECT_RATE_BURST: '3',
          PROFILE_CACHE_SECONDS: '60',
          SCIM_BASE_URL: 'https://scim.example.com/scim/v2',
          CONNECT_IDENTITY_TYPE: 'CONNECT_MANAGED',
        }),
      },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TOKEN_CACHE_SECONDS: '30' }) },
    });
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 3, ThrottlingBurstLimit: 6 })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TOKEN_CACHE_SECONDS: '60' }) },
    });
    for (const fn of Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
      const variables = Object.keys((fn.Properties.Environment as { Variables: Record<string, string> }).Variables);
      for (const unset of ['CONNECT_RATE_LIMIT', 'CONNECT_RATE_BURST', 'PROFILE_CACHE_SECONDS', 'SCIM_BASE_URL', 'CONNECT_IDENTITY_TYPE', 'DEPARTMENT_MAP', 'PROFICIENCY_MAP']) {
        assert.ok(!variables.includes(unset), unset);
      }
    }
  });

  test('make deploy passes every setting the app reads, and the README lists each', () => {
    const keys = new Set<string>();
    readConfig((key) => {
      keys.add(key);
      return undefined;
    });
    const makefile = readFileSync(join(__dirname, '..', '..', 'Makefile'), 'utf8');
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const deploySection = readme.slice(readme.indexOf('## Deploy into your AWS account'), readme.indexOf('\n## ', readme.indexOf('## Deploy into')));
    for (const key of keys) {
      assert.ok(makefile.includes(`$(call context,${key},${makeVariable(key)})`), `Makefile CDK_CONTEXT lacks ${key}`);
      assert.ok(deploySection.includes(`\`${makeVariable(key)}`), `README "Deploy" lacks ${makeVariable(key)}`);
    }
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  test('the stack synthesizes with no unacknowledged finding', () => {
    app({ instanceId: INSTANCE_ID }).synth();
  });

  test('each acknowledgement sits on the construct it covers, with its reason', () => {
    const a = app();
    a.synth();
    const acknowledged: Record<string, string[]> = {};
    for (const c of a.node.findAll()) {
      for (const entry of c.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
          continue;
        }
        assert.ok(!(c instanceof Stack) && c !== a, `acknowledged on ${c.node.path || 'the app'}, not beside a resource`);
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          assert.ok(reason.length > 20, `${id} needs a reason`);
          (acknowledged[c.node.path] ??= []).push(id.replace(/^annotation::/i, '').replace(/\[.*$/, ''));
        }
      }
    }
    assert.deepEqual(acknowledged, {
      [`${STACK_ID}/Token/Secret`]: ['AwsSolutions-SMG4'],
      // One per Connect resource type the handler reaches by wildcard: agent,
      // security-profile, routing-profile, agent-group, transfer-destination.
      [`${STACK_ID}/Provisioner/Handler/Role`]: Array(5).fill('AwsSolutions-IAM5'),
      [`${STACK_ID}/Scim/Api`]: ['AwsSolutions-APIG2', 'AwsSolutions-COG4', 'AwsSolutions-APIG3'],
      [`${STACK_ID}/Scim/Api/CloudWatchRole`]: ['AwsSolutions-IAM4'],
    });
  });

  test('with a web ACL, APIG3 (no WAF) is not acknowledged at all', () => {
    const a = app({
      instanceId: INSTANCE_ID,
      webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/scim/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    });
    a.synth();
    const ids = a.node.findAll().flatMap((c) =>
      c.node.metadata.filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((e) => Object.keys(e.data as object)),
    );
    assert.ok(!ids.some((id) => id.includes('APIG3')), ids.join(', '));
  });

  test('a finding fails synthesis', () => {
    const a = app({ instanceId: INSTANCE_ID });
    new Bucket(stackOf(a), 'UnencryptedBucket');
    assert.throws(() => a.synth(), /AwsSolutions-S1/);
  });
});
