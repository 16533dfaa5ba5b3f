import { RemovalPolicy, Validations } from 'aws-cdk-lib/core';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The bearer token the IdP presents. Secrets Manager generates it (64
 * characters, no punctuation, so it pastes cleanly into any IdP form); it never
 * appears in the template. Rotation is by hand (`make rotate-token`) because
 * the IdP holds a copy: the new value becomes AWSCURRENT and the old one stays
 * valid as AWSPREVIOUS until `make retire-token`.
 */
export class TokenSecret extends Construct {
  public readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Bearer token for the SCIM provisioning API (paste it into the IdP)',
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The IdP keeps a copy of the token, so rotation is an operator action (make rotate-token): the new value becomes AWSCURRENT and the old one stays valid as AWSPREVIOUS until make retire-token.',
    });
  }
}
