/**
 * Every shell script passes shellcheck (Debian's /usr/bin/shellcheck; .ci/run installs it) with the repository's
 * .shellcheckrc, and follows the scripts' conventions. A missing shellcheck fails this test instead of skipping it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, SCRIPTS } from './stand-in';

const scripts = readdirSync(SCRIPTS)
  .filter((f) => f.endsWith('.sh'))
  .map((f) => join(SCRIPTS, f));
const libraries = readdirSync(join(SCRIPTS, 'lib'))
  .filter((f) => f.endsWith('.sh'))
  .map((f) => join(SCRIPTS, 'lib', f));
const testScripts = [join(import.meta.dirname, 'stand-in.sh')];

function shellcheck(args: string[]) {
  const result = spawnSync('shellcheck', args, { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('shellcheck is not installed: `apt-get install shellcheck` (Debian; .ci/run installs it). This test does not skip.');
  }
  return result;
}

describe('shell scripts', () => {
  it('exist: deploy, destroy, create-test-users, the Amplify Hosting helper, their libraries and npm scripts', () => {
    expect(scripts.map((f) => relative(SCRIPTS, f)).sort()).toEqual(['amplify-hosting-env.sh', 'create-test-users.sh', 'deploy.sh', 'destroy.sh']);
    expect(libraries.map((f) => relative(SCRIPTS, f)).sort()).toEqual(['lib/common.sh', 'lib/target.sh']);
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts).toMatchObject({
      'dev:cloud': 'node scripts/dev-cloud.mjs',
      deploy: 'bash scripts/deploy.sh',
      'deploy:status': 'bash scripts/deploy.sh --status',
      destroy: 'bash scripts/destroy.sh',
      'test-users': 'bash scripts/create-test-users.sh',
      'validate:cfn': 'node scripts/validate-cfn.mjs',
    });
  });

  it('pass shellcheck (all severities, sourced libraries followed)', () => {
    expect(shellcheck(['--version']).status).toBe(0);
    const result = shellcheck(['--format=gcc', ...[...scripts, ...libraries, ...testScripts].map((f) => relative(PROJECT_ROOT, f))]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('are bash with `set -euo pipefail`, executable, and use bash 3.2 syntax only (macOS /bin/bash)', () => {
    for (const file of scripts) {
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n'), file).toBe(true);
      expect(text, file).toMatch(/^set -euo pipefail$/m);
      expect(statSync(file).mode & 0o111, file).not.toBe(0);
    }
    for (const file of [...scripts, ...libraries]) {
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('#'))
        .join('\n');
      // Bash 4+ only: case conversion, associative arrays, mapfile/readarray, namerefs, negative array indexes.
      expect(text, file).not.toMatch(/\$\{\w+(,,|\^\^)\}|declare -A|local -A|\bmapfile\b|\breadarray\b|declare -n|local -n|\[-1\]/);
    }
  });
});
