/**
 * Typed access to evaluated resource properties, plus the shared loader context. Every getter reports a wrong shape as
 * an error naming the stack, logical id and property.
 */
import { readFileSync } from 'node:fs';
import type { CloudAssembly } from './cloud-assembly';
import type { LoadedStack, StackResource } from './stack-tree';
import type { BackendDescription } from './types';

/** What the readers share while building one BackendDescription. */
export interface LoaderContext {
  assembly: CloudAssembly;
  root: LoadedStack;
  /** All resources of all stacks (conditions applied), in template order. */
  resources: StackResource[];
  unsupported: BackendDescription['unsupported'];
}

export function resourcesOfType(context: LoaderContext, ...types: string[]): StackResource[] {
  return context.resources.filter((resource) => types.includes(resource.type));
}

export function flagUnsupported(context: LoaderContext, resource: StackResource, reason: string): void {
  context.unsupported.push({
    logicalId: resource.logicalId,
    type: resource.type,
    reason: `${reason} (stack ${resource.stack.stackName})`,
  });
}

/** Comparator by a string key, independent of the locale (deterministic output everywhere). */
export function byKey<T>(keyOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const [x, y] = [keyOf(a), keyOf(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(resource: StackResource, path: string[], reason: string): never {
  resource.stack.fail(['Resources', resource.logicalId, 'Properties', ...path], reason);
}

export function property(resource: StackResource, name: string): unknown {
  return resource.stack.property(resource.logicalId, name);
}

/** A string-valued property; numbers and booleans are stringified (CloudFormation accepts both). */
export function stringProperty(resource: StackResource, name: string): string | undefined {
  return asString(property(resource, name), resource, [name]);
}

export function requiredString(resource: StackResource, name: string): string {
  const value = stringProperty(resource, name);
  if (value === undefined) fail(resource, [name], `required property ${name} is missing`);
  return value;
}

export function numberProperty(resource: StackResource, name: string): number | undefined {
  return asNumber(property(resource, name), resource, [name]);
}

export function booleanProperty(resource: StackResource, name: string): boolean | undefined {
  return asBoolean(property(resource, name), resource, [name]);
}

export function listProperty(resource: StackResource, name: string): unknown[] {
  const value = property(resource, name);
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(resource, [name], `${name} must be a list`);
  return value;
}

export function recordProperty(resource: StackResource, name: string): Record<string, unknown> | undefined {
  const value = property(resource, name);
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail(resource, [name], `${name} must be an object`);
  return value;
}

export function asString(value: unknown, resource: StackResource, path: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  fail(resource, path, `${path.join('.')} must be a string, got ${JSON.stringify(value)}`);
}

export function asNumber(value: unknown, resource: StackResource, path: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number)) fail(resource, path, `${path.join('.')} must be a number`);
  return number;
}

export function asBoolean(value: unknown, resource: StackResource, path: string[]): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  fail(resource, path, `${path.join('.')} must be a boolean`);
}

export function stringList(value: unknown, resource: StackResource, path: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(resource, path, `${path.join('.')} must be a list`);
  return value.map((item, index) => asString(item, resource, [...path, String(index)]) ?? '');
}

/** Tags as a map: CloudFormation uses `[{Key, Value}]` for most types and a plain map for some (Cognito pools). */
export function tagsOf(resource: StackResource, name = 'Tags'): Record<string, string> {
  const value = property(resource, name);
  const tags: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const tag of value) {
      if (isRecord(tag) && typeof tag['Key'] === 'string') tags[tag['Key']] = String(tag['Value']);
    }
  } else if (isRecord(value)) {
    for (const [key, tagValue] of Object.entries(value)) tags[key] = String(tagValue);
  }
  return tags;
}

/**
 * Text of the asset an `*S3Location` property points at (`s3://cdk-…-assets-<account>-<region>/<hash>.vtl`); the
 * asset manifests map the object key to `asset.<hash>.vtl` in the assembly. `undefined` when the property is absent.
 */
export function assetTextProperty(context: LoaderContext, resource: StackResource, name: string): string | undefined {
  const location = stringProperty(resource, name);
  if (location === undefined) return undefined;
  const asset = context.assembly.assetByUrl(location);
  if (!asset) fail(resource, [name], `${location} is not an asset of the cloud assembly`);
  if (asset.isDirectory) fail(resource, [name], `${location} is a directory asset, expected a file`);
  return readFileSync(asset.path, 'utf8');
}
