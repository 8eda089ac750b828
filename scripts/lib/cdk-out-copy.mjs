/**
 * A working copy of the synthesized cloud assembly whose settings can be changed without touching the original:
 * the benchmark runs the sandbox on one with its own send-rate limits, the tests edit copies for their cases.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.mjs';

/**
 * Copies `from` (a cdk.out) inside the project (gitignored `.amplify/`): the bundles import the AWS SDK, which
 * Lambda's runtime provides and the sandbox resolves from the project's node_modules. Returns the copy's path.
 * @param {string} from
 * @returns {string}
 */
export function copyCdkOut(from) {
  if (!existsSync(from)) throw new Error(`No synthesized backend at ${from}: run \`npm run synth\` first`);
  const parent = join(PROJECT_ROOT, '.amplify', 'test-offline');
  mkdirSync(parent, { recursive: true });
  const to = join(mkdtempSync(join(parent, 'cdk-out-')), 'cdk.out');
  cpSync(from, to, { recursive: true });
  return to;
}

/**
 * Sets environment variables of the function tagged `amplify:friendly-name` = `friendlyName`, as a synthesis with
 * different settings (e.g. CHAT_APP_SEND_RATE_LIMIT) would.
 * @param {string} cdkOut
 * @param {string} friendlyName
 * @param {Record<string, string>} variables
 * @returns {void}
 */
export function setFunctionEnvironment(cdkOut, friendlyName, variables) {
  /** @typedef {{ Type: string; Properties: { Tags?: { Key: string; Value: string }[]; Environment?: { Variables?: Record<string, unknown> } } }} Resource */
  for (const name of readdirSync(cdkOut).filter((n) => n.endsWith('.template.json'))) {
    const path = join(cdkOut, name);
    /** @type {{ Resources?: Record<string, Resource> }} */
    const template = JSON.parse(readFileSync(path, 'utf8'));
    const fn = Object.values(template.Resources ?? {}).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Tags?.some((t) => t.Key === 'amplify:friendly-name' && t.Value === friendlyName),
    );
    if (!fn) continue;
    const environment = (fn.Properties.Environment ??= {});
    environment.Variables = { ...environment.Variables, ...variables };
    writeFileSync(path, JSON.stringify(template, null, 1));
    return;
  }
  throw new Error(`no function ${friendlyName}`);
}

/**
 * Removes a copy made by `copyCdkOut`.
 * @param {string} cdkOut
 * @returns {void}
 */
export function removeCdkOutCopy(cdkOut) {
  rmSync(join(cdkOut, '..'), { recursive: true, force: true });
}
