import { Architecture } from 'aws-cdk-lib/aws-lambda';

/**
 * The deployment's configuration, in both directions and nowhere else:
 * CDK context (`-c key=value`, which `make deploy KEY=value` passes) in, a
 * typed and validated {@link ScimConnectConfig} out, and that config back out
 * as the environment strings the Lambdas read
 * (lambdas/connect-directory/src/settings.rs, lambdas/scim-core/src/http).
 * Every check runs here, at synth, so a bad value stops `cdk synth` (and
 * `make deploy`, before it touches AWS) instead of a Lambda's start.
 *
 * A new setting: read and check it in `readConfig`, write it in
 * `handlerEnvironment`, pass it in the Makefile's `CDK_CONTEXT`
 * (make variable = context key in UPPER_SNAKE_CASE), list it in the README.
 */

/**
 * Amazon Connect instance IDs are lowercase UUIDs, e.g.
 * `aaaaaaaa-bbbb-cccc-dddd-111111111111` (the last segment of the instance ARN).
 */
export const CONNECT_INSTANCE_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** A regional AWS WAFv2 web ACL (REST API stages take regional ones only). */
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;

/** Without ASSIGNABLE_SECURITY_PROFILES the bridge may grant every profile but this one. */
export const UNASSIGNABLE_BY_DEFAULT = 'Admin';

/** Connect lets a user hold 1 to 10 security profiles. These limits are the
 * adapter's (lambdas/connect-directory); a Rust test keeps them equal. */
const MAX_SECURITY_PROFILES = 10;

/** Administrator Guide, "Assign proficiencies to agents": an agent has at most 10. */
const MAX_PROFICIENCIES = 10;
/** UserProficiency.Level: "The valid values are 1, 2, 3, 4 and 5." */
const MIN_LEVEL = 1;
const MAX_LEVEL = 5;

export type DeprovisionMode = 'delete' | 'disable';

export type IdentityType = 'SAML' | 'CONNECT_MANAGED' | 'EXISTING_DIRECTORY';
const IDENTITY_TYPES: readonly IdentityType[] = ['SAML', 'CONNECT_MANAGED', 'EXISTING_DIRECTORY'];

/** What one department grants. */
export interface DepartmentRule {
  /** Security profile names, 1 to 10. */
  readonly securityProfiles: readonly string[];
  /** Routing profile name. @default - the default routing profile */
  readonly routingProfile?: string;
}

/** Department (matched in any case) → what it grants. */
export type DepartmentMap = Readonly<Record<string, DepartmentRule>>;

/** One routing proficiency: a predefined attribute's value at a level, e.g. `Language=Spanish` at 4. */
export interface Proficiency {
  /** A predefined attribute of the instance, e.g. `Language`. */
  readonly attributeName: string;
  /** One of its values, e.g. `Spanish`. */
  readonly attributeValue: string;
  /** 1 to 5, whole. */
  readonly level: number;
}

/**
 * Department (matched in any case) → the routing proficiencies its agents
 * get when the IdP sends none; at most 10 each. An empty list: none.
 */
export type ProficiencyMap = Readonly<Record<string, readonly Proficiency[]>>;

/** What the SCIM handler Lambda is configured with. */
export interface HandlerSettings {
  /** What an IdP's `active: false` does. */
  readonly deprovisionMode: DeprovisionMode;
  /** Given when an agent's department and groups grant none; 1 to 10 names. */
  readonly defaultSecurityProfiles: readonly string[];
  readonly defaultRoutingProfile: string;
  /** Empty: a department picks the security profile of the same name. */
  readonly departmentMap: DepartmentMap;
  /** Empty: agents hold only the proficiencies the IdP sends. */
  readonly proficiencyMap: ProficiencyMap;
  /** A POST /Groups of a new name creates a permission-less security profile. */
  readonly groupsCreateSecurityProfiles: boolean;
  /** Client-side pace per Connect API, calls per second. @default - the handler's (Connect's default quota) */
  readonly connectRateLimit?: number;
  /** @default - the handler's */
  readonly connectRateBurst?: number;
  /** How long profile and hierarchy group names are cached. @default - the handler's */
  readonly profileCacheSeconds?: number;
  /** Public base URL for `meta.location`, e.g. behind a custom domain. @default - from the request */
  readonly scimBaseUrl?: string;
  /** @default - read with DescribeInstance once per cold start */
  readonly connectIdentityType?: IdentityType;
  /**
   * The security profiles the bridge may grant: names, or `'*'` for all.
   * Profiles it created for groups are always assignable.
   * @default - every profile except `Admin`
   */
  readonly assignableSecurityProfiles?: readonly string[] | '*';
}

/** The whole deployment, typed and validated. */
export interface ScimConnectConfig extends HandlerSettings {
  /** @default - a `ConnectInstanceId` CloudFormation parameter */
  readonly connectInstanceId?: string;
  readonly architecture: Architecture;
  /** The handler's reserved concurrency. */
  readonly reservedConcurrency: number;
  /** API Gateway stage rate, requests per second. */
  readonly throttleRate: number;
  /** API Gateway stage burst. */
  readonly throttleBurst: number;
  /** How long the authorizer caches the token secret's versions. */
  readonly tokenCacheSeconds: number;
  /** The authorizer's reserved concurrency: a flood of bad tokens cannot take the account's. */
  readonly authorizerReservedConcurrency: number;
  /** Source ranges (IPv4/IPv6 CIDR) the API answers; others get 403. @default - any source */
  readonly allowedCidrs?: readonly string[];
  /** A regional WAFv2 web ACL (yours) for the stage. @default - none */
  readonly webAclArn?: string;
  /** An SNS topic (yours) the alarms notify. @default - none: alarms show in the console only */
  readonly alarmTopicArn?: string;
}

export interface ReadConfigOptions {
  /** `make deploy` needs an instance; a bare synth may leave it to a parameter. */
  readonly requireInstanceId?: boolean;
}

/** Reads one context value; absent, null and '' are all "not given". */
export type ContextLookup = (key: string) => unknown;

/** The make variable that passes a context key: `departmentMap` ← `DEPARTMENT_MAP`. */
export function makeVariable(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

function invalid(key: string, value: unknown, expected: string): Error {
  return new Error(`Invalid context value ${key}=${JSON.stringify(value)} (make deploy ${makeVariable(key)}=…): expected ${expected}.`);
}

/**
 * Reads the configuration from CDK context and checks every value.
 * Throws an Error naming the setting, its make variable and what is expected.
 */
export function readConfig(lookup: ContextLookup, options: ReadConfigOptions = {}): ScimConnectConfig {
  const get = (key: string): unknown => {
    const value = lookup(key);
    return value === undefined || value === null || value === '' ? undefined : value;
  };
  const text = (key: string): string | undefined => {
    const value = get(key);
    return value === undefined ? undefined : String(value);
  };
  const oneOf = <T extends string>(key: string, choices: readonly T[], fallback: T): T => {
    const value = text(key) ?? fallback;
    if (!(choices as readonly string[]).includes(value)) {
      throw invalid(key, value, choices.join(' or '));
    }
    return value as T;
  };
  const number = (key: string, check: (n: number) => boolean, expected: string): number | undefined => {
    const raw = text(key);
    if (raw === undefined) {
      return undefined;
    }
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
      throw invalid(key, raw, expected);
    }
    return n;
  };
  const positive = (n: number) => n > 0;
  const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;
  const nonNegative = (n: number) => n >= 0;
  const nonNegativeInteger = (n: number) => Number.isInteger(n) && n >= 0;

  const identityType = text('connectIdentityType');
  if (identityType !== undefined && !(IDENTITY_TYPES as readonly string[]).includes(identityType.toUpperCase())) {
    throw invalid('connectIdentityType', identityType, 'SAML, CONNECT_MANAGED or EXISTING_DIRECTORY');
  }

  const config: ScimConnectConfig = {
    connectInstanceId: instanceId(get('instanceId'), options.requireInstanceId ?? false),
    deprovisionMode: oneOf('deprovisionMode', ['delete', 'disable'], 'delete'),
    defaultSecurityProfiles: defaultSecurityProfiles(get('defaultSecurityProfile')),
    defaultRoutingProfile: text('defaultRoutingProfile') ?? 'Basic Routing Profile',
    departmentMap: departmentMap(get('departmentMap')),
    proficiencyMap: proficiencyMap(get('proficiencyMap')),
    groupsCreateSecurityProfiles: oneOf('groupsCreateSecurityProfiles', ['true', 'false'], 'false') === 'true',
    connectRateLimit: number('connectRateLimit', nonNegative, 'calls per second, 0 or more (0 turns pacing off)'),
    connectRateBurst: number('connectRateBurst', nonNegative, 'a number of calls, 0 or more'),
    profileCacheSeconds: number('profileCacheSeconds', nonNegativeInteger, 'whole seconds, 0 or more'),
    scimBaseUrl: baseUrl(text('scimBaseUrl')),
    connectIdentityType: identityType?.toUpperCase() as IdentityType | undefined,
    architecture: oneOf('arch', ['arm64', 'x86_64'], 'arm64') === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
    reservedConcurrency: number('reservedConcurrency', positiveInteger, 'a positive whole number') ?? 4,
    throttleRate: number('throttleRate', positive, 'a positive number') ?? 5,
    throttleBurst: number('throttleBurst', positiveInteger, 'a positive whole number') ?? 10,
    tokenCacheSeconds: number('tokenCacheSeconds', nonNegativeInteger, 'whole seconds, 0 or more') ?? 60,
    authorizerReservedConcurrency: number('authorizerReservedConcurrency', positiveInteger, 'a positive whole number') ?? 10,
    alarmTopicArn: topicArn(text('alarmTopicArn')),
    assignableSecurityProfiles: assignableProfiles(get('assignableSecurityProfiles')),
    allowedCidrs: cidrs(get('allowedCidrs')),
    webAclArn: webAclArn(text('webAclArn')),
  };
  checkAssignable(config);
  return config;
}

/**
 * Whether the bridge may grant `name` (Connect matches profile names in any
 * case, and so does the handler).
 */
export function isAssignable(settings: Pick<HandlerSettings, 'assignableSecurityProfiles'>, name: string): boolean {
  const allowed = settings.assignableSecurityProfiles;
  if (allowed === '*') {
    return true;
  }
  if (allowed === undefined) {
    return name.toLowerCase() !== UNASSIGNABLE_BY_DEFAULT.toLowerCase();
  }
  return allowed.some((a) => a.toLowerCase() === name.toLowerCase());
}

/** The handler would refuse every grant of a default or mapped profile it may not assign: stop at synth instead. */
function checkAssignable(config: HandlerSettings): void {
  const allowed = config.assignableSecurityProfiles;
  if (allowed === '*') {
    return;
  }
  const rule =
    allowed === undefined
      ? `every profile but ${UNASSIGNABLE_BY_DEFAULT} (ASSIGNABLE_SECURITY_PROFILES is unset)`
      : `ASSIGNABLE_SECURITY_PROFILES=${allowed.join(',')}`;
  for (const name of config.defaultSecurityProfiles) {
    if (!isAssignable(config, name)) {
      throw invalid('defaultSecurityProfile', config.defaultSecurityProfiles.join(','), `profiles the bridge may assign: ${rule}; add ${JSON.stringify(name)} to ASSIGNABLE_SECURITY_PROFILES (make deploy ASSIGNABLE_SECURITY_PROFILES=…) or pick another`);
    }
  }
  for (const [department, ruleOf] of Object.entries(config.departmentMap)) {
    const refused = ruleOf.securityProfiles.find((name) => !isAssignable(config, name));
    if (refused !== undefined) {
      throw new Error(
        `Invalid departmentMap[${JSON.stringify(department)}] (make deploy DEPARTMENT_MAP=…): security profile ${JSON.stringify(refused)} ` +
          `is not one the bridge may assign: ${rule}; add it to ASSIGNABLE_SECURITY_PROFILES (make deploy ASSIGNABLE_SECURITY_PROFILES=…) or map another.`,
      );
    }
  }
}

/** `*`, or comma-separated names (in cdk.json, a list). */
function assignableProfiles(value: unknown): readonly string[] | '*' | undefined {
  if (value === undefined) {
    return undefined;
  }
  const names = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 1 && names[0] === '*') {
    return '*';
  }
  if (names.length === 0 || names.includes('*') || (Array.isArray(value) && names.some((n) => n.includes(',')))) {
    throw invalid('assignableSecurityProfiles', value, 'security profile names, comma-separated, or * for every profile');
  }
  return names;
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;

/** An IPv6 CIDR: at most 8 groups of 1-4 hex digits, at most one `::`, prefix 0-128. */
function isIpv6Cidr(value: string): boolean {
  const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  if (!match || Number(match[2]) > 128) {
    return false;
  }
  const address = match[1];
  const halves = address.split('::');
  if (halves.length > 2) {
    return false;
  }
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) {
    return false;
  }
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/** Comma-separated CIDRs (in cdk.json, a list): the API's resource policy's aws:SourceIp. */
function cidrs(value: unknown): readonly string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ranges = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((c) => c.trim()).filter((c) => c !== '');
  const bad = ranges.find((c) => !IPV4_CIDR.test(c) && !isIpv6Cidr(c));
  if (ranges.length === 0 || bad !== undefined) {
    throw invalid(
      'allowedCidrs',
      value,
      `IPv4 or IPv6 CIDR ranges, comma-separated, such as 203.0.113.0/24,2001:db8::/32${bad !== undefined ? ` (${JSON.stringify(bad)} is not one)` : ''}`,
    );
  }
  return ranges;
}

function webAclArn(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!WEB_ACL_ARN.test(value)) {
    throw invalid('webAclArn', value, 'a regional WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)');
  }
  return value;
}

function instanceId(value: unknown, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) {
      throw new Error(
        'INSTANCE_ID is required (context instanceId): make deploy INSTANCE_ID=<your Amazon Connect instance id> [REGION=<region>] ' +
          '(the instance id is the UUID at the end of the instance ARN, shown in the Amazon Connect console).',
      );
    }
    return undefined;
  }
  if (typeof value !== 'string' || !new RegExp(CONNECT_INSTANCE_ID_PATTERN).test(value)) {
    const fromArn = typeof value === 'string' ? /:instance\/([0-9a-f-]{36})$/.exec(value) : null;
    throw invalid(
      'instanceId',
      value,
      'an Amazon Connect instance ID, a lowercase UUID such as aaaaaaaa-bbbb-cccc-dddd-111111111111 ' +
        `(matching ${CONNECT_INSTANCE_ID_PATTERN})` +
        (fromArn ? `; pass only the part after instance/: ${fromArn[1]}` : ''),
    );
  }
  return value;
}

/** Comma-separated names (as `DEFAULT_SECURITY_PROFILE` is) or, in cdk.json, a list. */
function defaultSecurityProfiles(value: unknown): readonly string[] {
  if (value === undefined) {
    return ['Agent'];
  }
  const names = (Array.isArray(value) ? value.map(String) : String(value).split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length < 1 || names.length > MAX_SECURITY_PROFILES || (Array.isArray(value) && names.some((n) => n.includes(',')))) {
    throw invalid('defaultSecurityProfile', value, `1 to ${MAX_SECURITY_PROFILES} security profile names, comma-separated`);
  }
  return names;
}

/**
 * A map setting: a JSON object given as text (make deploy) or as an object
 * (cdk.json); `undefined` when unset or blank. Anything else names the
 * setting and what was expected.
 */
function mapSetting(value: unknown, setting: string, expected: string): Record<string, unknown> | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return undefined;
  }
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (e) {
      throw new Error(`Invalid context value ${setting}: not JSON (${(e as Error).message}).`, { cause: e });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`Invalid context value ${setting}: expected ${expected}.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * A JSON object (or, in cdk.json, an object) of department → a profile name,
 * a list of 1-10 names, or `{"securityProfiles": [...], "routingProfile": "..."}`:
 * the forms the handler reads.
 */
function departmentMap(value: unknown): DepartmentMap {
  const parsed = mapSetting(value, 'departmentMap (make deploy DEPARTMENT_MAP=…)', 'a JSON object of department -> rule');
  if (parsed === undefined) {
    return {};
  }
  const map: Record<string, DepartmentRule> = {};
  for (const [department, rule] of Object.entries(parsed)) {
    const bad = (why: string) =>
      new Error(
        `Invalid departmentMap[${JSON.stringify(department)}] (make deploy DEPARTMENT_MAP=…): ${why}; expected a profile name, ` +
          'a list of 1-10 names, or {"securityProfiles": [...], "routingProfile": "..."}.',
      );
    let names: unknown;
    let routingProfile: unknown;
    if (typeof rule === 'string' || Array.isArray(rule)) {
      names = typeof rule === 'string' ? [rule] : rule;
    } else if (typeof rule === 'object' && rule !== null) {
      const unknownKeys = Object.keys(rule).filter((k) => k !== 'securityProfiles' && k !== 'routingProfile');
      if (unknownKeys.length > 0) {
        throw bad(`unknown key ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}`);
      }
      ({ securityProfiles: names, routingProfile } = rule as { securityProfiles?: unknown; routingProfile?: unknown });
    } else {
      throw bad(`got ${JSON.stringify(rule)}`);
    }
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      throw bad('security profiles must be names');
    }
    if (names.length < 1 || names.length > MAX_SECURITY_PROFILES) {
      throw bad(`${names.length} security profiles (Connect allows 1 to ${MAX_SECURITY_PROFILES})`);
    }
    if (routingProfile !== undefined && routingProfile !== null && (typeof routingProfile !== 'string' || routingProfile === '')) {
      throw bad('routingProfile must be a routing profile name');
    }
    map[department] = {
      securityProfiles: names as string[],
      ...(typeof routingProfile === 'string' ? { routingProfile } : {}),
    };
  }
  return map;
}

/**
 * A JSON object (or, in cdk.json, an object) of department → proficiencies in
 * any form the handler reads (Proficiency::parse_list in
 * lambdas/scim-core/src/user/routing.rs, checked as
 * lambdas/connect-directory/src/settings.rs parse_proficiency_map does):
 * compact text `"Language=Spanish:4; Skill=Billing:2"`, a list of such
 * strings, a list of `{"attributeName", "attributeValue", "level"}` objects
 * (keys in any case), or one such object; `null`, `""` or `[]` for none. A
 * value named twice keeps the later level. At most 10, levels 1 to 5, whole.
 * Whether the instance has the attributes and values, `make check-instance`
 * checks (and the handler, on first use).
 */
function proficiencyMap(value: unknown): ProficiencyMap {
  const parsed = mapSetting(
    value,
    'proficiencyMap (make deploy PROFICIENCY_MAP=…)',
    'a JSON object of department -> proficiencies, such as {"Spanish Support": "Language=Spanish:4; Skill=Billing:2"}',
  );
  if (parsed === undefined) {
    return {};
  }
  const map: Record<string, readonly Proficiency[]> = {};
  for (const [department, spec] of Object.entries(parsed)) {
    const bad = (why: string) =>
      new Error(
        `Invalid proficiencyMap[${JSON.stringify(department)}] (make deploy PROFICIENCY_MAP=…): ${why}; expected text like ` +
          '"Language=Spanish:4; Skill=Billing:2", a list of such strings, or a list of ' +
          '{"attributeName": "...", "attributeValue": "...", "level": 1-5} objects.',
      );
    const list: Proficiency[] = [];
    const push = (p: Proficiency) => {
      const held = list.findIndex((q) => sameKey(p, q));
      if (held < 0) {
        list.push(p);
      } else {
        list[held] = { ...list[held], level: p.level };
      }
    };
    if (spec === null || (typeof spec === 'string' && spec.trim() === '')) {
      // None, as an empty list.
    } else if (typeof spec === 'string') {
      compactProficiencies(spec, bad).forEach(push);
    } else if (Array.isArray(spec)) {
      for (const item of spec) {
        if (typeof item === 'string') {
          compactProficiencies(item, bad).forEach(push);
        } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
          push(proficiencyObject(item as Record<string, unknown>, bad));
        } else {
          throw bad(`got ${JSON.stringify(item)} in the list`);
        }
      }
    } else if (typeof spec === 'object') {
      push(proficiencyObject(spec as Record<string, unknown>, bad));
    } else {
      throw bad(`got ${JSON.stringify(spec)}`);
    }
    if (list.length > MAX_PROFICIENCIES) {
      throw bad(`${list.length} proficiencies (an Amazon Connect agent has at most ${MAX_PROFICIENCIES})`);
    }
    const wrong = list.find((p) => !Number.isInteger(p.level) || p.level < MIN_LEVEL || p.level > MAX_LEVEL);
    if (wrong !== undefined) {
      throw bad(
        `level ${wrong.level} of ${wrong.attributeName}=${wrong.attributeValue} is not valid (Amazon Connect levels are whole numbers ${MIN_LEVEL} to ${MAX_LEVEL})`,
      );
    }
    map[department] = list;
  }
  return map;
}

/** Whether two proficiencies name the same attribute value (in any case), whatever the level. */
function sameKey(a: Proficiency, b: Proficiency): boolean {
  return (
    a.attributeName.toLowerCase() === b.attributeName.toLowerCase() && a.attributeValue.toLowerCase() === b.attributeValue.toLowerCase()
  );
}

/** A decimal number as Rust's `f64::from_str` reads one (no hex, no blanks). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `Name=Value:level` entries separated by `;` or new lines. */
function compactProficiencies(text: string, bad: (why: string) => Error): Proficiency[] {
  return text
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const notCompact = () => bad(`${JSON.stringify(entry)} is not Name=Value:level (e.g. Language=Spanish:4)`);
      const eq = entry.indexOf('=');
      const colon = entry.lastIndexOf(':');
      if (eq < 0 || colon < eq) {
        throw notCompact();
      }
      const attributeName = entry.slice(0, eq).trim();
      const attributeValue = entry.slice(eq + 1, colon).trim();
      const levelText = entry.slice(colon + 1).trim();
      const level = Number(levelText);
      if (attributeName === '' || attributeValue === '' || !DECIMAL.test(levelText) || !Number.isFinite(level)) {
        throw notCompact();
      }
      return { attributeName, attributeValue, level };
    });
}

/** `{"attributeName", "attributeValue", "level"}`, keys in any case (others ignored, as the handler does). */
function proficiencyObject(object: Record<string, unknown>, bad: (why: string) => Error): Proficiency {
  const member = (name: string): unknown => Object.entries(object).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const text = (name: string): string => {
    const v = member(name);
    if (typeof v !== 'string' || v.trim() === '') {
      throw bad(`${name} is required (a string) in ${JSON.stringify(object)}`);
    }
    return v.trim();
  };
  const raw = member('level');
  const level =
    typeof raw === 'number' ? raw : typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isFinite(level)) {
    throw bad(`level must be a number, not ${JSON.stringify(raw ?? null)}`);
  }
  return { attributeName: text('attributeName'), attributeValue: text('attributeValue'), level };
}

/**
 * One department's proficiencies as the handler reads them, in the shortest
 * form: compact text, unless a name holds `=` (or either holds `;`), which
 * that text cannot carry; those go as objects.
 */
function proficienciesForHandler(list: readonly Proficiency[]): string | Array<string | Proficiency> {
  const compactable = (p: Proficiency) => !/[=;\n]/.test(p.attributeName) && !/[;\n]/.test(p.attributeValue);
  const compact = (p: Proficiency) => `${p.attributeName}=${p.attributeValue}:${p.level}`;
  if (list.length > 0 && list.every(compactable)) {
    return list.map(compact).join('; ');
  }
  return list.map((p) => (compactable(p) ? compact(p) : { attributeName: p.attributeName, attributeValue: p.attributeValue, level: p.level }));
}

function topicArn(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  if (!TOPIC_ARN.test(value)) {
    throw invalid('alarmTopicArn', value, 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)');
  }
  return value;
}

function baseUrl(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalid('scimBaseUrl', value, 'the public URL SCIM is served at, ending in /scim/v2 (https://scim.example.com/scim/v2)');
  }
  return value;
}

/**
 * The handler's environment for these settings. DEPARTMENT_MAP and
 * PROFICIENCY_MAP are written in the shortest forms the handler reads (a
 * name, a list, or the object only when a routing profile is set; compact
 * `Name=Value:level; …` text): Lambda caps the whole environment at 4 KB.
 */
export function handlerEnvironment(settings: HandlerSettings): Record<string, string> {
  const rules = Object.entries(settings.departmentMap).map(([department, rule]) => [
    department,
    rule.routingProfile !== undefined
      ? { securityProfiles: rule.securityProfiles, routingProfile: rule.routingProfile }
      : rule.securityProfiles.length === 1
        ? rule.securityProfiles[0]
        : rule.securityProfiles,
  ]);
  const proficiencies = Object.entries(settings.proficiencyMap).map(([department, list]) => [department, proficienciesForHandler(list)]);
  const optional = (name: string, value: string | number | undefined) => (value === undefined ? {} : { [name]: String(value) });
  return {
    DEPROVISION_MODE: settings.deprovisionMode,
    DEFAULT_SECURITY_PROFILE: settings.defaultSecurityProfiles.join(','),
    DEFAULT_ROUTING_PROFILE: settings.defaultRoutingProfile,
    ...(rules.length > 0 ? { DEPARTMENT_MAP: JSON.stringify(Object.fromEntries(rules)) } : {}),
    ...(proficiencies.length > 0 ? { PROFICIENCY_MAP: JSON.stringify(Object.fromEntries(proficiencies)) } : {}),
    GROUPS_CREATE_SECURITY_PROFILES: String(settings.groupsCreateSecurityProfiles),
    ...optional('CONNECT_RATE_LIMIT', settings.connectRateLimit),
    ...optional('CONNECT_RATE_BURST', settings.connectRateBurst),
    ...optional('PROFILE_CACHE_SECONDS', settings.profileCacheSeconds),
    ...optional('SCIM_BASE_URL', settings.scimBaseUrl),
    ...optional('CONNECT_IDENTITY_TYPE', settings.connectIdentityType),
    ...optional(
      'ASSIGNABLE_SECURITY_PROFILES',
      settings.assignableSecurityProfiles === '*' ? '*' : settings.assignableSecurityProfiles?.join(','),
    ),
  };
}

/** The authorizer's environment for these settings. */
export function authorizerEnvironment(config: Pick<ScimConnectConfig, 'tokenCacheSeconds'>): Record<string, string> {
  return { TOKEN_CACHE_SECONDS: String(config.tokenCacheSeconds) };
}
