#!/usr/bin/env node
/**
 * `npm run validate:cfn [-- <assembly dir>] [--region us-east-1]`: validates every CloudFormation template of a
 * synthesized cloud assembly offline (@aws/cloudformation-validate), and checks that every asset the templates
 * reference is in the asset manifest. The policy (what fails, what is acknowledged and why) is in
 * scripts/lib/cfn-validate.mjs. Exit code 0 when valid, 1 when not, 2 on a usage error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ACKNOWLEDGEMENTS, checkAssets, validateAssembly } from './lib/cfn-validate.mjs';
import { CDK_OUT } from './lib/paths.mjs';

let parsed;
try {
  parsed = parseArgs({ options: { region: { type: 'string', default: 'us-east-1' } }, allowPositionals: true, strict: true });
} catch (error) {
  console.error(`validate:cfn: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const directory = resolve(parsed.positionals[0] ?? CDK_OUT);
const started = Date.now();
const result = validateAssembly(directory, { region: parsed.values.region });
const assets = checkAssets(directory);

for (const { file, status } of result.reports) console.log(`${status.padEnd(8)} ${file}`);
console.log(
  `${result.templates.length} templates, ${assets.referenced.length} referenced assets, ` +
    `${result.acknowledged.length} acknowledged warnings (${ACKNOWLEDGEMENTS.length} rules, reasons in scripts/lib/cfn-validate.mjs), ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`,
);
const problems = [
  ...result.failures,
  ...assets.missing.map((key) => `asset ${key} is referenced by a template but missing from the asset manifest or the assembly`),
  ...result.unusedAcknowledgements.map((ack) => `acknowledgement of ${ack.ruleId} in ${ack.file} no longer matches anything: remove it`),
];
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`validate:cfn: ${problems.length} problem(s) in ${directory}`);
  process.exit(1);
}
console.log(`validate:cfn: ${directory} is valid`);
