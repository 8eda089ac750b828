/**
 * The model introspection schema (`amplify_outputs.json` → `data.model_introspection`). Amplify generates it at synth
 * time and ships it with a CDK `BucketDeployment` (`Custom::CDKBucketDeployment`, `SourceObjectKeys` → a zipped
 * directory asset `asset.<hash>/modelIntrospectionSchema.json`). Lambdas with data access read it from S3 at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { property, resourcesOfType, stringList, type LoaderContext } from './resource-properties';

export const MODEL_INTROSPECTION_FILE = 'modelIntrospectionSchema.json';

/** Parsed JSON, or `null` when the backend has no model introspection (no defineData models). */
export function readModelIntrospection(context: LoaderContext): unknown {
  const containsSchema = (directory: string): boolean => existsSync(join(directory, MODEL_INTROSPECTION_FILE));

  const deployed = resourcesOfType(context, 'Custom::CDKBucketDeployment').flatMap((deployment) =>
    stringList(property(deployment, 'SourceObjectKeys'), deployment, ['SourceObjectKeys'])
      .map((key) => context.assembly.assetByObjectKey(key))
      .filter((asset) => asset?.isDirectory === true && containsSchema(asset.path))
      .map((asset) => asset?.path ?? ''),
  );
  const anywhere = context.assembly
    .allAssets()
    .filter((asset) => asset.isDirectory && containsSchema(asset.path))
    .map((asset) => asset.path);

  const candidates = [...new Set(deployed.length > 0 ? deployed : anywhere)];
  if (candidates.length === 0) return null;
  if (candidates.length > 1) {
    throw new Error(
      `Several ${MODEL_INTROSPECTION_FILE} assets in ${context.assembly.directory}: ${candidates.join(', ')}`,
    );
  }
  const file = join(candidates[0] ?? '', MODEL_INTROSPECTION_FILE);
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}
