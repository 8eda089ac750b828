/**
 * The sandbox data directory: layout, and `--reset` (empties it, refusing directories that are not a sandbox's).
 * A reset keeps the local CA and the server certificate: browsers and trust stores that trust the CA
 * (`amplify-gen2-offline trust`) keep trusting the sandbox after a reset.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, parse, resolve } from 'node:path';

export const DATA_LAYOUT = {
  dynamodb: 'dynamodb',
  cognito: 'cognito',
  cognitoIdentity: 'cognito-identity',
  s3: 's3',
  lambda: 'lambda',
  caFile: 'ca.pem',
} as const;

/** The certificate files (offline/tls/certificate.ts), kept by a reset. */
const TLS_ENTRIES = new Set(['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem']);
/** Entries a sandbox data directory may hold; anything else means it is not one (refuse to empty it). */
const KNOWN_ENTRIES = new Set<string>([DATA_LAYOUT.dynamodb, DATA_LAYOUT.cognito, DATA_LAYOUT.cognitoIdentity, DATA_LAYOUT.s3, DATA_LAYOUT.lambda, ...TLS_ENTRIES]);

export function resetDataDirectory(directory: string): void {
  const absolute = resolve(directory);
  if (absolute === parse(absolute).root || absolute === homedir() || absolute === process.cwd()) {
    throw new Error(`Refusing to reset ${absolute}: choose a dedicated sandbox data directory`);
  }
  if (!existsSync(absolute)) return;
  const foreign = readdirSync(absolute).filter((entry) => !KNOWN_ENTRIES.has(entry) && !entry.startsWith('.'));
  if (foreign.length > 0) {
    throw new Error(`Refusing to reset ${absolute}: it holds files the sandbox did not create (${foreign.slice(0, 3).join(', ')}…)`);
  }
  for (const entry of readdirSync(absolute)) {
    if (!TLS_ENTRIES.has(entry)) rmSync(join(absolute, entry), { recursive: true, force: true });
  }
}

/** The data directory and the folders the services keep their state in (the local CA sits in `root`). */
export interface DataDirectory {
  root: string;
  dynamodb: string;
  cognito: string;
  /** The identity pool's identities and issued credentials (offline/cognito-identity); created when first used. */
  cognitoIdentity?: string;
  /** The buckets' objects (offline/s3); created when first used. */
  s3?: string;
  lambda: string;
}

export function prepareDataDirectory(directory: string, reset: boolean): DataDirectory {
  const root = resolve(directory);
  if (reset) resetDataDirectory(root);
  const paths = { root, dynamodb: join(root, DATA_LAYOUT.dynamodb), cognito: join(root, DATA_LAYOUT.cognito), lambda: join(root, DATA_LAYOUT.lambda) };
  for (const path of Object.values(paths)) mkdirSync(path, { recursive: true, mode: 0o700 });
  return { ...paths, cognitoIdentity: join(root, DATA_LAYOUT.cognitoIdentity), s3: join(root, DATA_LAYOUT.s3) };
}

/** The folder a service created after the first ones keeps its state in (made on first use, private to the user). */
export function serviceFolder(data: DataDirectory, name: 'cognitoIdentity' | 's3'): string {
  const path = data[name] ?? join(data.root, DATA_LAYOUT[name]);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return path;
}
