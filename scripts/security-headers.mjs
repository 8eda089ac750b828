#!/usr/bin/env node
/**
 * The deployed web app's security headers, derived from the backend it talks to (amplify_outputs.json), written as
 * Amplify Hosting's custom headers file (customHttp.yml in the repository root).
 *
 *   node scripts/security-headers.mjs [--outputs amplify_outputs.json] [--out customHttp.yml] [--print]
 *
 * amplify.yml runs it in the backend phase, right after `ampx pipeline-deploy` has written the branch's outputs, so
 * the Content-Security-Policy lists exactly that branch's AppSync (GraphQL and real-time), Cognito and S3 origins.
 * Without an outputs file (`--outputs none`) it writes the fallback committed in customHttp.yml: the same policy with
 * `https://*.amazonaws.com` / `wss://*.amazonaws.com` in place of the backend's own origins. docs/deploy.md explains
 * both; e2e/production-headers.e2e.ts serves a production build with what `securityHeaders` computes for it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/**
 * @typedef {{ key: string, value: string }} Header
 * @typedef {{
 *   auth?: { aws_region?: string, identity_pool_id?: string } | null,
 *   data?: { url?: string } | null,
 *   storage?: { aws_region?: string, bucket_name?: string, buckets?: { aws_region?: string, bucket_name?: string }[] } | null,
 *   custom?: { userPoolEndpoint?: unknown } | null,
 * }} AmplifyOutputs
 */

/** Connect origins of the fallback policy, used when the backend's outputs are not known. */
export const FALLBACK_CONNECT_SOURCES = ['https://*.amazonaws.com', 'wss://*.amazonaws.com'];

/** Image origins of the fallback policy: any S3 bucket (attachments are shown from presigned S3 URLs). */
export const FALLBACK_IMAGE_SOURCES = ['https://*.amazonaws.com'];

/** AWS's DNS suffix for a region (the China regions have their own). */
function awsDomain(/** @type {string} */ region) {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** `https://host[:port]` of a URL; throws on anything but http(s). */
function originOf(/** @type {string} */ url) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`not an http(s) URL: ${url}`);
  return parsed.origin;
}

/**
 * The real-time origin aws-amplify derives from the GraphQL URL: an AppSync domain's `appsync-api` becomes
 * `appsync-realtime-api`; any other host (a custom domain, the offline sandbox) keeps its host, under wss://.
 */
export function realtimeOriginOf(/** @type {string} */ graphqlUrl) {
  const url = new URL(graphqlUrl);
  const host = /^[a-z0-9]+\.appsync-api\./i.test(url.host) ? url.host.replace('.appsync-api.', '.appsync-realtime-api.') : url.host;
  return `wss://${host}`;
}

/**
 * Every origin the app connects to, from its outputs: AppSync GraphQL and real-time, the Cognito user pool (its
 * regional endpoint, or `custom.userPoolEndpoint` when the outputs name one), Cognito identity when there is an
 * identity pool, and each configured S3 bucket (virtual-hosted style, as aws-amplify's storage client calls it).
 * @param {AmplifyOutputs} outputs
 * @returns {string[]}
 */
export function connectSources(outputs) {
  /** @type {string[]} */
  const sources = [];
  const add = (/** @type {string} */ origin) => {
    if (!sources.includes(origin)) sources.push(origin);
  };
  if (outputs.data?.url) {
    add(originOf(outputs.data.url));
    add(realtimeOriginOf(outputs.data.url));
  }
  const auth = outputs.auth;
  if (typeof outputs.custom?.userPoolEndpoint === 'string') add(originOf(outputs.custom.userPoolEndpoint));
  else if (auth?.aws_region) add(`https://cognito-idp.${auth.aws_region}.${awsDomain(auth.aws_region)}`);
  if (auth?.identity_pool_id && auth.aws_region) add(`https://cognito-identity.${auth.aws_region}.${awsDomain(auth.aws_region)}`);
  for (const origin of storageOrigins(outputs)) add(origin);
  return sources;
}

/**
 * Each configured S3 bucket's origin, virtual-hosted style: where aws-amplify's storage client uploads, and where the
 * URLs the backend presigns with the AWS SDK (getAttachmentUrls) point, so attachment images load from there.
 * @param {AmplifyOutputs} outputs
 * @returns {string[]}
 */
export function storageOrigins(outputs) {
  const storage = outputs.storage;
  const buckets = [...(storage?.buckets ?? []), ...(storage?.bucket_name ? [storage] : [])];
  /** @type {string[]} */
  const origins = [];
  for (const bucket of buckets) {
    const origin = bucket.bucket_name && bucket.aws_region ? `https://${bucket.bucket_name}.s3.${bucket.aws_region}.${awsDomain(bucket.aws_region)}` : null;
    if (origin && !origins.includes(origin)) origins.push(origin);
  }
  return origins;
}

/**
 * The Content-Security-Policy: everything from the app's own origin, connections to its backend only, no inline or
 * evaluated script, no plugins, no framing, forms and <base> to the app itself.
 * @param {AmplifyOutputs | null} outputs null: the fallback (any AWS endpoint)
 */
export function contentSecurityPolicy(outputs) {
  const connect = outputs ? connectSources(outputs) : FALLBACK_CONNECT_SOURCES;
  // blob: the composer's previews of images about to be sent (URL.createObjectURL of the picked file).
  const images = ['blob:', ...(outputs ? storageOrigins(outputs) : FALLBACK_IMAGE_SOURCES)];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${images.join(' ')}`,
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The response headers for every path of the deployed app.
 * @param {AmplifyOutputs | null} outputs null: the fallback policy (see contentSecurityPolicy)
 * @returns {Header[]}
 */
export function securityHeaders(outputs) {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(outputs) },
    { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  ];
}

/** Amplify Hosting's custom headers YAML: the headers for every path (`**`). */
export function customHttpYaml(/** @type {Header[]} */ headers) {
  const header =
    '# Amplify Hosting custom headers (https://docs.aws.amazon.com/amplify/latest/userguide/custom-header-YAML-format.html).\n' +
    '# Written by scripts/security-headers.mjs; the Amplify build rewrites it from the branch backend\'s amplify_outputs.json\n' +
    '# (amplify.yml). docs/deploy.md, "Security headers", explains the committed fallback.\n';
  return header + stringify({ customHeaders: [{ pattern: '**', headers }] }, { lineWidth: 0 });
}

/** Reads an amplify_outputs.json, refusing the offline sandbox's (its origins are loopback, not a deployment's). */
export function readDeployedOutputs(/** @type {string} */ file) {
  /** @type {AmplifyOutputs & { custom?: { offline?: unknown } }} */
  const outputs = JSON.parse(readFileSync(file, 'utf8'));
  if (outputs.custom?.offline === true) throw new Error(`${file} describes the offline sandbox, not a deployed backend`);
  if (!outputs.data?.url) throw new Error(`${file} has no data.url`);
  return outputs;
}

function main(/** @type {string[]} */ argv) {
  let outputsFile = 'amplify_outputs.json';
  let outFile = 'customHttp.yml';
  let print = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--outputs' && argv[i + 1] !== undefined) outputsFile = String(argv[++i]);
    else if (arg === '--out' && argv[i + 1] !== undefined) outFile = String(argv[++i]);
    else if (arg === '--print') print = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('Usage: node scripts/security-headers.mjs [--outputs FILE|none] [--out FILE] [--print]\n');
      return 0;
    } else {
      process.stderr.write(`security-headers: unknown option ${arg} (see --help)\n`);
      return 2;
    }
  }
  const outputs = outputsFile === 'none' ? null : readDeployedOutputs(resolve(outputsFile));
  const yaml = customHttpYaml(securityHeaders(outputs));
  writeFileSync(resolve(outFile), yaml);
  process.stdout.write(`security-headers: wrote ${outFile}${outputs ? ` for ${outputs.data?.url}` : ' (fallback policy)'}\n`);
  if (print) process.stdout.write(yaml);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`security-headers: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
