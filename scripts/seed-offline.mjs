#!/usr/bin/env node
/**
 * `node scripts/seed-offline.mjs [--outputs FILE] [--ca FILE] [--cdk-out DIR] [--seed FILE]`
 *
 * Runs amplify/seed/seed.ts — the file `npx ampx sandbox seed` runs against a cloud sandbox — against the running
 * offline sandbox (`npm run dev -- --seed` calls this once the sandbox is ready). Exit 0 when the seed completed;
 * 2 for a usage error, 3 when there is nothing to seed (no offline sandbox running, outputs of a deployed backend, CA
 * missing or not the sandbox's), 1 when the seed itself failed; each with one paragraph saying why on stderr.
 *
 * The seed runs in a child process loaded the way ampx loads it (tsx's tsImport of the file), with the environment ampx
 * would give it, pointed at the sandbox:
 * - NODE_EXTRA_CA_CERTS: the sandbox's local CA, so Node's fetch trusts the https GraphQL endpoint (Node reads it only
 *   at start, hence the child process);
 * - AMPLIFY_BACKEND_IDENTIFIER: the synthesized root stack's identifier. Importing @aws-amplify/seed immediately reads
 *   the backend's outputs with it (CloudFormation GetTemplateSummary + DescribeStacks, through
 *   @aws-amplify/client-config) and the process dies if that fails. This script answers those two calls on a loopback
 *   port (AWS_ENDPOINT_URL_CLOUDFORMATION) from the cloud assembly: the root template's Metadata and its Outputs
 *   evaluated with the offline loader's ids (the ones the sandbox itself uses; checked against amplify_outputs.json),
 *   the GraphQL URL replaced by the sandbox's. The AWS::Amplify::GraphQL entry is left out: its model-schema S3 object
 *   is not served offline, so the seed package sees auth (all it reads) but no data section.
 * - AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: the sandbox's Cognito (custom.userPoolEndpoint), for the admin calls
 *   the seed makes with the AWS SDK; AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: local keys (the offline pool checks
 *   that admin calls are SigV4-signed, not by whom: it has no IAM). AWS_ENDPOINT_URL: this script's endpoint, so any
 *   other AWS call fails here instead of leaving the machine. No AWS profile or config file is read.
 * - npm_config_user_agent when missing (@aws-amplify/cli-core, imported by @aws-amplify/seed, needs it; npx sets it).
 * - CHAT_APP_SEED_OUTPUTS: the amplify_outputs.json the seed reads (--outputs).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { devNull } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CDK_OUT, OUTPUTS_FILE, PROJECT_ROOT } from './lib/paths.mjs';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_PREREQUISITE = 3;
const DEFAULT_CA = join(PROJECT_ROOT, '.amplify', 'offline', 'ca.pem');
const DEFAULT_SEED = join(PROJECT_ROOT, 'amplify', 'seed', 'seed.ts');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Local keys for the offline pool's admin API (it checks the SigV4 shape only); never valid anywhere else. */
const LOCAL_ACCESS_KEY_ID = 'AKIAOFFLINESEED00001';
const LOCAL_SECRET_ACCESS_KEY = 'offline-seed-local-secret';

const HELP = `Usage: node scripts/seed-offline.mjs [options]

Runs amplify/seed/seed.ts (what \`npx ampx sandbox seed\` runs) against the running offline sandbox
(npm run dev, npm run sandbox:offline). Idempotent: run it again and it creates nothing new.

Options:
  --outputs FILE   the sandbox's amplify_outputs.json (default: the project's)
  --ca FILE        the sandbox's local CA (<data dir>/ca.pem; default: NODE_EXTRA_CA_CERTS if it signed
                   the sandbox's certificate, else .amplify/offline/ca.pem)
  --cdk-out DIR    the cloud assembly the sandbox runs (default: .amplify/artifacts/cdk.out)
  --seed FILE      the seed script (default: amplify/seed/seed.ts)
  -h, --help       this help

Exit codes: 0 seeded, 1 the seed failed, 2 usage error, 3 no offline sandbox to seed (see the message).`;

/** @param {number} code @param {string} paragraph @returns {never} */
function fail(code, paragraph) {
  console.error(`[seed] ${paragraph}`);
  process.exit(code);
}

// ------------------------------------------------------------------------------------------------------------------
// Child mode: load the seed file as ampx does (tsImport), with the environment prepared by the parent.
// ------------------------------------------------------------------------------------------------------------------

if (process.argv[2] === '--run-seed') {
  const seedFile = process.argv[3] ?? DEFAULT_SEED;
  try {
    const { tsImport } = await import('tsx/esm/api');
    await tsImport(pathToFileURL(seedFile).href, import.meta.url);
    process.exit(0);
  } catch (error) {
    const resolution = /** @type {{ resolution?: unknown }} */ (error ?? {}).resolution;
    console.error(`[seed] ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}${typeof resolution === 'string' ? ` (${resolution})` : ''}`);
    if (process.env.CHAT_APP_SEED_DEBUG && error instanceof Error) console.error(error.stack);
    process.exit(EXIT_FAILED);
  }
}

// ------------------------------------------------------------------------------------------------------------------
// Parent: check there is an offline sandbox to seed, serve CloudFormation's answers, run the child.
// ------------------------------------------------------------------------------------------------------------------

/** @type {{ outputs: string; ca?: string; 'cdk-out': string; seed: string; help: boolean }} */
let options;
try {
  options = /** @type {typeof options} */ (
    parseArgs({
      options: {
        outputs: { type: 'string', default: OUTPUTS_FILE },
        ca: { type: 'string' },
        'cdk-out': { type: 'string', default: CDK_OUT },
        seed: { type: 'string', default: DEFAULT_SEED },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values
  );
} catch (error) {
  fail(EXIT_USAGE, `${error instanceof Error ? error.message : String(error)}. Run with --help for the options.`);
}
if (options.help) {
  console.log(HELP);
  process.exit(0);
}

const outputsFile = resolve(options.outputs);
/**
 * CA files to try, in order: --ca; else NODE_EXTRA_CA_CERTS (what `npm run dev -- --seed` passes: the CA the sandbox
 * printed) and the default data directory's. The first that signed the sandbox's certificate is the child's.
 */
const caCandidates = options.ca
  ? [resolve(options.ca)]
  : [...new Set([process.env.NODE_EXTRA_CA_CERTS, DEFAULT_CA].filter((file) => !!file).map((file) => resolve(String(file))))];
const cdkOut = resolve(options['cdk-out']);
const seedFile = resolve(options.seed);
const START_HINT = 'Start it with `npm run dev` (or `npm run sandbox:offline`) and run the seed once it prints "[sandbox] ready"';

/**
 * @typedef {{ auth?: { aws_region?: string; user_pool_id?: string; user_pool_client_id?: string };
 *   data?: { url?: string }; custom?: { offline?: unknown; userPoolEndpoint?: unknown } }} Outputs
 */

/** @returns {Outputs} */
function readOutputs() {
  if (!existsSync(outputsFile)) fail(EXIT_PREREQUISITE, `${outputsFile} does not exist, so there is no offline sandbox to seed. ${START_HINT}; it writes that file.`);
  try {
    return JSON.parse(readFileSync(outputsFile, 'utf8'));
  } catch (error) {
    fail(EXIT_PREREQUISITE, `${outputsFile} is not valid JSON (${error instanceof Error ? error.message : String(error)}). ${START_HINT}; it rewrites that file.`);
  }
}

const outputs = readOutputs();
if (!outputs?.custom?.offline) {
  fail(
    EXIT_PREREQUISITE,
    `${outputsFile} was written by ampx for a deployed backend (it has no custom.offline marker), so this offline runner will not touch it. ` +
      'Seed a cloud sandbox with `npx ampx sandbox seed` (docs/seed.md), or pass the offline sandbox\'s file with --outputs.',
  );
}
/** The sandbox's coordinates from the outputs file, all present and on this machine. */
function sandboxCoordinates() {
  const coordinates = {
    region: outputs.auth?.aws_region ?? '',
    userPoolId: outputs.auth?.user_pool_id ?? '',
    clientId: outputs.auth?.user_pool_client_id ?? '',
    graphqlUrl: outputs.data?.url ?? '',
    cognitoUrl: typeof outputs.custom?.userPoolEndpoint === 'string' ? outputs.custom.userPoolEndpoint : '',
  };
  if (Object.values(coordinates).some((value) => !value)) {
    fail(EXIT_PREREQUISITE, `${outputsFile} lacks auth.aws_region/user_pool_id/user_pool_client_id, data.url or custom.userPoolEndpoint. ${START_HINT}; it rewrites that file.`);
  }
  for (const url of [coordinates.cognitoUrl, coordinates.graphqlUrl]) {
    // Local keys and admin calls go to these URLs: never anywhere but this machine.
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      // reported below
    }
    if (!LOOPBACK_HOSTS.has(host)) fail(EXIT_PREREQUISITE, `${outputsFile} points at ${url}, which is not on this machine; the offline runner only talks to a local sandbox.`);
  }
  return coordinates;
}
const { region, userPoolId, clientId, graphqlUrl, cognitoUrl } = sandboxCoordinates();
if (!caCandidates.some((file) => existsSync(file))) {
  fail(EXIT_PREREQUISITE, `The sandbox's local CA (${caCandidates.join(', ')}) does not exist. ${START_HINT} (it creates the CA), or pass --ca <data dir>/ca.pem for a sandbox started with --data.`);
}
if (!existsSync(seedFile)) fail(EXIT_USAGE, `The seed script ${seedFile} does not exist.`);

/** @param {unknown} error @returns {string} */
function causeOf(error) {
  const cause = /** @type {{ cause?: { code?: string; message?: string } }} */ (error)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** The sandbox's Cognito must answer for this pool (a stale outputs file or the synth placeholder would not). */
async function checkCognito() {
  let response;
  try {
    response = await fetch(new URL(`${userPoolId}/.well-known/jwks.json`, `${cognitoUrl.replace(/\/$/, '')}/`));
  } catch (error) {
    fail(EXIT_PREREQUISITE, `No offline sandbox answers at ${cognitoUrl} (${causeOf(error)}), the Cognito endpoint in ${outputsFile}. ${START_HINT}.`);
  }
  if (response.status !== 200) {
    fail(
      EXIT_PREREQUISITE,
      `The offline Cognito at ${cognitoUrl} does not serve user pool ${userPoolId} from ${outputsFile} (HTTP ${response.status}): the file is stale ` +
        `or is the placeholder \`npm run synth\` writes. ${START_HINT}; it rewrites the file.`,
    );
  }
}

/**
 * Whether the GraphQL endpoint's certificate is signed by `caFile` (with the TLS error code when not); fails the run
 * when nothing answers there.
 * @param {string} caFile @returns {Promise<{ trusted: boolean; code: string }>}
 */
function checkGraphql(caFile) {
  return new Promise((resolveCheck) => {
    const request = httpsRequest(graphqlUrl, { method: 'POST', ca: readFileSync(caFile), headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolveCheck({ trusted: true, code: '' }));
    });
    request.on('error', (error) => {
      const code = /** @type {{ code?: string }} */ (error).code ?? '';
      if (/CERT|SELF_SIGNED|SIGNATURE|ERR_TLS/.test(code)) resolveCheck({ trusted: false, code });
      else fail(EXIT_PREREQUISITE, `No offline sandbox answers at ${graphqlUrl} (${code || error.message}), the GraphQL endpoint in ${outputsFile}. ${START_HINT}.`);
    });
    request.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

/** The first candidate CA that signed the sandbox's certificate. @returns {Promise<string>} */
async function sandboxCa() {
  const refused = [];
  for (const file of caCandidates.filter((candidate) => existsSync(candidate))) {
    const { trusted, code } = await checkGraphql(file);
    if (trusted) return file;
    refused.push(`${file} (${code})`);
  }
  fail(
    EXIT_PREREQUISITE,
    `The GraphQL endpoint ${graphqlUrl} presents a certificate that none of ${refused.join(', ')} signed: pass --ca with the CA of the sandbox that is ` +
      'running (<data dir>/ca.pem; the sandbox prints its path at start).',
  );
}

await checkCognito();
const caFile = await sandboxCa();

// ------------------------------------------------------------------------------------------------------------------
// The root stack as CloudFormation would describe it, from the cloud assembly the sandbox runs.
// ------------------------------------------------------------------------------------------------------------------

/** @returns {Promise<{ stackName: string; metadata: Record<string, unknown>; outputs: Record<string, string>; tags: Record<string, string> }>} */
async function describeRootStack() {
  if (!existsSync(join(cdkOut, 'manifest.json'))) fail(EXIT_PREREQUISITE, `No cloud assembly in ${cdkOut}: run \`npm run synth\` (npm run dev does) or pass --cdk-out.`);
  const { tsImport } = await import('tsx/esm/api');
  const { CloudAssembly, LoadedStack } = await tsImport('amplify-gen2-offline', import.meta.url);
  const assembly = CloudAssembly.open(cdkOut);
  const root = LoadedStack.loadRoot(assembly);
  const template = assembly.readTemplate(assembly.rootStack.templateFile);
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8'));
  /** @type {Record<string, string>} */
  const stackOutputs = {};
  for (const name of Object.keys(template.Outputs ?? {})) {
    try {
      const value = root.output(name);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') stackOutputs[name] = String(value);
    } catch {
      // Not resolvable offline (e.g. the codegen bucket of the model schema): CloudFormation would have a value.
    }
  }
  if ('awsAppsyncApiEndpoint' in stackOutputs) stackOutputs.awsAppsyncApiEndpoint = graphqlUrl;
  // Keep only the backend-output entries whose outputs are all here (the GraphQL one needs the model-schema S3 object).
  const metadata = Object.fromEntries(
    Object.entries(template.Metadata ?? {}).filter(
      ([, entry]) => !Array.isArray(entry?.stackOutputs) || entry.stackOutputs.every((/** @type {string} */ name) => name in stackOutputs || template.Outputs?.[name] === undefined),
    ),
  );
  const tags = manifest.artifacts?.[root.stackName]?.properties?.tags ?? {};
  return { stackName: root.stackName, metadata, outputs: stackOutputs, tags };
}

let rootStack;
try {
  rootStack = await describeRootStack();
} catch (error) {
  fail(EXIT_PREREQUISITE, `Could not read the backend from ${cdkOut}: ${error instanceof Error ? error.message : String(error)}. Run \`npm run synth\`, or pass the sandbox's --cdk-out.`);
}
if (rootStack.outputs.userPoolId !== userPoolId || rootStack.outputs.webClientId !== clientId) {
  fail(
    EXIT_PREREQUISITE,
    `The cloud assembly ${cdkOut} describes user pool ${rootStack.outputs.userPoolId ?? '(none)'}, but the sandbox in ${outputsFile} runs ${userPoolId}: ` +
      'they are not the same backend. Pass the --cdk-out the sandbox was started with, or restart the sandbox after `npm run synth`.',
  );
}

// ------------------------------------------------------------------------------------------------------------------
// CloudFormation (query protocol, XML) for the two calls @aws-amplify/seed makes; anything else is refused.
// ------------------------------------------------------------------------------------------------------------------

const CFN_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const stackId = `arn:aws:cloudformation:${region}:123456789012:stack/${rootStack.stackName}/${randomUUID()}`;
const startedAt = new Date().toISOString();

/** @param {string} text */
const xml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
/** @param {Record<string, string>} entries @param {string} keyName @param {string} valueName */
const members = (entries, keyName, valueName) =>
  Object.entries(entries)
    .map(([key, value]) => `<member><${keyName}>${xml(key)}</${keyName}><${valueName}>${xml(value)}</${valueName}></member>`)
    .join('');

/** @param {import('node:http').ServerResponse} res @param {string} action @param {string} result */
function answer(res, action, result) {
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
  res.end(
    `<${action}Response xmlns="${CFN_NAMESPACE}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** @param {import('node:http').ServerResponse} res @param {string} code @param {string} message */
function refuse(res, code, message) {
  res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
  res.end(
    `<ErrorResponse xmlns="${CFN_NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error>` +
      `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

const cloudFormation = createServer((req, res) => {
  const chunks = /** @type {Buffer[]} */ ([]);
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const action = form.get('Action') ?? '';
    const stackName = form.get('StackName') ?? '';
    if (req.method !== 'POST' || (action !== 'GetTemplateSummary' && action !== 'DescribeStacks')) {
      refuse(res, 'InvalidAction', `${action || req.method + ' ' + req.url} is not available offline: the seed runner answers only GetTemplateSummary and DescribeStacks for the sandbox's root stack.`);
      return;
    }
    if (stackName !== rootStack.stackName && stackName !== stackId) {
      refuse(res, 'ValidationError', `Stack with id ${stackName} does not exist`);
      return;
    }
    if (action === 'GetTemplateSummary') {
      answer(res, action, `<Metadata>${xml(JSON.stringify(rootStack.metadata))}</Metadata><Parameters/><ResourceTypes/><Version>2010-09-09</Version>`);
      return;
    }
    answer(
      res,
      action,
      `<Stacks><member><StackName>${xml(rootStack.stackName)}</StackName><StackId>${xml(stackId)}</StackId>` +
        `<CreationTime>${startedAt}</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>` +
        `<Outputs>${members(rootStack.outputs, 'OutputKey', 'OutputValue')}</Outputs><Tags>${members(rootStack.tags, 'Key', 'Value')}</Tags></member></Stacks>`,
    );
  });
});
await new Promise((resolveListen, rejectListen) => {
  cloudFormation.once('error', rejectListen);
  cloudFormation.listen(0, '127.0.0.1', () => resolveListen(undefined));
});
const cloudFormationUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (cloudFormation.address()).port}`;

// ------------------------------------------------------------------------------------------------------------------
// The seed, in a child process.
// ------------------------------------------------------------------------------------------------------------------

const { BackendIdentifierConversions } = await import('@aws-amplify/platform-core');
const backendIdentifier = BackendIdentifierConversions.fromStackName(rootStack.stackName);
if (!backendIdentifier) fail(EXIT_PREREQUISITE, `${rootStack.stackName} is not an Amplify backend stack name; the seed package cannot identify the backend.`);

/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env };
for (const name of Object.keys(env)) {
  // The developer's AWS settings must not apply to (or leak into) calls meant for the sandbox.
  if (/^AWS_/.test(name)) delete env[name];
}
Object.assign(env, {
  NODE_EXTRA_CA_CERTS: caFile,
  AMPLIFY_BACKEND_IDENTIFIER: JSON.stringify(backendIdentifier),
  CHAT_APP_SEED_OUTPUTS: outputsFile,
  AWS_REGION: region,
  AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
  AWS_CONFIG_FILE: devNull,
  AWS_SHARED_CREDENTIALS_FILE: devNull,
  AWS_ENDPOINT_URL: cloudFormationUrl,
  AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormationUrl,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoUrl,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  npm_config_user_agent: process.env.npm_config_user_agent ?? `npm node/${process.version}`,
});

console.log(`[seed] seeding the offline sandbox (user pool ${userPoolId}, ${graphqlUrl}) with ${seedFile}`);
const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--run-seed', seedFile], { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
const [code, signal] = await new Promise((resolveExit) => child.on('exit', (...result) => resolveExit(result)));
await new Promise((resolveClose) => cloudFormation.close(() => resolveClose(undefined)));
if (code !== 0) {
  fail(
    EXIT_FAILED,
    `The seed ${signal ? `was stopped (${signal})` : `failed (exit ${code})`}; its error is above. What it created before that stays, and running it again ` +
      'continues where it stopped. `npm run dev -- --reset` starts from an empty sandbox.',
  );
}
console.log('[seed] the offline sandbox is seeded');
