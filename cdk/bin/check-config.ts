#!/usr/bin/env node
// `make deploy` runs this before it builds anything or touches AWS: the same
// readConfig the app runs at synth, over the same `-c key=value` arguments it
// passes to `cdk deploy`, with the instance required. Exits 2 on a bad value.
// With `--json` it prints the settings `make check-instance` checks against
// the instance, already parsed and validated, so scripts/check_instance.py
// reads them instead of parsing the settings a third time.
//   npx tsx cdk/bin/check-config.ts [--json] -c instanceId=… [-c key=value …]
import { readConfig, ScimConnectConfig } from '../lib/config';

/** What scripts/check_instance.py reads (its `--config`). */
function checkedSettings(config: ScimConnectConfig) {
  return {
    defaultSecurityProfiles: config.defaultSecurityProfiles,
    defaultRoutingProfile: config.defaultRoutingProfile,
    departmentMap: config.departmentMap,
    proficiencyMap: config.proficiencyMap,
    assignableSecurityProfiles: config.assignableSecurityProfiles ?? null,
    groupsCreateSecurityProfiles: config.groupsCreateSecurityProfiles,
    deprovisionMode: config.deprovisionMode,
    connectIdentityType: config.connectIdentityType ?? null,
  };
}

const context = new Map<string, string>();
const args = process.argv.slice(2);
let json = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--json') {
    json = true;
  } else if (args[i] === '-c' && i + 1 < args.length) {
    const pair = args[++i];
    const eq = pair.indexOf('=');
    context.set(eq < 0 ? pair : pair.slice(0, eq), eq < 0 ? '' : pair.slice(eq + 1));
  } else {
    console.error(`check-config: unexpected argument ${JSON.stringify(args[i])} (expected -c key=value)`);
    process.exit(2);
  }
}

try {
  const config = readConfig((key) => context.get(key), { requireInstanceId: true });
  if (json) {
    console.log(JSON.stringify(checkedSettings(config)));
    process.exit(0);
  }
  const departments = Object.keys(config.departmentMap);
  console.log(
    `Configuration: instance ${config.connectInstanceId}, ${config.architecture.name}, deprovision ${config.deprovisionMode}, ` +
      `default profiles ${config.defaultSecurityProfiles.join(', ')} / ${config.defaultRoutingProfile}, ` +
      `${departments.length} mapped department(s), ${Object.keys(config.proficiencyMap).length} department(s) with proficiencies, alarms ${config.alarmTopicArn ? `-> ${config.alarmTopicArn}` : 'in the console only'}.`,
  );
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
