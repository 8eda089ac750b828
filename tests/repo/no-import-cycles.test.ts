/**
 * No import cycles in the repository's TypeScript and JavaScript (dependency-cruiser's `circular` rule), type-only
 * imports included: a cycle means no module of it can be read, tested or loaded apart from the others.
 *
 * Resolution as TypeScript does it here: `.js`-suffixed specifiers of `.ts` files (offline/ and the tests use
 * them) and the `$amplify/*` paths of amplify/tsconfig.json. The second test plants a cycle that needs all of
 * that in a temporary folder, so a check that sees nothing is caught.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { dependencyViolations, writeTree } from '../helpers/dependency-cruise';

/** The folders of the repository's own code. */
const SOURCE_DIRS = ['offline', 'amplify', 'src', 'scripts', 'tests', 'bench', 'e2e'];

/**
 * The distinct import cycles among the files under `dirs` of `baseDir`, each as the list of its files (relative
 * to `baseDir`) starting at the alphabetically first, its first file repeated at the end.
 */
async function importCycles(baseDir: string, dirs: string[], tsConfigFile: string): Promise<string[][]> {
  const violations = await dependencyViolations(baseDir, dirs, tsConfigFile, [{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } }]);
  const cycles = new Map<string, string[]>();
  for (const violation of violations) {
    if (violation.cycle === undefined) continue;
    const files = [violation.from, ...violation.cycle.map((step) => step.name)];
    // `cycle` ends at `from` again; rotate so that each cycle is listed once whichever edge reported it.
    const ring = files.slice(0, -1);
    const first = ring.indexOf([...ring].sort()[0] as string);
    const rotated = [...ring.slice(first), ...ring.slice(0, first)];
    cycles.set(rotated.join(' -> '), [...rotated, rotated[0] as string]);
  }
  return [...cycles.values()];
}

const show = (cycles: string[][]) => cycles.map((cycle) => `  ${cycle.join(' -> ')}`).join('\n');

describe('no import cycles', () => {
  it('finds none among offline/, amplify/, src/, scripts/, tests/, bench/ and e2e/', async () => {
    const cycles = await importCycles(PROJECT_ROOT, SOURCE_DIRS, 'amplify/tsconfig.json');
    expect(cycles, `import cycles:\n${show(cycles)}`).toEqual([]);
  });

  const planted = mkdtempSync(join(tmpdir(), 'import-cycle-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  it('fails on a planted cycle through a .js specifier, a type-only import and a tsconfig path', async () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'es2022', moduleResolution: 'bundler', strict: true, noEmit: true, paths: { '$generated/*': ['./generated/*'] } },
        include: ['**/*'],
      }),
      'code/a.ts': "import { b } from './b.js';\nexport const a = (): number => b + 1;\n",
      'code/b.ts': "import type { C } from '$generated/c';\nexport const b = 1;\nexport type B = C;\n",
      'generated/c.ts': "import { a } from '../code/a.js';\nexport type C = ReturnType<typeof a>;\n",
      'code/leaf.ts': "import { a } from './a.js';\nexport const leaf = a();\n",
    };
    writeTree(planted, files);
    const cycles = await importCycles(planted, ['code', 'generated'], 'tsconfig.json');
    expect(cycles).toEqual([['code/a.ts', 'code/b.ts', 'generated/c.ts', 'code/a.ts']]);
  });
});
