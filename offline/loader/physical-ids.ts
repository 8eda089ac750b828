/**
 * Deterministic fake physical ids. CloudFormation and the services pick random ids at deploy time; offline they are
 * derived from a SHA-256 of (kind, stack name, logical id), so the same cdk.out always yields the same ids, table names
 * and ARNs (persisted local data is keyed by table names, so this matters).
 */
import { createHash } from 'node:crypto';

export const FAKE_REGION = 'us-east-1';
export const FAKE_ACCOUNT_ID = '123456789012';
export const FAKE_PARTITION = 'aws';
export const FAKE_URL_SUFFIX = 'amazonaws.com';

export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const HEX = '0123456789abcdef';

/** `length` characters of `alphabet`, derived from the parts (SHA-256, re-hashed with a counter when more is needed). */
export function stableToken(alphabet: string, length: number, ...parts: string[]): string {
  let out = '';
  for (let round = 0; out.length < length; round += 1) {
    const digest = createHash('sha256')
      .update([String(round), ...parts].join('\u0000'))
      .digest();
    for (const byte of digest) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** A version-4-shaped UUID derived from the parts. */
export function stableUuid(...parts: string[]): string {
  const hex = stableToken(HEX, 32, 'uuid', ...parts);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The name CloudFormation generates for a resource without an explicit name: `<stack>-<logicalId>` (CloudFormation adds
 * a random suffix; we don't). When longer than the service limit, both parts are shortened, as CloudFormation does, and
 * an 8-character hash of the full name keeps it unique and stable: `<stack prefix>-<logicalId prefix>-<hash>`.
 */
export function generatedName(stackName: string, logicalId: string, maxLength = 64, lowerCase = false): string {
  const full = `${stackName}-${logicalId}`;
  let name = full;
  if (full.length > maxLength) {
    const budget = maxLength - 10; // two dashes + 8-character hash
    const idLength = Math.min(logicalId.length, Math.floor(budget / 2));
    name = `${stackName.slice(0, budget - idLength)}-${logicalId.slice(0, idLength)}-${stableToken(LOWER_ALNUM, 8, full)}`;
  }
  return lowerCase ? name.toLowerCase() : name;
}

export function arn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:${FAKE_PARTITION}:${service}:${region}:${accountId}:${resource}`;
}
