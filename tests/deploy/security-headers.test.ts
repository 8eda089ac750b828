/**
 * scripts/security-headers.mjs: the deployed app's headers from amplify_outputs.json (the CSP's connect-src names
 * the backend's own AppSync, AppSync real-time, Cognito and S3 origins), Amplify Hosting's customHttp.yml written
 * from them, the committed fallback, and amplify.yml running it after the backend is deployed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import {
  connectSources,
  contentSecurityPolicy,
  customHttpYaml,
  FALLBACK_CONNECT_SOURCES,
  FALLBACK_IMAGE_SOURCES,
  realtimeOriginOf,
  securityHeaders,
} from '../../scripts/security-headers.mjs';

const SCRIPT = join(PROJECT_ROOT, 'scripts', 'security-headers.mjs');
const API = 'abcdefghijklmnopqrstuvwxyz';

/** amplify_outputs.json as ampx writes it for a deployed branch (the fields the headers depend on). */
const awsOutputs = {
  version: '1.4',
  auth: { aws_region: 'eu-west-1', user_pool_id: 'eu-west-1_AbCdEf123', user_pool_client_id: '1a2b3c', identity_pool_id: 'eu-west-1:0f0f0f0f-1111-2222-3333-444455556666' },
  data: { url: `https://${API}.appsync-api.eu-west-1.amazonaws.com/graphql`, aws_region: 'eu-west-1', default_authorization_type: 'AMAZON_COGNITO_USER_POOLS' },
  storage: { aws_region: 'eu-west-1', bucket_name: 'chat-files-abc123', buckets: [{ name: 'media', aws_region: 'us-east-1', bucket_name: 'chat-media-def456' }] },
};

/** The CSP's directives by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/);
    return [name, values];
  }));
}

interface CustomHttp {
  customHeaders: { pattern: string; headers: { key: string; value: string }[] }[];
}

const temp = mkdtempSync(join(tmpdir(), 'security-headers-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the headers for a deployed backend', () => {
  it("lists exactly the backend's AppSync (GraphQL and real-time), Cognito user pool and identity, and S3 origins", () => {
    expect(connectSources(awsOutputs)).toEqual([
      `https://${API}.appsync-api.eu-west-1.amazonaws.com`,
      `wss://${API}.appsync-realtime-api.eu-west-1.amazonaws.com`,
      'https://cognito-idp.eu-west-1.amazonaws.com',
      'https://cognito-identity.eu-west-1.amazonaws.com',
      'https://chat-media-def456.s3.us-east-1.amazonaws.com',
      'https://chat-files-abc123.s3.eu-west-1.amazonaws.com',
    ]);
    const csp = directives(contentSecurityPolicy(awsOutputs));
    expect(csp.get('connect-src')).toEqual(["'self'", ...connectSources(awsOutputs)]);
    // Attachment images: previews of picked files (blob:) and the buckets' presigned URLs, nothing else.
    expect(csp.get('img-src')).toEqual(["'self'", 'blob:', 'https://chat-media-def456.s3.us-east-1.amazonaws.com', 'https://chat-files-abc123.s3.eu-west-1.amazonaws.com']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
  });

  it('leaves out what the outputs do not configure (no identity pool, no storage)', () => {
    const { storage: _storage, ...rest } = awsOutputs;
    const outputs = { ...rest, auth: { aws_region: 'us-west-2' } };
    expect(connectSources(outputs)).toEqual([
      `https://${API}.appsync-api.eu-west-1.amazonaws.com`,
      `wss://${API}.appsync-realtime-api.eu-west-1.amazonaws.com`,
      'https://cognito-idp.us-west-2.amazonaws.com',
    ]);
    expect(directives(contentSecurityPolicy(outputs)).get('img-src')).toEqual(["'self'", 'blob:']);
  });

  it('derives the real-time origin as aws-amplify does: AppSync domains get appsync-realtime-api, custom domains keep their host', () => {
    expect(realtimeOriginOf(`https://${API}.appsync-api.ap-southeast-2.amazonaws.com/graphql`)).toBe(`wss://${API}.appsync-realtime-api.ap-southeast-2.amazonaws.com`);
    expect(realtimeOriginOf('https://api.chat.example.com/graphql')).toBe('wss://api.chat.example.com');
    expect(realtimeOriginOf('https://127.0.0.1:5173/graphql')).toBe('wss://127.0.0.1:5173');
  });

  it('uses a user pool endpoint the outputs name, and the China regions’ domain', () => {
    expect(connectSources({ auth: { aws_region: 'eu-west-1' }, custom: { userPoolEndpoint: 'https://127.0.0.1:5173/cognito' } })).toEqual(['https://127.0.0.1:5173']);
    expect(connectSources({ auth: { aws_region: 'cn-north-1' } })).toEqual(['https://cognito-idp.cn-north-1.amazonaws.com.cn']);
  });

  it('sends HSTS, no framing, nosniff and a referrer policy with the CSP', () => {
    const headers = new Map(securityHeaders(awsOutputs).map(({ key, value }) => [key, value]));
    expect([...headers.keys()]).toEqual(['Content-Security-Policy', 'Strict-Transport-Security', 'X-Frame-Options', 'X-Content-Type-Options', 'Referrer-Policy']);
    expect(headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    expect(headers.get('X-Frame-Options')).toBe('DENY');
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
  });
});

describe('customHttp.yml', () => {
  it('is valid YAML in Amplify Hosting’s custom headers format, every path getting the headers', () => {
    const parsed = parse(customHttpYaml(securityHeaders(awsOutputs))) as CustomHttp;
    expect(parsed).toEqual({ customHeaders: [{ pattern: '**', headers: securityHeaders(awsOutputs) }] });
  });

  it('the committed file is the fallback: the same policy, with any AWS endpoint in place of the backend’s own', () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'customHttp.yml'), 'utf8');
    expect(committed).toBe(customHttpYaml(securityHeaders(null)));
    const csp = (parse(committed) as CustomHttp).customHeaders[0]?.headers.find((h) => h.key === 'Content-Security-Policy')?.value ?? '';
    expect(directives(csp).get('connect-src')).toEqual(["'self'", ...FALLBACK_CONNECT_SOURCES]);
    expect(directives(csp).get('img-src')).toEqual(["'self'", 'blob:', ...FALLBACK_IMAGE_SOURCES]);
  });

  it('the script writes it from an outputs file, and refuses the offline sandbox’s outputs', () => {
    const outputsFile = join(temp, 'amplify_outputs.json');
    const out = join(temp, 'customHttp.yml');
    writeFileSync(outputsFile, JSON.stringify(awsOutputs));
    execFileSync(process.execPath, [SCRIPT, '--outputs', outputsFile, '--out', out]);
    expect(parse(readFileSync(out, 'utf8'))).toEqual({ customHeaders: [{ pattern: '**', headers: securityHeaders(awsOutputs) }] });

    writeFileSync(outputsFile, JSON.stringify({ ...awsOutputs, custom: { offline: true } }));
    const refused = spawnSync(process.execPath, [SCRIPT, '--outputs', outputsFile, '--out', join(temp, 'not-written.yml')], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('describes the offline sandbox');

    const usage = spawnSync(process.execPath, [SCRIPT, '--nope'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});

describe('amplify.yml', () => {
  it('is valid YAML and writes customHttp.yml from the outputs right after the backend deploy', () => {
    const spec = parse(readFileSync(join(PROJECT_ROOT, 'amplify.yml'), 'utf8')) as {
      backend: { phases: { build: { commands: string[] } } };
      frontend: { artifacts: { baseDirectory: string } };
    };
    const commands = spec.backend.phases.build.commands;
    const deploy = commands.findIndex((command) => command.includes('ampx pipeline-deploy'));
    expect(deploy).toBeGreaterThanOrEqual(0);
    expect(commands[deploy + 1]).toBe('node scripts/security-headers.mjs --outputs amplify_outputs.json --out customHttp.yml --print');
    expect(spec.frontend.artifacts.baseDirectory).toBe('dist');
  });
});
