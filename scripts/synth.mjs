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
 *   npm run synth -- --output DIR        write the assembly to DIR instead (the offline sandbox's reload stages there)
 *   npm run synth -- --backend FILE      synthesize another backend entry point (default amplify/backend.ts)
 */
import { spawnSync } from 'node:child_process';
import { rmSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureOfflineOutputs } from './lib/offline-outputs.mjs';
import { CDK_OUT, PROJECT_ROOT, backendNamespace } from './lib/paths.mjs';

const { values } = parseArgs({
  options: {
    identifier: { type: 'string' },
    branch: { type: 'string' },
    standalone: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    output: { type: 'string', default: CDK_OUT },
    backend: { type: 'string', default: join('amplify', 'backend.ts') },
  },
  strict: true,
});
const output = resolve(values.output);

const require = createRequire(import.meta.url);
if ([values.branch, values.standalone, values.identifier].filter((v) => v !== undefined).length > 1) {
  console.error('synth: give at most one of --identifier, --branch and --standalone');
  process.exit(2);
}
const type = values.standalone ? 'standalone' : values.branch ? 'branch' : 'sandbox';
const name = (values.standalone ?? values.branch ?? values.identifier ?? userInfo().username).replace(/[^A-Za-z0-9-]/g, '-');
const context = {
  'amplify-backend-namespace': backendNamespace(),
  'amplify-backend-name': name,
  'amplify-backend-type': type,
};

const started = Date.now();
rmSync(output, { recursive: true, force: true });
const cdk = require.resolve('aws-cdk/bin/cdk');
const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const args = [
  cdk,
  'synth',
  '--app',
  `${tsx} ${values.backend}`,
  ...Object.entries(context).flatMap(([key, value]) => ['--context', `${key}=${value}`]),
  '--output',
  output,
  '--quiet',
  '--no-notices',
  '--no-version-reporting',
];
const result = spawnSync(process.execPath, args, {
  cwd: PROJECT_ROOT,
  env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', npm_config_update_notifier: 'false' },
  encoding: 'utf8',
  stdio: values.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
});
if (result.status !== 0) {
  if (values.quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  console.error(`synth failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}

const templates = readdirSync(output).filter((f) => f.endsWith('.template.json'));
const outputs = ensureOfflineOutputs();
console.log(
  `synthesized ${type} "${name}" in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `${templates.length} templates (${templates.filter((f) => f.includes('.nested.')).length} nested) in ${output}; ` +
    `amplify_outputs.json ${outputs}`,
);
