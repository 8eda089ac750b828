/**
 * `amplify-gen2-offline synth [options]`: synthesizes the backend entry point into the cloud assembly the sandbox
 * serves, as ampx does (offline/synth/synthesize.mjs), with no AWS credentials and no network.
 */
import { resolve } from 'node:path';
import { parseCommandLine, usageError } from './command-line.mjs';
import { projectPaths } from './project.mjs';
import { synthesisOptions, synthesize } from '../synth/synthesize.mjs';

const project = projectPaths();

export const COMMAND = {
  name: 'amplify-gen2-offline synth',
  usage: 'amplify-gen2-offline synth [options]',
  summary:
    'Synthesizes amplify/backend.ts into .amplify/artifacts/cdk.out as ampx does (the same three context keys, no cdk.json),\n' +
    'with no AWS credentials and no network. Run it in the project\'s root. A terminal shows the elapsed time; piped output\n' +
    'gets a start line (not with --quiet) and the summary line.',
  options: synthesisOptions(project),
  environment: [
    { name: 'NO_COLOR', description: 'any non-empty value: no colour' },
    { name: 'FORCE_COLOR', description: 'colour even when the output is not a terminal (0 or false: never)' },
  ],
  notes: [
    'Variables the backend itself reads at synthesis time pass through unchanged. An assembly synthesized from the same\n' +
      'inputs (the backend folder, package-lock.json, tool versions, AMPLIFY_*/CDK_* variables) is kept as it is; --force\n' +
      'synthesizes anyway (for a variable of your own, or a file outside the backend folder that it imports).',
  ],
} as const;

const values = parseCommandLine(COMMAND, process.argv.slice(3));
if (values.branch !== undefined && values.identifier !== undefined) usageError(COMMAND, 'give at most one of --identifier and --branch');
const output = resolve(values.output);
const result = await synthesize({
  projectRoot: project.root,
  backend: resolve(values.backend),
  output,
  type: values.branch !== undefined ? 'branch' : 'sandbox',
  name: values.branch ?? values.identifier,
  quiet: values.quiet,
  force: values.force,
  commandName: 'synth',
});
if (!result.ok) {
  if (values.quiet && result.output.length > 0) process.stderr.write(`${result.output.join('\n')}\n`);
  console.error(`synth failed (${result.status})`);
  process.exit(1);
}
const what = result.cached ? `kept ${result.type} "${result.name}" (nothing it depends on changed)` : `synthesized ${result.type} "${result.name}" in ${result.seconds.toFixed(1)} s`;
console.log(`${what}: ${result.templates} templates (${result.nested} nested) in ${output}`);
