import { Duration, Stack, Token, Validations } from 'aws-cdk-lib/core';
import { CfnSecurityProfile } from 'aws-cdk-lib/aws-connect';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Architecture } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerEnvironment, type HandlerSettings } from './config';
import { RustLambda } from './rust-lambda';

/**
 * Exactly the Connect API calls the handler makes: CONNECT_OPERATIONS in
 * lambdas/connect-directory/src/attempts.rs, whose test holds this file's
 * quoted Connect action names equal to that list (so the actions below are the
 * only ones written that way here; see {@link dependentAction}).
 */
export const CONNECT_ACTIONS = [
  'connect:CreateUser',
  'connect:DescribeUser',
  'connect:SearchUsers',
  'connect:UpdateUserIdentityInfo',
  'connect:UpdateUserSecurityProfiles',
  'connect:UpdateUserRoutingProfile',
  'connect:UpdateUserPhoneConfig',
  'connect:UpdateUserHierarchy',
  'connect:DeleteUser',
  'connect:ListSecurityProfiles',
  'connect:ListRoutingProfiles',
  'connect:TagResource',
  'connect:UntagResource',
  // /Groups: groups are security profiles.
  'connect:SearchSecurityProfiles',
  'connect:DescribeSecurityProfile',
  // The Connect extension's hierarchyGroup, by name or path.
  'connect:SearchUserHierarchyGroups',
  // The instance's identity management type (SAML refuses Email), once per cold start.
  'connect:DescribeInstance',
  // DeleteUser's documentation: delete the quick connects to a deleted user.
  'connect:SearchQuickConnects',
  'connect:DeleteQuickConnect',
  // Routing-ready agents: proficiencies (names and values of the instance's
  // predefined attributes) and per-channel settings.
  'connect:SearchPredefinedAttributes',
  'connect:AssociateUserProficiencies',
  'connect:UpdateUserProficiencies',
  'connect:DisassociateUserProficiencies',
  'connect:UpdateUserConfig',
  // Read only when a proficiency write is refused, to see what the agent holds.
  'connect:ListUserProficiencies',
];

/** Only with groupsCreateSecurityProfiles: groups may make (and delete their own) profiles. */
export const GROUP_CREATE_ACTIONS = ['connect:CreateSecurityProfile', 'connect:DeleteSecurityProfile'];

/**
 * An action the code never calls but the Service Authorization Reference
 * lists as a *dependent action* of one it calls (Connect checks it too).
 * Written as a template so the Rust test above does not count it as a call.
 */
export function dependentAction(name: string): string {
  return `connect:${name}`;
}

/**
 * The Search* calls' dependent actions, from the Service Authorization
 * Reference's "Dependent actions" column: SearchUsers → DescribeUser and
 * ListUserProficiencies (which the code calls itself); SearchUserHierarchyGroups →
 * DescribeUserHierarchyGroup; SearchQuickConnects → DescribeQuickConnect;
 * SearchSecurityProfiles → DescribeSecurityProfile (which the code calls
 * itself). All reads.
 */
export const SEARCH_DEPENDENT_ACTIONS = ['DescribeUserHierarchyGroup', 'DescribeQuickConnect'].map(dependentAction);

/** The tag every user and security profile the bridge creates carries; the only ones it may change or delete. */
export const MANAGED_TAG = { key: 'scim:managed', value: 'true' } as const;

/** Every tag key the bridge writes starts with this. */
export const TAG_KEY_PATTERN = 'scim:*';

/**
 * Connect's resource types as they appear in ARNs under the instance
 * (Service Authorization Reference, "Resource types defined by Amazon
 * Connect": user = instance/<id>/agent/<UserId>, hierarchy-group =
 * instance/<id>/agent-group/<Id>, quick-connect =
 * instance/<id>/transfer-destination/<Id>).
 */
export const RESOURCE_TYPES = {
  user: 'agent',
  securityProfile: 'security-profile',
  routingProfile: 'routing-profile',
  hierarchyGroup: 'agent-group',
  quickConnect: 'transfer-destination',
} as const;

/** One of the actions the code calls, by name; throws on any other (a typo must not pass silently). */
function called(name: string): string {
  const action = [...CONNECT_ACTIONS, ...GROUP_CREATE_ACTIONS].find((a) => a === `connect:${name}`);
  if (action === undefined) {
    throw new Error(`connect:${name} is not an action the handler calls (CONNECT_ACTIONS)`);
  }
  return action;
}

/**
 * The handler's Connect permissions, one statement per resource type, as the
 * Service Authorization Reference ("Actions, resources, and condition keys
 * for Amazon Connect",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html)
 * lists each action's resource types and condition keys. Where one call is
 * authorized on several resource types (UpdateUserSecurityProfiles: user* and
 * security-profile*), each type is its own statement and only the user's
 * carries the scim:managed condition: a condition on a resource that never has
 * the tag would deny every call.
 */
export function connectStatements(instanceArn: string, groupsCreateSecurityProfiles: boolean): PolicyStatement[] {
  const under = (type: string) => `${instanceArn}/${type}/*`;
  const users = under(RESOURCE_TYPES.user);
  const securityProfiles = under(RESOURCE_TYPES.securityProfile);
  const managed = { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG.key}`]: MANAGED_TAG.value } };
  const onlyScimTagKeys = { 'ForAllValues:StringLike': { 'aws:TagKeys': [TAG_KEY_PATTERN] } };
  const statements = [
    new PolicyStatement({
      // Reference: each of these has only instance* as resource type (List*
      // and Search* list the instance's resources; DescribeInstance reads it;
      // SearchPredefinedAttributes, like every Search* read: the reference
      // defines no resource type for a predefined attribute).
      sid: 'InstanceReads',
      effect: Effect.ALLOW,
      actions: [
        'DescribeInstance',
        'SearchUsers',
        'ListSecurityProfiles',
        'ListRoutingProfiles',
        'SearchSecurityProfiles',
        'SearchUserHierarchyGroups',
        'SearchQuickConnects',
        'SearchPredefinedAttributes',
      ].map(called),
      resources: [instanceArn],
    }),
    new PolicyStatement({
      // Reference: DescribeUser is on user*; ListUserProficiencies (SearchUsers'
      // dependent action) on instance* and user*. Unconditioned: the bridge
      // reads every agent (lists, filters, and to refuse an unmanaged one by
      // its tags).
      sid: 'UserReads',
      effect: Effect.ALLOW,
      actions: [called('DescribeUser'), called('ListUserProficiencies')],
      resources: [instanceArn, users],
    }),
    new PolicyStatement({
      // Reference: CreateUser is on user*, security-profile*, routing-profile*
      // and hierarchy-group, with aws:RequestTag/${TagKey} and aws:TagKeys. On
      // the user: only with scim:managed=true among the request's tags, and no
      // tag key outside scim:*. The reference lists no dependent action (no
      // TagResource) for tags given at creation.
      sid: 'CreateManagedUser',
      effect: Effect.ALLOW,
      actions: [called('CreateUser')],
      resources: [users],
      conditions: { StringEquals: { [`aws:RequestTag/${MANAGED_TAG.key}`]: MANAGED_TAG.value }, ...onlyScimTagKeys },
    }),
    new PolicyStatement({
      // Reference: UpdateUserIdentityInfo, UpdateUserPhoneConfig and DeleteUser
      // are on user* only; UpdateUserSecurityProfiles, UpdateUserRoutingProfile
      // and UpdateUserHierarchy also on the profile or group, and
      // Associate/Update/DisassociateUserProficiencies also on instance*
      // (statements below). All list aws:ResourceTag/${TagKey}; the user
      // resource type does too. UpdateUserConfig is missing from the copy of
      // the reference we could check (which lists the other user writes
      // here), so it is granted like UpdateUserPhoneConfig, the call its API
      // reference says it replaces: on user* only. Only agents tagged
      // scim:managed=true.
      sid: 'ManagedUserWrites',
      effect: Effect.ALLOW,
      actions: [
        'UpdateUserIdentityInfo',
        'UpdateUserSecurityProfiles',
        'UpdateUserRoutingProfile',
        'UpdateUserPhoneConfig',
        'UpdateUserHierarchy',
        'DeleteUser',
        'AssociateUserProficiencies',
        'UpdateUserProficiencies',
        'DisassociateUserProficiencies',
        'UpdateUserConfig',
      ].map(called),
      resources: [users],
      conditions: managed,
    }),
    new PolicyStatement({
      // Reference: AssociateUserProficiencies, UpdateUserProficiencies and
      // DisassociateUserProficiencies are each on instance* and user*: the
      // agent's side is ManagedUserWrites (scim:managed=true); this is the
      // instance's, unconditioned (the instance carries no tag of ours), and
      // grants nothing without the agent's. The reference defines no resource
      // type for a predefined attribute, so the proficiencies named are not
      // authorized one by one.
      sid: 'ProficiencyWritesOnInstance',
      effect: Effect.ALLOW,
      actions: ['AssociateUserProficiencies', 'UpdateUserProficiencies', 'DisassociateUserProficiencies'].map(called),
      resources: [instanceArn],
    }),
    new PolicyStatement({
      // Reference: TagResource/UntagResource take any taggable type (the
      // bridge tags agents and, for groups, security profiles) with aws:TagKeys (and aws:RequestTag); the
      // user resource type carries aws:ResourceTag/${TagKey}. Only managed
      // agents, only scim:* keys: an unmanaged agent cannot be adopted by the
      // bridge, only by an admin tagging it.
      sid: 'ManagedUserTags',
      effect: Effect.ALLOW,
      actions: [called('TagResource'), called('UntagResource')],
      resources: [users],
      conditions: { ...managed, ...onlyScimTagKeys },
    }),
    new PolicyStatement({
      // Reference: security-profile* is a required resource of CreateUser and
      // UpdateUserSecurityProfiles (the profiles granted) and of
      // DescribeSecurityProfile. Unconditioned: the profiles are yours, not
      // tagged; which may be granted is ASSIGNABLE_SECURITY_PROFILES, checked
      // by the handler (IAM sees profile ids, not names).
      sid: 'SecurityProfiles',
      effect: Effect.ALLOW,
      actions: ['CreateUser', 'UpdateUserSecurityProfiles', 'DescribeSecurityProfile'].map(called),
      resources: [securityProfiles],
    }),
    new PolicyStatement({
      // Reference: as above, TagResource/UntagResource on a security profile
      // with aws:TagKeys. A group's externalId is kept as the tag
      // scim:externalId on the profile it links to, which may be one an
      // administrator made (so no scim:managed condition); only scim:* keys,
      // so no tag Connect's tag-based access control reads can change.
      sid: 'GroupExternalIdTags',
      effect: Effect.ALLOW,
      actions: [called('TagResource'), called('UntagResource')],
      resources: [securityProfiles],
      conditions: onlyScimTagKeys,
    }),
    new PolicyStatement({
      // Reference: routing-profile* is a required resource of CreateUser and UpdateUserRoutingProfile.
      sid: 'RoutingProfiles',
      effect: Effect.ALLOW,
      actions: ['CreateUser', 'UpdateUserRoutingProfile'].map(called),
      resources: [under(RESOURCE_TYPES.routingProfile)],
    }),
    new PolicyStatement({
      // Reference: hierarchy-group is a resource of CreateUser (optional) and
      // UpdateUserHierarchy; DescribeUserHierarchyGroup (hierarchy-group*) is
      // SearchUserHierarchyGroups' dependent action.
      sid: 'HierarchyGroups',
      effect: Effect.ALLOW,
      actions: [called('CreateUser'), called('UpdateUserHierarchy'), dependentAction('DescribeUserHierarchyGroup')],
      resources: [under(RESOURCE_TYPES.hierarchyGroup)],
    }),
    new PolicyStatement({
      // Reference: DeleteQuickConnect is on quick-connect*, and
      // DescribeQuickConnect (SearchQuickConnects' dependent action) too.
      // Unconditioned: Connect made these quick connects for the agent, and
      // the handler deletes only those that transfer to an agent it deletes.
      sid: 'QuickConnectsOfDeletedUsers',
      effect: Effect.ALLOW,
      actions: [called('DeleteQuickConnect'), dependentAction('DescribeQuickConnect')],
      resources: [under(RESOURCE_TYPES.quickConnect)],
    }),
  ];
  if (groupsCreateSecurityProfiles) {
    statements.push(
      new PolicyStatement({
        // Reference: CreateSecurityProfile is on security-profile* with
        // aws:RequestTag/${TagKey} and aws:TagKeys.
        sid: 'CreateManagedSecurityProfile',
        effect: Effect.ALLOW,
        actions: [called('CreateSecurityProfile')],
        resources: [securityProfiles],
        conditions: { StringEquals: { [`aws:RequestTag/${MANAGED_TAG.key}`]: MANAGED_TAG.value }, ...onlyScimTagKeys },
      }),
      new PolicyStatement({
        // Reference: DeleteSecurityProfile is on security-profile* with
        // aws:ResourceTag/${TagKey}: only the profiles the bridge made.
        sid: 'DeleteManagedSecurityProfile',
        effect: Effect.ALLOW,
        actions: [called('DeleteSecurityProfile')],
        resources: [securityProfiles],
        conditions: managed,
      }),
    );
  }
  const granted = new Set(statements.flatMap((st) => st.actions));
  const missing = [...CONNECT_ACTIONS, ...(groupsCreateSecurityProfiles ? GROUP_CREATE_ACTIONS : [])].filter((a) => !granted.has(a));
  if (missing.length > 0) {
    throw new Error(`The handler calls ${missing.join(', ')} but no statement grants it`);
  }
  return statements;
}

/** The permission-less security profile disabled agents hold. */
export const DISABLED_PROFILE_NAME = 'SCIM-Disabled';

export interface ConnectProvisionerProps {
  /** A literal instance ID or a reference to the stack's parameter. */
  readonly instanceId: string;
  readonly architecture: Architecture;
  /** What the handler is configured with; `groupsCreateSecurityProfiles` also widens its IAM. */
  readonly settings: HandlerSettings;
  readonly reservedConcurrency: number;
  readonly logRetention: RetentionDays;
  /** CloudWatch namespace of the handler's EMF metrics. */
  readonly metricsNamespace: string;
}

/**
 * The SCIM handler Lambda, allowed exactly the Connect actions it calls (and
 * the reads Connect checks with them), each on the resource types it needs;
 * writes to agents only where they carry scim:managed=true (see
 * {@link connectStatements}); plus the disabled-agent
 * security profile it relies on (owned by the stack, so `make destroy`
 * removes it too).
 */
export class ConnectProvisioner extends Construct {
  public readonly handler: RustLambda;
  public readonly instanceArn: string;

  constructor(scope: Construct, id: string, props: ConnectProvisionerProps) {
    super(scope, id);
    this.instanceArn = Stack.of(this).formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: props.instanceId,
    });
    const disabledProfile = new CfnSecurityProfile(this, 'DisabledProfile', {
      instanceArn: this.instanceArn,
      securityProfileName: DISABLED_PROFILE_NAME,
      description: 'No permissions. Held by agents their IdP deprovisioned (DEPROVISION_MODE=disable).',
      permissions: [],
    });
    this.handler = new RustLambda(this, 'Handler', {
      binaryName: 'scim-handler',
      description: 'SCIM 2.0 provisioning for Amazon Connect',
      architecture: props.architecture,
      // API Gateway gives up at 29 s; answer (429/503 + Retry-After) before that.
      timeout: Duration.seconds(25),
      memorySize: 256,
      // Concurrency is bounded: Connect's quota, not Lambda, is the limit.
      reservedConcurrentExecutions: props.reservedConcurrency,
      logRetention: props.logRetention,
      environment: {
        CONNECT_INSTANCE_ID: props.instanceId,
        ...handlerEnvironment(props.settings),
        DISABLED_SECURITY_PROFILE: DISABLED_PROFILE_NAME,
        AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH: 'true',
        RUST_LOG: 'info',
        METRICS_NAMESPACE: props.metricsNamespace,
      },
    });
    this.handler.function.node.addDependency(disabledProfile);
    for (const statement of connectStatements(this.instanceArn, props.settings.groupsCreateSecurityProfiles)) {
      this.handler.role.addToPolicy(statement);
    }
    // cdk-nag names the finding after the resource as it flattens it:
    // pseudo parameters and parameters become `<Name>` (the instance id is the
    // stack's ConnectInstanceId parameter unless given at synth time).
    const instanceIdText = Token.isUnresolved(props.instanceId) ? '<ConnectInstanceId>' : props.instanceId;
    const flattened = (type: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:instance/${instanceIdText}/${type}/*]`;
    Validations.of(this.handler.role).acknowledge(
      {
        id: flattened(RESOURCE_TYPES.user),
        reason:
          'Agents are created at run time, so their ARNs are not known at deploy; every write is conditioned on the agent carrying the scim:managed=true tag (or, for CreateUser, on the request adding it).',
      },
      {
        id: flattened(RESOURCE_TYPES.securityProfile),
        reason:
          'Which security profiles an agent gets comes from the IdP, DEPARTMENT_MAP and ASSIGNABLE_SECURITY_PROFILES (names, checked by the handler); Connect authorizes a grant on the profile too, and IAM cannot name profiles by name.',
      },
      {
        id: flattened(RESOURCE_TYPES.routingProfile),
        reason: 'The routing profile comes from DEFAULT_ROUTING_PROFILE, DEPARTMENT_MAP or the IdP, by name; only CreateUser and UpdateUserRoutingProfile use it.',
      },
      {
        id: flattened(RESOURCE_TYPES.hierarchyGroup),
        reason: 'The hierarchy group comes from the IdP, by name or path; only CreateUser, UpdateUserHierarchy and reading the group use it.',
      },
      {
        id: flattened(RESOURCE_TYPES.quickConnect),
        reason: 'Deleting an agent deletes the quick connects that transfer to it (DeleteUser\'s documentation asks for it); their ids are found at run time.',
      },
    );
  }
}
