/**
 * The function-code reload builds what a synthesis builds: on a copy of the storage fixture (two functions), a
 * one-line change to a handler is rebuilt by `rebuildFunctionBundles` from the last synthesis's recorded esbuild
 * command, and a synthesis of the same sources is run; the rebuilt bundle has the same asset folder name (CDK's
 * fingerprint of the output) and the same bytes, and the function's template names the same code. A change to a
 * resource.ts or to a file no bundle reads is left to a synthesis. The handler imports Amplify's generated env shim,
 * which a synthesis rewrites after bundling. About 15 s (two synthesis runs of a small backend).
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_INDEX_FILE, rebuildFunctionBundles } from './function-reload.mjs';
import { synthesize } from './synthesize.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
let project: string;
let work: string;
let rebuilt: Awaited<ReturnType<typeof rebuildFunctionBundles>>;

const handler = () => join(project, 'amplify', 'functions', 'bystander', 'handler.ts');
const common = () => ({ projectRoot: project, backend: join(project, 'amplify', 'backend.ts'), name: 'fastreload', quiet: true, bundleCache: join(work, 'bundles') });

/** The files of an asset folder, base64, by name. */
const files = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'base64')]));
/** Every S3 key of a function's code in the assembly's templates. */
function codeKeys(assembly: string): string[] {
  const keys: string[] = [];
  for (const name of readdirSync(assembly).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(assembly, name), 'utf8')) as { Resources?: Record<string, { Type: string; Properties?: { Code?: { S3Key?: string } } }> };
    for (const resource of Object.values(template.Resources ?? {})) {
      if (resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Code?.S3Key) keys.push(resource.Properties.Code.S3Key);
    }
  }
  return keys.sort();
}

beforeAll(async () => {
  // Inside the repository (.scratch/ is ignored by git) so that the backend's packages resolve from its node_modules.
  mkdirSync(join(ROOT, '.scratch'), { recursive: true });
  work = mkdtempSync(join(ROOT, '.scratch', 'function-reload-'));
  project = join(work, 'project');
  cpSync(join(ROOT, 'tests', 'fixtures', 'storage-backend'), project, { recursive: true, filter: (source) => !source.includes('.amplify') });
  // As the chat's functions do: the handler reads its environment through Amplify's generated `$amplify/env/<name>`
  // shim, which the synthesis writes untyped before bundling and typed at its end.
  writeFileSync(join(project, 'amplify', 'tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { '$amplify/*': ['../.amplify/generated/*'] } } }));
  writeFileSync(handler(), `import { env } from '$amplify/env/bystander';\n${readFileSync(handler(), 'utf8')}\nconsole.log(env.AWS_REGION);\n`);
  const first = await synthesize({ ...common(), output: join(work, 'a', 'cdk.out'), force: true });
  expect(first.ok).toBe(true);
  appendFileSync(handler(), "\nconsole.log('bystander edited');\n");
  rebuilt = await rebuildFunctionBundles({ projectRoot: project, backend: join(project, 'amplify', 'backend.ts'), cdkOut: join(work, 'a', 'cdk.out'), output: join(work, 'a', 'cdk.out.next'), changedFiles: [handler()], bundleCache: join(work, 'bundles') });
  const second = await synthesize({ ...common(), output: join(work, 'b', 'cdk.out'), force: true });
  expect(second.ok).toBe(true);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('rebuildFunctionBundles', () => {
  it('indexes every function bundle of a synthesis', () => {
    const index = JSON.parse(readFileSync(join(work, 'a', 'cdk.out', BUNDLE_INDEX_FILE), 'utf8')) as Record<string, { args: string[]; inputs: string[] }>;
    expect(Object.keys(index)).toHaveLength(2);
    expect(Object.values(index).some((bundle) => bundle.inputs.some((input) => input.endsWith('amplify/functions/bystander/handler.ts')))).toBe(true);
  });

  it('rebuilds only the changed function, as the synthesis of the same sources bundles it', () => {
    expect(rebuilt).toMatchObject({ ok: true });
    if (!rebuilt?.ok) return;
    expect(rebuilt.bundles).toHaveLength(1);
    const { from, to } = rebuilt.bundles[0]!;
    expect(to).not.toBe(from);
    const next = join(work, 'a', 'cdk.out.next');
    const synthesized = join(work, 'b', 'cdk.out');
    expect(readdirSync(synthesized)).toContain(to);
    expect(files(join(next, to))).toEqual(files(join(synthesized, to)));
    expect(readFileSync(join(next, to, 'index.mjs'), 'utf8')).toContain('bystander edited');
    // The source map holds the env shim as it was while bundling (untyped), and the typed one is back in place.
    expect(readFileSync(join(next, to, 'index.mjs.map'), 'utf8')).toContain('as any;');
    expect(readFileSync(join(project, '.amplify', 'generated', 'env', 'bystander.ts'), 'utf8')).toContain('AmplifyBackendEnvVars');
    expect(readdirSync(next)).not.toContain(from);
    // Both functions' code, as the templates name it, is what the synthesis names.
    expect(codeKeys(next)).toEqual(codeKeys(synthesized));
    expect(codeKeys(join(work, 'a', 'cdk.out'))).not.toEqual(codeKeys(synthesized));
  });

  it('leaves a change to a resource.ts, or to a file no bundle reads, to a synthesis', async () => {
    const options = { projectRoot: project, backend: join(project, 'amplify', 'backend.ts'), cdkOut: join(work, 'b', 'cdk.out'), output: join(work, 'c', 'cdk.out'), bundleCache: join(work, 'bundles') };
    expect(await rebuildFunctionBundles({ ...options, changedFiles: [join(project, 'amplify', 'functions', 'bystander', 'resource.ts')] })).toBeUndefined();
    writeFileSync(join(project, 'amplify', 'functions', 'bystander', 'notes.ts'), 'export {};\n');
    expect(await rebuildFunctionBundles({ ...options, changedFiles: [join(project, 'amplify', 'functions', 'bystander', 'notes.ts')] })).toBeUndefined();
    expect(await rebuildFunctionBundles({ ...options, changedFiles: [handler(), join(project, 'amplify', 'backend.ts')] })).toBeUndefined();
  });
});
