/**
 * The synthesis key changes with every input of a synthesis (so a kept assembly is never stale for those inputs) and
 * with nothing else (so an unchanged backend is never synthesized twice).
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synthesisKey } from './synthesis-key.mjs';

let project: string;
const context = { 'amplify-backend-namespace': 'demo', 'amplify-backend-name': 'me', 'amplify-backend-type': 'sandbox' };
const keyOf = (overrides: Partial<Parameters<typeof synthesisKey>[0]> = {}) =>
  synthesisKey({ projectRoot: project, backend: join(project, 'amplify', 'backend.ts'), context, environment: { PATH: '/bin' }, environmentPrefixes: ['DEMO_'], ...overrides });

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'synthesis-key-'));
  mkdirSync(join(project, 'amplify', 'functions', 'hello'), { recursive: true });
  mkdirSync(join(project, 'amplify', 'seed'), { recursive: true });
  mkdirSync(join(project, 'amplify', 'node_modules'), { recursive: true });
  writeFileSync(join(project, 'amplify', 'backend.ts'), 'export {};\n');
  writeFileSync(join(project, 'amplify', 'functions', 'hello', 'handler.ts'), 'export const handler = async () => 1;\n');
  writeFileSync(join(project, 'amplify', 'seed', 'seed.ts'), '// seed\n');
  writeFileSync(join(project, 'package.json'), '{"name":"demo"}\n');
  writeFileSync(join(project, 'package-lock.json'), '{"lockfileVersion":3}\n');
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('synthesisKey', () => {
  it('is the same for the same inputs, whatever else is in the environment', () => {
    const key = keyOf();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(keyOf({ environment: { PATH: '/usr/bin', TERM: 'xterm', npm_lifecycle_event: 'dev', HOME: '/elsewhere' } })).toBe(key);
  });

  it('changes with a function handler, a new file, a renamed file, and the entry point', () => {
    const key = keyOf();
    appendFileSync(join(project, 'amplify', 'functions', 'hello', 'handler.ts'), '// one line\n');
    const edited = keyOf();
    expect(edited).not.toBe(key);
    writeFileSync(join(project, 'amplify', 'functions', 'hello', 'extra.ts'), '');
    const added = keyOf();
    expect(added).not.toBe(edited);
    rmSync(join(project, 'amplify', 'functions', 'hello', 'extra.ts'));
    writeFileSync(join(project, 'amplify', 'functions', 'hello', 'other.ts'), '');
    expect(keyOf()).not.toBe(added);
    expect(keyOf({ backend: join(project, 'amplify', 'functions', 'hello', 'handler.ts') })).not.toBe(keyOf());
  });

  it('changes with package-lock.json, package.json and a tsconfig.json', () => {
    const key = keyOf();
    writeFileSync(join(project, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    const lock = keyOf();
    expect(lock).not.toBe(key);
    writeFileSync(join(project, 'package.json'), '{"name":"demo2"}\n');
    const pkg = keyOf();
    expect(pkg).not.toBe(lock);
    writeFileSync(join(project, 'tsconfig.json'), '{}\n');
    expect(keyOf()).not.toBe(pkg);
  });

  it('changes with the context and the variables the backend may read', () => {
    const key = keyOf();
    expect(keyOf({ context: { ...context, 'amplify-backend-name': 'you' } })).not.toBe(key);
    expect(keyOf({ context: { ...context, 'amplify-backend-type': 'branch' } })).not.toBe(key);
    expect(keyOf({ environment: { PATH: '/bin', DEMO_LIMIT: '3' } })).not.toBe(key);
    expect(keyOf({ environment: { PATH: '/bin', DEMO_LIMIT: '3' } })).not.toBe(keyOf({ environment: { PATH: '/bin', DEMO_LIMIT: '4' } }));
    expect(keyOf({ environment: { PATH: '/bin', AMPLIFY_X: '1' } })).not.toBe(key);
    expect(keyOf({ environment: { PATH: '/bin', CDK_CONTEXT_JSON: '{}' } })).not.toBe(key);
    expect(keyOf({ environment: { PATH: '/bin', AWS_REGION: 'eu-west-1' } })).not.toBe(key);
    expect(keyOf({ environment: { PATH: '/bin', NODE_OPTIONS: '--max-old-space-size=100' } })).not.toBe(key);
  });

  it('ignores node_modules and the folders that are not the backend (seed/)', () => {
    const key = keyOf();
    appendFileSync(join(project, 'amplify', 'seed', 'seed.ts'), '// more\n');
    writeFileSync(join(project, 'amplify', 'node_modules', 'x.js'), '');
    expect(keyOf()).toBe(key);
  });
});
