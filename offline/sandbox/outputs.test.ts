import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CDK_OUT } from '../../scripts/lib/paths.mjs';
import { loadCdkOut } from '../loader/load-cdk-out';
import { buildOutputs, CONNECTION_HELP, writeOutputs } from './outputs';

const description = loadCdkOut(CDK_OUT);
const endpoints = { graphql: 'https://127.0.0.1:20002/graphql', cognito: 'http://127.0.0.1:20001' };
const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
  dirs.push(dir);
  return join(dir, 'amplify_outputs.json');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('amplify_outputs.json for the offline sandbox', () => {
  it('carries the real ids, the local URLs, the pool policy and the model introspection', () => {
    const file = tempFile();
    expect(writeOutputs(file, buildOutputs(description, endpoints))).toBe('written');
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(written.version).toBe('1.4');
    expect(written.auth).toEqual({
      aws_region: 'us-east-1',
      user_pool_id: description.userPool.id,
      user_pool_client_id: description.userPool.clients[0]!.id,
      username_attributes: ['email'],
      standard_required_attributes: ['email'],
      user_verification_types: ['email'],
      unauthenticated_identities_enabled: false,
      password_policy: { min_length: 8, require_numbers: true, require_lowercase: true, require_uppercase: true, require_symbols: false },
    });
    expect(written.auth!.user_pool_id).toMatch(/^us-east-1_[A-Za-z0-9]+$/);
    expect(written.data).toEqual({
      url: 'https://127.0.0.1:20002/graphql',
      aws_region: 'us-east-1',
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: ['AWS_IAM'],
      model_introspection: description.modelIntrospection,
    });
    expect(Object.keys((written.data!.model_introspection as { models: object }).models)).toContain('Message');
    expect(written.custom).toEqual({ offline: true, userPoolEndpoint: 'http://127.0.0.1:20001', connectionHelp: CONNECTION_HELP });
  });

  it('never overwrites a file written by ampx (no custom.offline) unless forced', () => {
    const file = tempFile();
    const deployed = `${JSON.stringify({ version: '1.4', auth: { user_pool_id: 'us-east-1_REAL' } })}\n`;
    writeFileSync(file, deployed);
    expect(writeOutputs(file, buildOutputs(description, endpoints))).toBe('kept (written by ampx for a deployed backend)');
    expect(readFileSync(file, 'utf8')).toBe(deployed);
    expect(writeOutputs(file, buildOutputs(description, endpoints), { force: true })).toBe('written');
    expect(JSON.parse(readFileSync(file, 'utf8')).custom.offline).toBe(true);
  });

  it('replaces an earlier offline file', () => {
    const file = tempFile();
    writeFileSync(file, JSON.stringify({ custom: { offline: true }, data: { url: 'https://old/graphql' } }));
    expect(writeOutputs(file, buildOutputs(description, endpoints))).toBe('written');
    expect(JSON.parse(readFileSync(file, 'utf8')).data.url).toBe(endpoints.graphql);
  });
});
