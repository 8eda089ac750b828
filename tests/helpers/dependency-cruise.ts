/**
 * Runs dependency-cruiser over `dirs` of `baseDir` with one set of forbidden-dependency rules and returns the
 * violations: imports resolved as TypeScript resolves them (`.js` specifiers of `.ts` files, type-only imports, the
 * `paths` of `tsConfigFile`), .amplify left out, and node_modules too unless `packages` is set (then npm packages
 * appear as the files they resolve to, and are not followed). The repository checks in tests/repo use it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

export async function dependencyViolations(
  baseDir: string,
  dirs: string[],
  tsConfigFile: string,
  forbidden: IForbiddenRuleType[],
  /** Keep imports of npm packages (as `node_modules/<package>/…`, not followed further) for rules about them. */
  options: { packages?: boolean } = {},
): Promise<IViolation[]> {
  const tsConfig = join(baseDir, tsConfigFile);
  const previousCwd = process.cwd();
  // dependency-cruiser resolves the names it is given, and reports files, relative to the working directory.
  process.chdir(baseDir);
  try {
    const { output } = await cruise(
      dirs,
      {
        baseDir,
        // Type-only imports count: they tie the modules together as much for a reader and for tsc.
        tsPreCompilationDeps: true,
        tsConfig: { fileName: tsConfig },
        doNotFollow: { path: 'node_modules' },
        exclude: { path: options.packages ? ['(^|/)\\.amplify/'] : ['(^|/)node_modules/', '(^|/)\\.amplify/'] },
        enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'import', 'node', 'default'] },
        ruleSet: { forbidden },
        validate: true,
      },
      // A fresh resolver per call: callers resolve with different tsconfig files.
      { bustTheCache: true },
      { tsConfig: extractTSConfig(tsConfig) },
    );
    return (output as ICruiseResult).summary.violations.filter((violation) => forbidden.some((rule) => rule.name === violation.rule.name));
  } finally {
    process.chdir(previousCwd);
  }
}

/** Writes `files` (path relative to `root` → text) under `root`: the small trees the repository checks plant their cases in. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}
