#!/usr/bin/env node
/**
 * `npm run synth`: synthesizes amplify/backend.ts into .amplify/artifacts/cdk.out exactly as ampx
 * does (same three context keys, no cdk.json), with no AWS credentials and no network, then makes
 * sure an amplify_outputs.json exists for the client build (see scripts/lib/offline-outputs.mjs).
 *
 *   npm run synth                        sandbox named after you (like `npx ampx sandbox`)
 *   npm run synth -- --identifier ci     sandbox named "ci"
 *   npm run synth -- --branch main       branch deployment (like `ampx pipeline-deploy --branch main`)
 *   npm run synth -- --standalone prod   standalone backend (no Amplify app, no sandbox semantics): the CloudFormation
 *                                        export for teams that deploy it themselves (docs/deploy.md)
 *   npm run synth -- --quiet             only errors and the summary line
 *   npm run synth -- --help              every option and environment variable
 *   npm run synth -- --output DIR        write the assembly to DIR instead (the offline sandbox's reload stages there)
 *   npm run synth -- --backend FILE      synthesize another backend entry point (default amplify/backend.ts)
 *   npm run synth -- --force             synthesize even when nothing it depends on changed (and bundle every function anew)
 *
 * An assembly synthesized from the same inputs (amplify/, package-lock.json, the CHAT_APP_* variables, the tool
 * versions…: amplify-gen2-offline/synth's synthesis key) is kept as it is.
 */
import { join, resolve } from 'node:path';
import { parseCommandLine, usageError } from 'amplify-gen2-offline/command-line';
import { synthesisOptions, synthesize } from 'amplify-gen2-offline/synth';
import { ensureOfflineOutputs } from './lib/offline-outputs.mjs';
import { CDK_OUT, PROJECT_ROOT } from './lib/paths.mjs';

/** The variables amplify/config.ts reads at synthesis time (README "Configuration"). */
const CONFIGURATION = [
  ['CHAT_APP_ENVIRONMENT', 'dev, staging or prod: tags, alarm and dashboard names, log retention default (default: dev)'],
  ['CHAT_APP_PREFIX', 'prefix of alarm, topic and dashboard names (default: realtime-chat)'],
  ['CHAT_APP_OWNER', 'Owner tag (default: DevOps Team)'],
  ['CHAT_APP_PROJECT', 'Project tag (default: RealTimeChat)'],
  ['CHAT_APP_ALARM_EMAIL', 'e-mail subscribed to an SNS topic receiving every alarm (default: no topic)'],
  ['CHAT_APP_LOG_LEVEL', 'AppSync field log level: NONE, ERROR, INFO, DEBUG, ALL (default: ALL in sandboxes, ERROR in branches)'],
  ['CHAT_APP_LOG_RETENTION_DAYS', 'retention of the AppSync and function log groups (default: 30, 90 for prod)'],
  ['CHAT_APP_PASSWORD_MIN_LENGTH', 'password policy: minimum length (default: 8)'],
  ['CHAT_APP_PASSWORD_REQUIRE_UPPERCASE', 'password policy (default: true)'],
  ['CHAT_APP_PASSWORD_REQUIRE_LOWERCASE', 'password policy (default: true)'],
  ['CHAT_APP_PASSWORD_REQUIRE_NUMBERS', 'password policy (default: true)'],
  ['CHAT_APP_PASSWORD_REQUIRE_SYMBOLS', 'password policy (default: false)'],
  ['CHAT_APP_LATENCY_P99_MS', 'threshold of the AppSync p99 latency alarm (default: 1000)'],
  ['CHAT_APP_SEND_RATE_LIMIT', 'messages one user may send per window, 0 for no limit (default: 30)'],
  ['CHAT_APP_SEND_RATE_WINDOW_SECONDS', 'length of that window, 1-3600 s (default: 10)'],
];

const COMMAND = /** @type {const} */ ({
  name: 'synth',
  usage: 'npm run synth -- [options]',
  summary:
    'Synthesizes amplify/backend.ts into .amplify/artifacts/cdk.out as ampx does (same context keys, no cdk.json), with no AWS\n' +
    'credentials and no network, then makes sure amplify_outputs.json exists. Takes 10-25 s (functions whose sources did not\n' +
    'change are not bundled again), nothing when nothing it depends on changed: a terminal shows the elapsed time; piped\n' +
    'output gets a start line (not with --quiet) and the summary line.',
  options: {
    ...synthesisOptions({ cdkOut: CDK_OUT, backend: join('amplify', 'backend.ts') }),
    standalone: { type: 'string', valueName: 'environment', description: 'a standalone backend: the CloudFormation export (docs/deploy.md)' },
  },
  environment: [
    ...CONFIGURATION.map(([name = '', description = '']) => ({ name, description })),
    { name: 'NO_COLOR', description: 'any non-empty value: no colour' },
    { name: 'FORCE_COLOR', description: 'colour even when the output is not a terminal (0 or false: never)' },
  ],
  notes: ['Give at most one of --identifier, --branch and --standalone. An invalid CHAT_APP_* value stops the synthesis with a message naming it.'],
});

const values = parseCommandLine(COMMAND);
if ([values.branch, values.standalone, values.identifier].filter((v) => v !== undefined).length > 1) {
  usageError(COMMAND, 'give at most one of --identifier, --branch and --standalone');
}
const output = resolve(values.output);

const type = values.standalone ? 'standalone' : values.branch ? 'branch' : 'sandbox';
const result = await synthesize({
  projectRoot: PROJECT_ROOT,
  backend: values.backend,
  output,
  type,
  name: values.standalone ?? values.branch ?? values.identifier,
  quiet: values.quiet,
  force: values.force,
  environmentPrefixes: ['CHAT_APP_'],
});
if (!result.ok) {
  if (values.quiet && result.output.length > 0) process.stderr.write(`${result.output.join('\n')}\n`);
  console.error(`synth failed (${result.status})`);
  process.exit(1);
}

// The project's amplify_outputs.json describes this project's backend: another entry point (a test fixture) leaves it alone.
const ownBackend = resolve(values.backend) === resolve(PROJECT_ROOT, 'amplify', 'backend.ts');
const outputs = ownBackend ? ensureOfflineOutputs() : 'left alone (not this project\'s backend)';
console.log(
  `${result.cached ? `kept ${type} "${result.name}" (nothing it depends on changed since it was synthesized)` : `synthesized ${type} "${result.name}" in ${result.seconds.toFixed(1)} s`}: ` +
    `${result.templates} templates (${result.nested} nested) in ${output}; ` +
    `amplify_outputs.json ${outputs}`,
);
