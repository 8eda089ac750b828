/**
 * No production module imports test scaffolding. Production here is every module under offline/, amplify/, src/,
 * scripts/ and bench/ that is not itself test code; test code is a `*.test.*` / `*.spec.*` file, a file named as
 * scaffolding (`test-support`, `test-harness`, `test-tables`, `test-fixtures`) or anything under a `tests/` folder.
 * Imports are resolved as TypeScript resolves them (dependency-cruiser: `.js` specifiers of `.ts` files, type-only
 * imports, the `$amplify/*` paths of amplify/tsconfig.json). The second test plants violations at run time, so a
 * check that sees nothing is caught.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { dependencyViolations, writeTree } from '../helpers/dependency-cruise';

/** The folders whose non-test modules are production code. */
const PRODUCTION_DIRS = ['offline', 'amplify', 'src', 'scripts', 'bench'];

/** A path (relative to the root, `/`-separated) that is test code or test scaffolding. */
const TEST_CODE = '(^|/)tests/|\\.(test|spec)\\.[cm]?[jt]sx?$|(^|/)[^/]*test-(support|harness|tables|fixtures)[^/]*$';

/** `from -> to` for every import of test code by a production module under `dirs` of `baseDir`. */
async function scaffoldingImports(baseDir: string, dirs: string[], tsConfigFile: string): Promise<string[]> {
  const violations = await dependencyViolations(baseDir, dirs, tsConfigFile, [
    { name: 'no-test-scaffolding-in-production', severity: 'error', from: { path: `^(${dirs.join('|')})/`, pathNot: TEST_CODE }, to: { path: TEST_CODE } },
  ]);
  return violations.map((violation) => `${violation.from} -> ${violation.to}`).sort();
}

describe('no test scaffolding in production code', () => {
  it('no module of offline/, amplify/, src/, scripts/ or bench/ that is not test code imports test code', async () => {
    const imports = await scaffoldingImports(PROJECT_ROOT, PRODUCTION_DIRS, 'amplify/tsconfig.json');
    expect(imports, `production modules importing test code:\n${imports.map((line) => `  ${line}`).join('\n')}`).toEqual([]);
  });

  const planted = mkdtempSync(join(tmpdir(), 'test-scaffolding-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  it('fails on planted imports of scaffolding by name, of a test file and of tests/, and lets test code import them', async () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'es2022', moduleResolution: 'bundler', strict: true, noEmit: true, paths: { '$helpers/*': ['./tests/helpers/*'] } },
        include: ['**/*'],
      }),
      'offline/svc/test-support.ts': 'export const fixture = 1;\n',
      'offline/svc/test-harness.ts': "import { fixture } from './test-support.js';\nexport const harness = fixture;\n",
      'offline/svc/test-tables.ts': 'export type Table = { name: string };\n',
      'offline/svc/cases.test.ts': "import { harness } from './test-harness.js';\nexport const cases = harness;\n",
      'tests/helpers/users.ts': 'export const users = 1;\n',
      // Production modules: each import below is a violation.
      'offline/svc/server.ts': "import { fixture } from './test-support.js';\nimport type { Table } from './test-tables.js';\nexport const server = (t: Table): number => fixture + t.name.length;\n",
      'bench/run.ts': "import { harness } from '../offline/svc/test-harness.js';\nimport { users } from '$helpers/users';\nexport const run = harness + users;\n",
      'scripts/seed.ts': "import { cases } from '../offline/svc/cases.test.js';\nexport const seed = cases;\n",
      'src/app.ts': "import { users } from '../tests/helpers/users.js';\nexport const app = users;\n",
      // Allowed: production importing production, test code importing anything.
      'amplify/backend.ts': "import { server } from '../offline/svc/server.js';\nexport const backend = server;\n",
      'amplify/backend.test.ts': "import { users } from '../tests/helpers/users.js';\nimport { fixture } from '../offline/svc/test-support.js';\nexport const t = users + fixture;\n",
    };
    writeTree(planted, files);
    const imports = await scaffoldingImports(planted, PRODUCTION_DIRS, 'tsconfig.json');
    expect(imports).toEqual([
      'bench/run.ts -> offline/svc/test-harness.ts',
      'bench/run.ts -> tests/helpers/users.ts',
      'offline/svc/server.ts -> offline/svc/test-support.ts',
      'offline/svc/server.ts -> offline/svc/test-tables.ts',
      'scripts/seed.ts -> offline/svc/cases.test.ts',
      'src/app.ts -> tests/helpers/users.ts',
    ]);
  });
});
