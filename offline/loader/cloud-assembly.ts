/**
 * Reading a CDK cloud assembly (`cdk.out`): `manifest.json` names the stacks and their template files; every
 * `*.assets.json` asset manifest maps the S3 object keys that templates reference (`TemplateURL`, `Code.S3Key`,
 * `*S3Location`) back to the files and directories in the assembly that would have been uploaded.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A raw CloudFormation template (JSON), before intrinsic evaluation. */
export interface CfnTemplate {
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value?: unknown }>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  Metadata?: Record<string, unknown>;
}

/** One file asset of an asset manifest, located on disk. */
export interface AssemblyAsset {
  /** S3 object key the templates reference (e.g. `<hash>.vtl`, `<hash>.zip`). */
  objectKey: string;
  /** Absolute path of the file or directory in cdk.out. */
  path: string;
  /** `zip`: a directory that CDK zips on upload; `file`: uploaded as is. */
  packaging: 'file' | 'zip';
  isDirectory: boolean;
  displayName?: string;
}

interface AssetManifest {
  files?: Record<
    string,
    {
      displayName?: string;
      source?: { path?: string; packaging?: string };
      destinations?: Record<string, { objectKey?: string; bucketName?: string }>;
    }
  >;
}

interface AssemblyManifest {
  artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; stackName?: string } }>;
}

const RUN_SYNTH = 'Run `npx amplify-gen2-offline synth` to synthesize the backend first.';

export class CloudAssembly {
  readonly directory: string;
  readonly rootStack: { stackName: string; templateFile: string };
  private readonly assetsByKey: Map<string, AssemblyAsset>;

  private constructor(
    directory: string,
    rootStack: { stackName: string; templateFile: string },
    assets: AssemblyAsset[],
  ) {
    this.directory = directory;
    this.rootStack = rootStack;
    this.assetsByKey = new Map(assets.map((asset) => [asset.objectKey, asset]));
  }

  /** Open an assembly; errors tell the user to synthesize when something is missing. */
  static open(directory: string): CloudAssembly {
    const manifestFile = join(directory, 'manifest.json');
    if (!existsSync(directory)) throw new Error(`No cloud assembly at ${directory}. ${RUN_SYNTH}`);
    if (!existsSync(manifestFile))
      throw new Error(`${manifestFile} is missing (incomplete cloud assembly). ${RUN_SYNTH}`);
    const manifest = readJson<AssemblyManifest>(manifestFile);
    const rootStack = pickRootStack(manifest, manifestFile);
    if (!existsSync(join(directory, rootStack.templateFile))) {
      throw new Error(`Template ${rootStack.templateFile} named by ${manifestFile} is missing. ${RUN_SYNTH}`);
    }
    const manifests = readdirSync(directory)
      .filter((name) => name.endsWith('.assets.json'))
      .sort();
    if (manifests.length === 0) throw new Error(`No *.assets.json asset manifest in ${directory}. ${RUN_SYNTH}`);
    const assets = manifests.flatMap((name) => readAssetManifest(directory, name));
    return new CloudAssembly(directory, rootStack, assets);
  }

  /** Read a template; `templateFile` is relative to the assembly or absolute. */
  readTemplate(templateFile: string): CfnTemplate {
    const file = resolve(this.directory, templateFile);
    if (!existsSync(file)) throw new Error(`Template ${file} is missing. ${RUN_SYNTH}`);
    return readJson<CfnTemplate>(file);
  }

  assetByObjectKey(objectKey: string): AssemblyAsset | undefined {
    return this.assetsByKey.get(objectKey);
  }

  /**
   * The asset an S3 URL points at: `s3://bucket/key`, or the `https://s3.<region>.<suffix>/<bucket>/<key>` form of
   * nested-stack `TemplateURL`s (path-style) or `https://<bucket>.s3…/<key>` (virtual-hosted). Tries the whole path,
   * then the path without its first segment (the bucket).
   */
  assetByUrl(url: string): AssemblyAsset | undefined {
    const match = /^(?:s3|https?):\/\/[^/]+\/(.+)$/.exec(url);
    if (!match?.[1]) return undefined;
    const path = match[1];
    const withoutBucket = path.includes('/') ? path.slice(path.indexOf('/') + 1) : undefined;
    return (
      this.assetByObjectKey(path) ?? (withoutBucket !== undefined ? this.assetByObjectKey(withoutBucket) : undefined)
    );
  }

  allAssets(): AssemblyAsset[] {
    return [...this.assetsByKey.values()];
  }
}

function pickRootStack(manifest: AssemblyManifest, manifestFile: string): { stackName: string; templateFile: string } {
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map(([id, artifact]) => ({
      stackName: artifact.properties?.stackName ?? id,
      templateFile: artifact.properties?.templateFile ?? '',
    }));
  // A Gen 2 backend synthesizes exactly one top-level stack (`amplify-<app>-<branch|sandbox>-<hash>`); everything else
  // is nested in it. Prefer that one if some other tool added more stacks.
  const amplifyStacks = stacks.filter((stack) => stack.stackName.startsWith('amplify-'));
  const candidates = amplifyStacks.length > 0 ? amplifyStacks : stacks;
  const [only, ...others] = candidates;
  if (!only) throw new Error(`${manifestFile} lists no CloudFormation stack. ${RUN_SYNTH}`);
  if (others.length > 0) {
    throw new Error(
      `${manifestFile} lists several top-level stacks (${candidates.map((s) => s.stackName).join(', ')}); ` +
        'expected the single root stack of an Amplify Gen 2 backend',
    );
  }
  return only;
}

function readAssetManifest(directory: string, manifestName: string): AssemblyAsset[] {
  const manifest = readJson<AssetManifest>(join(directory, manifestName));
  const assets: AssemblyAsset[] = [];
  for (const entry of Object.values(manifest.files ?? {})) {
    const sourcePath = entry.source?.path;
    if (!sourcePath) continue;
    const path = join(directory, sourcePath);
    const isDirectory = existsSync(path) && statSync(path).isDirectory();
    for (const destination of Object.values(entry.destinations ?? {})) {
      if (!destination.objectKey) continue;
      assets.push({
        objectKey: destination.objectKey,
        path,
        packaging: entry.source?.packaging === 'zip' ? 'zip' : 'file',
        isDirectory,
        displayName: entry.displayName,
      });
    }
  }
  return assets;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}. ${RUN_SYNTH}`, {
      cause: error,
    });
  }
}
