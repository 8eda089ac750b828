/**
 * The RS256 signing key of the emulated user pool: generated once per data directory and kept there (so a
 * token issued before a restart still verifies after it), or generated per process in memory mode.
 *
 * Cognito publishes two RSA keys per pool (one for ID tokens, one for access tokens) at
 * `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`; one key serves both here —
 * verifiers select by `kid` either way.
 */
import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { writeFileAtomic } from '../sandbox/atomic-file.js';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as Cognito lists it: alg, e, kid, kty, n, use. */
  publicJwk: JWK;
}

export const SIGNING_KEY_FILE = 'cognito-signing-key.pem';

/** Loads the key kept in `dataDir`, creating it on first use; a fresh in-memory key without `dataDir`. */
export async function loadOrCreateSigningKey(dataDir?: string): Promise<SigningKey> {
  let privateKey: KeyObject;
  const file = dataDir === undefined ? undefined : join(dataDir, SIGNING_KEY_FILE);
  if (file !== undefined && existsSync(file)) {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } else {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    if (file !== undefined) {
      writeFileAtomic(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
    }
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kid, privateKey, publicKey, publicJwk: { alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' } };
}
