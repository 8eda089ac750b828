/**
 * The server side of Cognito's SRP-6a variant (USER_SRP_AUTH → PASSWORD_VERIFIER), on native BigInt.
 *
 * Mirrors what aws-amplify 6 computes on the client (`@aws-amplify/auth/dist/esm/providers/cognito/utils/srp`):
 * - group: the 3072-bit MODP prime of RFC 5054 / RFC 3526, g = 2, k = H(pad(N) ‖ pad(g));
 * - H = SHA-256 over *bytes*; "pad" is Java's BigInteger.toByteArray() hex (even length, a leading 00 when the
 *   top bit is set) — `getPaddedHex`;
 * - x = H(pad(salt) ‖ H(poolName ‖ username ‖ ":" ‖ password)) where poolName is the pool id after '_' and
 *   username is the *internal* username (USER_ID_FOR_SRP, the sub with e-mail sign-in); v = g^x;
 * - u = H(pad(A) ‖ pad(B)); client S = (B − k·g^x)^(a + u·x), server S = (A · v^u)^b;
 * - key = HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key", 16 bytes);
 * - PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName ‖ username ‖ secretBlock ‖ timestamp)),
 *   timestamp like "Tue Jan 6 09:05:07 UTC 2026" (`getNowString`, day not padded).
 */
import { createDiffieHellman, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual, type DiffieHellman } from 'node:crypto';

export const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1' +
    '29024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245' +
    'E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D' +
    'C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D' +
    '670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9' +
    'DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64' +
    'ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B' +
    'F12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31' +
    '43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;

/** Java `BigInteger.toByteArray()` as hex, for non-negative values (Amplify's `getPaddedHex`). */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('padHex: negative value');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return hex;
}

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const hashHex = (hex: string): bigint => BigInt(`0x${sha256(Buffer.from(hex, 'hex')).toString('hex')}`);

export const k = hashHex(padHex(N) + padHex(g));

const toBytes = (value: bigint): Buffer => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
};

/** One OpenSSL Diffie-Hellman context over N (calls are synchronous, so it can be shared). */
let groupN: DiffieHellman | undefined;

/**
 * base^exponent mod modulus. Modulo N it uses OpenSSL through Diffie-Hellman (`computeSecret(base)` with
 * `exponent` as the private key is exactly base^exponent mod N), about 6× faster than BigInt square-and-multiply —
 * every SRP sign-in does three of these. Bases OpenSSL would refuse as a peer key (≤ 1, ≥ N − 1) and other moduli
 * take the BigInt path; `srp.test.ts` checks both agree.
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const reduced = ((base % modulus) + modulus) % modulus;
  if (modulus === N && exponent > 0n && reduced > 1n && reduced < N - 1n) {
    groupN ??= createDiffieHellman(toBytes(N), toBytes(g));
    groupN.setPrivateKey(toBytes(exponent));
    return BigInt(`0x${groupN.computeSecret(toBytes(reduced)).toString('hex')}`);
  }
  return modPowBigInt(reduced, exponent, modulus);
}

/** base^exponent mod modulus by square-and-multiply. */
export function modPowBigInt(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const randomBigInt = (bytes: number): bigint => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

/** x = H(pad(salt) ‖ H(poolName ‖ username ‖ ":" ‖ password)). */
function privateKey(poolName: string, username: string, password: string, saltHex: string): bigint {
  const inner = sha256(Buffer.from(`${poolName}${username}:${password}`, 'utf8')).toString('hex');
  return hashHex(padHex(BigInt(`0x${saltHex}`)) + inner);
}

export interface SrpVerifier {
  /** Hex salt as Cognito sends it in SALT. */
  salt: string;
  /** Hex v = g^x mod N. */
  verifier: string;
}

/** The salt and verifier stored instead of a password (computed once, when the password is set). */
export function createVerifier(poolName: string, username: string, password: string, saltHex?: string): SrpVerifier {
  const salt = saltHex ?? randomBytes(16).toString('hex');
  const x = privateKey(poolName, username, password, salt);
  return { salt, verifier: modPow(g, x, N).toString(16) };
}

/**
 * Whether `password` matches a stored verifier — used for flows that send the password itself
 * (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ChangePassword). Constant-time comparison.
 */
export function passwordMatches(poolName: string, username: string, password: string, stored: SrpVerifier): boolean {
  const candidate = Buffer.from(padHex(BigInt(`0x${createVerifier(poolName, username, password, stored.salt).verifier}`)), 'hex');
  const expected = Buffer.from(padHex(BigInt(`0x${stored.verifier}`)), 'hex');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

export interface ServerEphemeral {
  /** Secret b, hex. */
  b: string;
  /** Public B = k·v + g^b mod N, hex (SRP_B). */
  B: string;
}

/** A fresh server ephemeral for verifier v. */
export function createServerEphemeral(verifierHex: string): ServerEphemeral {
  const v = BigInt(`0x${verifierHex}`);
  for (;;) {
    const b = randomBigInt(128);
    const B = (k * v + modPow(g, b, N)) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/**
 * Parses the client's SRP_A (unpadded hex); undefined if it is not hex or A ≡ 0 (mod N): a server must refuse
 * such an A, since it makes the session key predictable without the password (RFC 5054, section 2.5.4:
 * https://www.rfc-editor.org/rfc/rfc5054#section-2.5.4).
 */
export function parseClientPublic(srpA: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,1024}$/.test(srpA)) return undefined;
  const A = BigInt(`0x${srpA}`);
  return A % N === 0n ? undefined : A;
}

/** The 16-byte session key both sides derive. */
export function serverSessionKey(A: bigint, eph: ServerEphemeral, verifierHex: string): Buffer {
  const B = BigInt(`0x${eph.B}`);
  const b = BigInt(`0x${eph.b}`);
  const v = BigInt(`0x${verifierHex}`);
  const u = hashHex(padHex(A) + padHex(B));
  if (u === 0n) throw new Error('SRP: u is zero');
  const S = modPow((A * modPow(v, u, N)) % N, b, N);
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), Buffer.from('Caldera Derived Key', 'utf8'), 16),
  );
}

/** base64(HMAC-SHA256(key, poolName ‖ username ‖ secretBlock ‖ timestamp)). */
export function claimSignature(key: Buffer, poolName: string, username: string, secretBlock: Buffer, timestamp: string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.from(poolName, 'utf8'))
    .update(Buffer.from(username, 'utf8'))
    .update(secretBlock)
    .update(Buffer.from(timestamp, 'utf8'))
    .digest();
}

/** Constant-time check of the client's PASSWORD_CLAIM_SIGNATURE (base64). */
export function signatureMatches(expected: Buffer, claimedBase64: string): boolean {
  const claimed = Buffer.from(claimedBase64, 'base64');
  return claimed.length === expected.length && timingSafeEqual(claimed, expected);
}

/** Cognito's TIMESTAMP format, "ddd MMM D HH:mm:ss UTC YYYY" (day of month not zero-padded). */
export const SRP_TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d UTC \d{4}$/;

/** Formats `date` the way the client does (used by the test client). */
export function srpTimestamp(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * The client half, for scripts and tests that need tokens without aws-amplify (Node only). Same math as
 * Amplify's AuthenticationHelper.
 */
export function createClientEphemeral(): { a: bigint; A: bigint } {
  for (;;) {
    const a = randomBigInt(128);
    const A = modPow(g, a, N);
    if (A % N !== 0n) return { a, A };
  }
}

export function clientSessionKey(opts: {
  poolName: string;
  username: string;
  password: string;
  a: bigint;
  A: bigint;
  srpB: string;
  salt: string;
}): Buffer {
  const B = BigInt(`0x${opts.srpB}`);
  if (B % N === 0n) throw new Error('SRP: B is zero');
  const u = hashHex(padHex(opts.A) + padHex(B));
  const x = privateKey(opts.poolName, opts.username, opts.password, opts.salt);
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, opts.a + u * x, N);
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), Buffer.from('Caldera Derived Key', 'utf8'), 16),
  );
}
