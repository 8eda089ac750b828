/**
 * eslint.config.js does what `npm run lint` relies on: every import names a package declared in
 * package.json (runtime dependencies only for the browser bundle), every code file of the repository
 * is linted with that rule, and the hooks rules run on the app.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const declared = (name: string) => name in pkg.dependencies || name in pkg.devDependencies;

/** A package npm installs only because something else depends on it: present (hoisted), never declared. */
const HOISTED_ONLY = 'semver';
/** A devDependency: fine in tests and tools, not in the browser bundle. */
const DEV_DEPENDENCY = 'jose';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: PROJECT_ROOT, overrideConfigFile: join(PROJECT_ROOT, 'eslint.config.js') });
});

/** The messages of one rule for `code` linted as if it were the file at `filePath` (relative to the project). */
async function lint(code: string, filePath: string, ruleId?: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(PROJECT_ROOT, filePath) });
  return result!.messages
    .filter((m: Linter.LintMessage) => (ruleId ? m.ruleId === ruleId : m.ruleId?.startsWith('import-x/')))
    .map((m: Linter.LintMessage) => `${m.line}: ${m.ruleId}: ${m.message}`);
}

describe('undeclared imports fail the lint', () => {
  it('the premises: the hoisted package is installed but not declared, the dev one is a devDependency', () => {
    expect(existsSync(join(PROJECT_ROOT, 'node_modules', HOISTED_ONLY, 'package.json'))).toBe(true);
    expect(declared(HOISTED_ONLY)).toBe(false);
    expect(pkg.devDependencies).toHaveProperty(DEV_DEPENDENCY);
    expect(pkg.dependencies).not.toHaveProperty(DEV_DEPENDENCY);
  });

  it('a package present only through hoisting, in the app, the sandbox, a script and a Lambda function', async () => {
    const code = `import { valid } from '${HOISTED_ONLY}';\nexport const ok = valid('1.0.0');\n`;
    for (const file of ['src/lint-probe.ts', 'offline/lint-probe.ts', 'scripts/lint-probe.mjs', 'amplify/functions/presence/lint-probe.ts']) {
      expect(await lint(code, file), file).toEqual([
        expect.stringMatching(new RegExp(`^1: import-x/no-extraneous-dependencies: '${HOISTED_ONLY}' should be listed in the project's dependencies\\. Run`)),
      ]);
    }
  });

  it('a type-only import of an undeclared package, and a subpath of one', async () => {
    const code = `import type { SemVer } from '${HOISTED_ONLY}';\nimport { parse } from '${HOISTED_ONLY}/functions/parse.js';\nexport const v: SemVer | null = parse('1.0.0');\n`;
    const messages = await lint(code, 'offline/lint-probe.ts');
    expect(messages).toHaveLength(2);
    expect(messages.every((m) => m.includes(`'${HOISTED_ONLY}' should be listed in the project's dependencies`))).toBe(true);
  });

  it('a devDependency in the browser bundle (src/), but not in its tests or anywhere else', async () => {
    const code = `import { decodeJwt } from '${DEV_DEPENDENCY}';\nexport const claims = decodeJwt('x.y.z');\n`;
    expect(await lint(code, 'src/lint-probe.ts')).toEqual([
      `1: import-x/no-extraneous-dependencies: '${DEV_DEPENDENCY}' should be listed in the project's dependencies, not devDependencies.`,
    ]);
    expect(await lint(code, 'src/lint-probe.tsx')).toHaveLength(1);
    expect(await lint(code, 'src/lint-probe.test.ts')).toEqual([]);
    expect(await lint(code, 'offline/lint-probe.ts')).toEqual([]);
    expect(await lint(code, 'e2e/lint-probe.ts')).toEqual([]);
  });

  it('a package that is not installed at all', async () => {
    expect(await lint(`import x from 'no-such-package-anywhere';\nexport default x;\n`, 'src/lint-probe.ts')).toEqual([
      "1: import-x/no-unresolved: Unable to resolve path to module 'no-such-package-anywhere'.",
    ]);
  });
});

describe('declared imports pass', () => {
  it('the app: dependencies with subpaths, a stylesheet, type-only imports and the generated outputs', async () => {
    const code = [
      "import { StrictMode, type ReactNode } from 'react';",
      "import type { Root } from 'react-dom/client';",
      "import { fetchAuthSession } from 'aws-amplify/auth';",
      "import { generateClient } from 'aws-amplify/data';",
      "import { Hub } from 'aws-amplify/utils';",
      "import './index.css';",
      "import outputs from '../amplify_outputs.json';",
      "import type { Schema } from '../amplify/data/resource';",
      "import { App } from './App';",
      'export const all: unknown[] = [StrictMode, fetchAuthSession, generateClient, Hub, outputs, App];',
      'export type T = [ReactNode, Root, Schema];',
      '',
    ].join('\n');
    expect(await lint(code, 'src/lint-probe.tsx')).toEqual([]);
  });

  it('tools and tests: devDependencies, node: builtins, .mjs and .js-suffixed TypeScript modules', async () => {
    const code = [
      "import { readFileSync } from 'node:fs';",
      "import { WebSocket } from 'ws';",
      "import { describe } from 'vitest';",
      "import { createServer } from 'vite';",
      "import { CDK_OUT } from '../scripts/lib/paths.mjs';",
      "import { loadCdkOut } from './loader/load-cdk-out.js';",
      'export const all: unknown[] = [readFileSync, WebSocket, describe, createServer, CDK_OUT, loadCdkOut];',
      '',
    ].join('\n');
    expect(await lint(code, 'offline/lint-probe.ts')).toEqual([]);
  });

  it('a Lambda function: @aws-sdk (declared although the runtime provides it), @types-only packages, $amplify/env', async () => {
    const code = [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import type { Handler } from 'aws-lambda';",
      "import { env } from '$amplify/env/presence';",
      'export const handler: Handler = async () => [DynamoDBClient, env];',
      '',
    ].join('\n');
    expect(await lint(code, 'amplify/functions/presence/lint-probe.ts')).toEqual([]);
  });

  it('an APPSYNC_JS resolver: @aws-appsync/utils (declared although AppSync provides it)', async () => {
    const code = "import { util } from '@aws-appsync/utils';\nexport function request() { return util.autoId(); }\n";
    expect(await lint(code, 'amplify/data/lint-probe.js')).toEqual([]);
  });
});

describe('coverage of the rules', () => {
  const codeFiles = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => /\.(?:[cm]?[jt]sx?)$/.test(file) && existsSync(join(PROJECT_ROOT, file)));

  it('every code file of the repository is linted with the undeclared-import rules on', async () => {
    expect(codeFiles.length).toBeGreaterThan(300);
    for (const dir of ['src/', 'offline/', 'tests/', 'e2e/', 'bench/', 'scripts/', 'amplify/functions/', 'amplify/data/']) {
      expect(codeFiles.some((file) => file.startsWith(dir)), dir).toBe(true);
    }
    const missing: string[] = [];
    for (const file of codeFiles) {
      const path = join(PROJECT_ROOT, file);
      const config = (await eslint.isPathIgnored(path)) ? undefined : ((await eslint.calculateConfigForFile(path)) as Linter.Config | undefined);
      const severity = (rule: string) => {
        const setting = config?.rules?.[rule];
        return Array.isArray(setting) ? setting[0] : setting;
      };
      if (severity('import-x/no-extraneous-dependencies') !== 2 || severity('import-x/no-unresolved') !== 2) missing.push(file);
    }
    expect(missing).toEqual([]);
  });

  it('the hooks rules run as errors on the app, and the bundle may not use devDependencies', async () => {
    const config = (await eslint.calculateConfigForFile(join(PROJECT_ROOT, 'src/components/ChatApp.tsx'))) as Linter.Config;
    expect(config.rules?.['react-hooks/rules-of-hooks']).toEqual([2]);
    expect(config.rules?.['react-hooks/exhaustive-deps']).toEqual([2]);
    expect(config.rules?.['import-x/no-extraneous-dependencies']).toEqual([2, expect.objectContaining({ devDependencies: false })]);
  });

  it('rules-of-hooks and exhaustive-deps report in the app', async () => {
    const code = [
      "import { useEffect, useState } from 'react';",
      'export function Probe({ on, id }: { on: boolean; id: string }) {',
      '  if (on) useState(0);',
      '  useEffect(() => console.log(id), []);',
      '  return null;',
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: join(PROJECT_ROOT, 'src/components/LintProbe.tsx') });
    expect(result!.messages.map((m) => `${m.line}: ${m.ruleId} (${m.severity})`)).toEqual([
      '3: react-hooks/rules-of-hooks (2)',
      '4: react-hooks/exhaustive-deps (2)',
    ]);
  });
});
