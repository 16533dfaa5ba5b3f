import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { App, Stack } from 'aws-cdk-lib/core';
import { createApp, STACK_ID } from '../lib/create-app';
import { CONNECT_INSTANCE_ID_PATTERN, ScimConnectStack } from '../lib/scim-connect-stack';

// Synthesize as `cdk synth` does: with the feature flags from cdk.json and with version
// reporting on (the CLI's default). The latter adds the stack's CDKMetadata resource,
// which for now is its only resource: without any resource CloudFormation rejects the
// template, and the built-in validation fails synth with CloudFormation-Validate::F0001.
// appMode 'inmemory' makes validation failures (cdk-nag findings) throw with the full
// report in the error message.
const cdkJsonContext = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
}).context;

function app(context: Record<string, unknown> = {}): App {
  return createApp({
    analyticsReporting: true,
    context: { ...cdkJsonContext, '@aws-cdk/core:appMode': 'inmemory', ...context },
  });
}

function stackOf(a: App): Stack {
  return a.node.findChild(STACK_ID) as ScimConnectStack;
}

const INSTANCE_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('ScimConnectStack without instanceId context', () => {
  const template = Template.fromStack(stackOf(app()));

  test('has a description', () => {
    assert.equal(template.toJSON().Description, 'SCIM provisioning bridge for Amazon Connect');
  });

  test('takes the instance ID as a ConnectInstanceId parameter restricted to the UUID pattern', () => {
    template.hasParameter('ConnectInstanceId', {
      Type: 'String',
      AllowedPattern: CONNECT_INSTANCE_ID_PATTERN,
    });
    const pattern = new RegExp(CONNECT_INSTANCE_ID_PATTERN);
    assert.match(INSTANCE_ID, pattern);
    assert.doesNotMatch(INSTANCE_ID.toUpperCase(), pattern);
    assert.doesNotMatch(`${INSTANCE_ID}x`, pattern);
    assert.doesNotMatch(`arn:aws:connect:us-east-1:111111111111:instance/${INSTANCE_ID}`, pattern);
  });

  test('outputs the instance ARN built from partition, region, account and the parameter', () => {
    template.hasOutput('ConnectInstanceArn', {
      Value: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':connect:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':instance/',
            { Ref: 'ConnectInstanceId' },
          ],
        ],
      },
    });
  });
});

describe('ScimConnectStack with instanceId context', () => {
  const template = Template.fromStack(stackOf(app({ instanceId: INSTANCE_ID })));

  test('uses the literal ID instead of a parameter', () => {
    assert.deepEqual(Object.keys(template.findParameters('ConnectInstanceId')), []);
    template.hasOutput('ConnectInstanceArn', {
      Value: { 'Fn::Join': ['', Match.arrayWith([`:instance/${INSTANCE_ID}`])] },
    });
  });

  for (const bad of ['not-a-uuid', INSTANCE_ID.toUpperCase(), ` ${INSTANCE_ID}`, '', 42]) {
    test(`rejects malformed instanceId ${JSON.stringify(bad)}`, () => {
      assert.throws(() => app({ instanceId: bad }), /Invalid context value instanceId .*Amazon Connect instance ID/);
    });
  }

  test('the stack itself rejects a malformed connectInstanceId prop', () => {
    const a = createApp();
    assert.throws(
      () => new ScimConnectStack(a, 'Direct', { connectInstanceId: 'nope' }),
      /Invalid connectInstanceId "nope"/,
    );
  });
});

describe('cdk-nag (AwsSolutions) validation plugin', () => {
  test('the stack synthesizes with no findings', () => {
    assert.doesNotThrow(() => app().synth());
  });

  test('a finding fails synthesis', () => {
    const a = app();
    new Bucket(stackOf(a), 'NonCompliantBucket');
    assert.throws(() => a.synth(), /AwsSolutions-S1/);
  });
});
