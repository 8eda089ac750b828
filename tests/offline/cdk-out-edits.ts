/**
 * Copies of the synthesized cloud assembly with the kinds of change an edit of `amplify/` makes — a schema field,
 * a resolver's code, a function's bundle, a table's key — for the reload tests. Assets are content-addressed, so
 * a changed bundle gets a new directory, as a real synthesis gives it. The copies themselves (and edits of a
 * function's environment) come from scripts/lib/cdk-out-copy.mjs.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function rewrite(path: string, edit: (text: string) => string): void {
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(path, after);
}

function assetFiles(cdkOut: string, suffix: string): string[] {
  return readdirSync(cdkOut)
    .filter((name) => name.startsWith('asset.') && name.endsWith(suffix))
    .map((name) => join(cdkOut, name));
}

/** Adds `Query.<field>: String` (no resolver: AppSync answers null). */
export function addQueryField(cdkOut: string, field: string, directives = '@aws_cognito_user_pools'): void {
  const [schema] = assetFiles(cdkOut, '.graphql');
  if (!schema) throw new Error('no schema asset');
  // With its own auth directive (default: user pools), as the transformer writes every field: a field without one
  // takes the type's directive, as in AppSync (the synthesized schema declares `type Query @aws_iam`).
  rewrite(schema, (text) => text.replace(/type Query\s*(@[^{]*)?\{/, (open) => `${open}\n  ${field}: String ${directives}`));
}

/** Rewrites the APPSYNC_JS resolver file that contains `marker`. */
export function editResolverCode(cdkOut: string, marker: string, edit: (code: string) => string): void {
  const files = assetFiles(cdkOut, '.js').filter((path) => readFileSync(path, 'utf8').includes(marker));
  if (files.length !== 1) throw new Error(`expected one resolver containing ${marker}, found ${files.length}`);
  rewrite(files[0]!, edit);
}

/**
 * Gives the function bundle of the asset named `displayName` (e.g. `data/message-processor-lambda/Code`) a new
 * directory whose `index.mjs` runs `prelude` (with `event` in scope) before the original handler.
 */
export function wrapFunctionBundle(cdkOut: string, displayName: string, prelude: string): void {
  for (const manifestName of readdirSync(cdkOut).filter((name) => name.endsWith('.assets.json'))) {
    const manifestPath = join(cdkOut, manifestName);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Record<string, { displayName?: string; source: { path: string } }> };
    const asset = Object.values(manifest.files).find((file) => file.displayName === displayName);
    if (!asset) continue;
    const directory = join(cdkOut, asset.source.path);
    renameSync(join(directory, 'index.mjs'), join(directory, 'original.mjs'));
    writeFileSync(
      join(directory, 'index.mjs'),
      `import * as original from './original.mjs';\nexport const handler = async (event, context) => {\n${prelude}\n  return original.handler(event, context);\n};\n`,
    );
    const renamed = `${asset.source.path}-edited`;
    renameSync(directory, join(cdkOut, renamed));
    asset.source.path = renamed;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
    return;
  }
  throw new Error(`no asset named ${displayName}`);
}

/** Makes the partition key of the `Custom::AmplifyDynamoDBTable` `logicalId` a different attribute (a key change). */
export function changeTablePartitionKey(cdkOut: string, logicalId: string, attribute: string): void {
  for (const name of readdirSync(cdkOut).filter((n) => n.endsWith('.template.json'))) {
    const path = join(cdkOut, name);
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const table = template.Resources?.[logicalId];
    if (table?.Type !== 'Custom::AmplifyDynamoDBTable') continue;
    table.Properties['keySchema'] = [{ attributeName: attribute, keyType: 'HASH' }];
    const definitions = table.Properties['attributeDefinitions'] as { attributeName: string; attributeType: string }[];
    definitions.push({ attributeName: attribute, attributeType: 'S' });
    writeFileSync(path, JSON.stringify(template, null, 1));
    return;
  }
  throw new Error(`no table ${logicalId}`);
}
