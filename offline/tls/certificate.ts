/**
 * A local certificate authority plus a `localhost` server certificate for the offline sandbox.
 *
 * Why TLS at all: aws-amplify v6 always dials `wss://<graphql url>/realtime` (it rewrites both
 * `https://` and `http://` to `wss://`), so the real-time endpoint must speak TLS (offline/tls/README.md).
 *
 * Layout inside the data directory (created on first use, reused afterwards):
 *   ca.pem           local CA certificate (trust this: NODE_EXTRA_CA_CERTS=<dir>/ca.pem, or import in a browser)
 *   ca-key.pem       local CA private key (mode 0600; never leaves the machine)
 *   server.pem       server certificate for localhost / 127.0.0.1 / ::1, signed by the CA
 *   server-key.pem   server private key (mode 0600)
 *
 * The CA is kept across server-certificate renewals so a browser user imports it once
 * (offline/tls/README.md has the per-browser steps).
 */
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';

export interface LocalCertificate {
  /** PEM private key of the server certificate. */
  key: string;
  /** PEM server certificate (leaf only; the CA is a root the client must trust). */
  cert: string;
  /** PEM certificate of the local CA that signed `cert`; pass as `ca` to TLS clients. */
  ca: string;
  /** SHA-256 fingerprint of the server certificate, `AA:BB:…` as printed by Node/OpenSSL. */
  fingerprint256: string;
  /** SHA-256 fingerprint of the CA certificate. */
  caFingerprint256: string;
  /** Absolute directory holding the four PEM files. */
  path: string;
  /** Absolute path of `ca.pem` (the value for NODE_EXTRA_CA_CERTS). */
  caPath: string;
  /** Server certificate expiry. */
  validTo: Date;
  /** What this call did: reused both files, issued a new server certificate under the kept CA, or made everything anew. */
  outcome: 'reused' | 'renewed-server' | 'created';
}

export interface CertificateOptions {
  /** Clock, for tests. */
  now?: () => Date;
  /** Server certificate lifetime in days (default 365; macOS refuses TLS server certificates over 825 days). */
  serverValidityDays?: number;
  /** CA lifetime in days (default 3650, like mkcert). */
  caValidityDays?: number;
  /** Renew certificates that expire within this many days (default 7). */
  renewBeforeDays?: number;
}

export const CA_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';
export const SERVER_CERT_FILE = 'server.pem';
export const SERVER_KEY_FILE = 'server-key.pem';

/** Names the server certificate must cover (SAN). `::1` is printed expanded by Node. */
const DNS_NAMES = ['localhost'];
const IP_ADDRESSES = ['127.0.0.1', '::1'];
/**
 * Each install's CA gets a distinct name: certificate stores look issuers up by name, and two local
 * CAs with one name (two checkouts, a reset) would make clients test the wrong key.
 */
function caCommonName(): string {
  return `amplify-gen2-offline local CA ${randomBytes(4).toString('hex')}`;
}
const DAY_MS = 86_400_000;

/** One generation at a time per directory within this process. */
const inFlight = new Map<string, Promise<LocalCertificate>>();

/**
 * Returns the sandbox certificate for `dataDirectory`, creating the CA and server certificate on
 * first use and renewing whatever is expired, near expiry, unreadable or inconsistent.
 */
export function loadOrCreateCertificate(dataDirectory: string, options: CertificateOptions = {}): Promise<LocalCertificate> {
  const directory = resolve(dataDirectory);
  const running = inFlight.get(directory);
  if (running) return running;
  const work = loadOrCreate(directory, options).finally(() => inFlight.delete(directory));
  inFlight.set(directory, work);
  return work;
}

async function loadOrCreate(directory: string, options: CertificateOptions): Promise<LocalCertificate> {
  const now = options.now?.() ?? new Date();
  const renewBeforeMs = (options.renewBeforeDays ?? 7) * DAY_MS;
  await mkdir(directory, { recursive: true, mode: 0o700 });

  let ca = await readPair(directory, CA_FILE, CA_KEY_FILE);
  let outcome: LocalCertificate['outcome'] = 'reused';
  if (!ca || !isUsableCa(ca, now, renewBeforeMs)) {
    ca = await createCa(now, options.caValidityDays ?? 3650);
    await writePair(directory, CA_FILE, CA_KEY_FILE, ca);
    outcome = 'created';
  }

  let server = outcome === 'created' ? undefined : await readPair(directory, SERVER_CERT_FILE, SERVER_KEY_FILE);
  if (!server || !isUsableServer(server, ca, now, renewBeforeMs)) {
    server = await createServer(ca, now, options.serverValidityDays ?? 365);
    await writePair(directory, SERVER_CERT_FILE, SERVER_KEY_FILE, server);
    if (outcome === 'reused') outcome = 'renewed-server';
  }

  const x509 = new X509Certificate(server.cert);
  return {
    key: server.key,
    cert: server.cert,
    ca: ca.cert,
    fingerprint256: x509.fingerprint256,
    caFingerprint256: new X509Certificate(ca.cert).fingerprint256,
    path: directory,
    caPath: join(directory, CA_FILE),
    validTo: new Date(x509.validTo),
    outcome,
  };
}

interface PemPair {
  cert: string;
  key: string;
}

async function readPair(directory: string, certFile: string, keyFile: string): Promise<PemPair | undefined> {
  try {
    const [cert, key] = await Promise.all([
      readFile(join(directory, certFile), 'utf8'),
      readFile(join(directory, keyFile), 'utf8'),
    ]);
    return { cert, key };
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and rename, so a crash never leaves half a PEM behind. */
async function writePair(directory: string, certFile: string, keyFile: string, pair: PemPair): Promise<void> {
  await writeAtomically(join(directory, keyFile), pair.key, 0o600);
  await writeAtomically(join(directory, certFile), pair.cert, 0o644);
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode); // the umask may have narrowed or (for 0644) left wider bits
  await rename(temporary, file);
}

function parse(pair: PemPair): X509Certificate | undefined {
  try {
    const x509 = new X509Certificate(pair.cert);
    return x509.checkPrivateKey(createPrivateKey(pair.key)) ? x509 : undefined;
  } catch {
    return undefined;
  }
}

function isCurrent(x509: X509Certificate, now: Date, renewBeforeMs: number): boolean {
  return new Date(x509.validFrom).getTime() <= now.getTime() && new Date(x509.validTo).getTime() - renewBeforeMs > now.getTime();
}

function isUsableCa(pair: PemPair, now: Date, renewBeforeMs: number): boolean {
  const x509 = parse(pair);
  return x509 !== undefined && x509.ca && isCurrent(x509, now, renewBeforeMs);
}

function isUsableServer(pair: PemPair, ca: PemPair, now: Date, renewBeforeMs: number): boolean {
  const x509 = parse(pair);
  if (!x509 || !isCurrent(x509, now, renewBeforeMs)) return false;
  const issuer = new X509Certificate(ca.cert);
  if (!x509.checkIssued(issuer) || !x509.verify(issuer.publicKey)) return false;
  return DNS_NAMES.every((name) => x509.checkHost(name) !== undefined) && IP_ADDRESSES.every((ip) => x509.checkIP(ip) !== undefined);
}

function validity(now: Date, days: number): { notBeforeDate: Date; notAfterDate: Date } {
  // Back-date one hour so a slightly skewed clock (VM, container) does not see "not yet valid".
  return { notBeforeDate: new Date(now.getTime() - 3_600_000), notAfterDate: new Date(now.getTime() + days * DAY_MS) };
}

async function createCa(now: Date, days: number): Promise<PemPair> {
  const result = await generate(
    [
      { name: 'commonName', value: caCommonName() },
      { name: 'organizationName', value: 'amplify-gen2-offline' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      ...validity(now, days),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    },
  );
  return { cert: result.cert, key: result.private };
}

async function createServer(ca: PemPair, now: Date, days: number): Promise<PemPair> {
  const result = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ...validity(now, days),
    ca: { cert: ca.cert, key: ca.key },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...DNS_NAMES.map((value) => ({ type: 2 as const, value })),
          ...IP_ADDRESSES.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { cert: result.cert, key: result.private };
}
