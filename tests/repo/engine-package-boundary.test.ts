/**
 * The offline engine is a package of its own (offline/, `amplify-gen2-offline`, an npm workspace) and the chat uses it
 * as any Gen 2 app would:
 *
 * - the engine's modules import nothing of the repository outside offline/, and every npm package they import is a
 *   dependency in offline/package.json, so it can be taken out and used by another project;
 * - the app's modules (src/, scripts/, amplify/, bench/ and the root config files) reach the engine only through the
 *   package's name (`amplify-gen2-offline`, `amplify-gen2-offline/vite`, …), never by a relative path into offline/.
 *
 * Inside the engine, a service folder (appsync/, cognito/, …, the loader) is entered only through its index.ts: a module of
 * another folder (or of the package's root) imports what that index exports, never a file behind it.
 *
 * Tests (test files, tests/, e2e/) may look inside. The second test plants each kind of violation in a small workspace
 * built at run time, so a check that sees nothing is caught.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { dependencyViolations, writeTree } from '../helpers/dependency-cruise';

const APP_DIRS = ['src', 'scripts', 'amplify', 'bench'];
const ROOT_FILES = ['vite.config.ts', 'vitest.config.ts', 'vitest.e2e.config.ts', 'vitest.load.config.ts', 'eslint.config.js'];
const TEST_CODE = '(^|/)tests/|\\.(test|spec)\\.[cm]?[jt]sx?$';
/** The engine's folders that are entered through their index.ts: the services, the loader and IAM evaluation. */
const SERVICE_FOLDERS = ['appsync', 'aws-endpoints', 'cognito', 'console', 'dynamodb', 'iam', 'lambda', 'loader', 'realtime', 'scheduler', 'tls'];

/** `node_modules/@scope/name/…` or `node_modules/name/…` → the package's name. */
const packageOf = (path: string): string => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path;

async function boundaryViolations(baseDir: string, dirs: string[], tsConfigFile: string): Promise<string[]> {
  const engine = JSON.parse(readFileSync(join(baseDir, 'offline', 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const declared = new Set([...Object.keys(engine['dependencies'] ?? {}), ...Object.keys(engine['peerDependencies'] ?? {})]);
  const violations = await dependencyViolations(baseDir, dirs, tsConfigFile, [
    {
      name: 'engine-imports-only-itself',
      severity: 'error',
      from: { path: '^offline/', pathNot: TEST_CODE },
      to: { pathNot: '^(offline/|node_modules/)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'service-entered-through-its-index',
      severity: 'error',
      from: { path: '^offline/([^/]+)/', pathNot: TEST_CODE },
      to: { path: `^offline/(${SERVICE_FOLDERS.join('|')})/`, pathNot: ['^offline/$1/', '^offline/[^/]+/index\\.ts$'] },
    },
    {
      name: 'service-entered-through-its-index',
      severity: 'error',
      from: { path: '^offline/[^/]+$', pathNot: TEST_CODE },
      to: { path: `^offline/(${SERVICE_FOLDERS.join('|')})/`, pathNot: '^offline/[^/]+/index\\.ts$' },
    },
    {
      // Every npm package an engine module imports; those offline/package.json does not declare are the violations.
      name: 'engine-declares-its-packages',
      severity: 'error',
      from: { path: '^offline/', pathNot: TEST_CODE },
      to: { path: '^node_modules/' },
    },
    {
      name: 'app-uses-the-package-name',
      severity: 'error',
      from: { path: `^(${[...APP_DIRS.map((dir) => `${dir}/`), ...ROOT_FILES.map((file) => `${file.replace(/\./g, '\\.')}$`)].join('|')})`, pathNot: TEST_CODE },
      to: { path: '^offline/', dependencyTypesNot: ['aliased-workspace'] },
    },
  ], { packages: true });
  return violations
    .filter((violation) => violation.rule.name !== 'engine-declares-its-packages' || !declared.has(packageOf(violation.to)))
    .map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.rule.name === 'engine-declares-its-packages' ? packageOf(violation.to) : violation.to}`)
    .sort();
}

describe('the engine package boundary', () => {
  it('offline/ imports only itself, and the app reaches it only as amplify-gen2-offline', async () => {
    const found = await boundaryViolations(PROJECT_ROOT, ['offline', ...APP_DIRS, ...ROOT_FILES], 'tsconfig.node.json');
    expect(found, found.join('\n')).toEqual([]);
  });

  it('the root package.json has offline/ as a workspace and depends on it by name and version', () => {
    const root = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { workspaces: string[]; devDependencies: Record<string, string> };
    const engine = JSON.parse(readFileSync(join(PROJECT_ROOT, 'offline', 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
    expect(root.workspaces).toEqual(['offline']);
    expect(root.devDependencies[engine.name]).toBe(engine.version);
    expect(Object.keys(engine.bin)).toEqual([engine.name]);
  });

  const planted = mkdtempSync(join(tmpdir(), 'engine-boundary-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  it('catches planted violations both ways and allows the package name', async () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'app', type: 'module', workspaces: ['offline'], dependencies: { 'left-pad': '1.3.0' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', strict: true, noEmit: true, allowImportingTsExtensions: true }, include: ['**/*'] }),
      'offline/package.json': JSON.stringify({ name: 'engine', type: 'module', exports: { '.': './index.ts', './vite': './vite.ts' }, dependencies: { 'right-pad': '1.0.0' } }),
      // Allowed: a package the engine declares.
      'offline/declared.ts': "import right from 'right-pad';\nexport const declared = right;\n",
      'node_modules/right-pad/package.json': JSON.stringify({ name: 'right-pad', main: 'index.js' }),
      'node_modules/right-pad/index.js': 'module.exports = 1;\n',
      'offline/index.ts': "import { readFileSync } from 'node:fs';\nexport const engine = typeof readFileSync;\n",
      // Violation: a package the engine does not declare (the app has it).
      'offline/undeclared.ts': "import left from 'left-pad';\nexport const undeclared = left;\n",
      'node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', main: 'index.js' }),
      'node_modules/left-pad/index.js': 'module.exports = 1;\n',
      'offline/vite.ts': 'export const plugin = 1;\n',
      // Violations: a module of another folder, and the package's root, reaching behind a service's index.ts.
      'offline/cognito/index.ts': "export { pool } from './pool.ts';\n",
      'offline/cognito/pool.ts': "import { plugin } from '../vite.ts';\nexport const pool = plugin;\n",
      'offline/sandbox/start.ts': "import { pool } from '../cognito/pool.ts';\nimport { pool as same } from '../cognito/index.ts';\nexport const start = pool + same;\n",
      'offline/root.ts': "import { pool } from './cognito/pool.ts';\nexport const root = pool;\n",
      // Violation: the engine reaching into the app.
      'offline/leaky.ts': "import { settings } from '../src/settings.ts';\nexport const leaky = settings;\n",
      // Allowed: an engine test may use the app's helpers.
      'offline/leaky.test.ts': "import { settings } from '../src/settings.ts';\nexport const t = settings;\n",
      'src/settings.ts': 'export const settings = 1;\n',
      // Allowed: the package's name and subpath.
      'src/app.ts': "import { engine } from 'engine';\nimport { plugin } from 'engine/vite';\nexport const app = engine + plugin;\n",
      // Violations: relative paths into the engine, from app code and a root config file.
      'scripts/seed.ts': "import { engine } from '../offline/index.ts';\nexport const seed = engine;\n",
      'vite.config.ts': "import { plugin } from './offline/vite.ts';\nexport default plugin;\n",
      // Allowed: tests look inside.
      'tests/engine.test.ts': "import { engine } from '../offline/index.ts';\nexport const t = engine;\n",
    };
    writeTree(planted, files);
    symlinkSync('../offline', join(planted, 'node_modules', 'engine'), 'dir');
    const found = await boundaryViolations(planted, ['offline', 'src', 'scripts', 'tests', 'vite.config.ts'], 'tsconfig.json');
    expect(found).toEqual([
      'app-uses-the-package-name: scripts/seed.ts -> offline/index.ts',
      'app-uses-the-package-name: vite.config.ts -> offline/vite.ts',
      'engine-declares-its-packages: offline/undeclared.ts -> left-pad',
      'engine-imports-only-itself: offline/leaky.ts -> src/settings.ts',
      'service-entered-through-its-index: offline/root.ts -> offline/cognito/pool.ts',
      'service-entered-through-its-index: offline/sandbox/start.ts -> offline/cognito/pool.ts',
    ]);
  });
});
