/**
 * Opaque pagination tokens. AppSync never exposes DynamoDB's LastEvaluatedKey: its nextToken is a
 * base64 JSON envelope around an encrypted blob (tokens seen in the wild start `eyJ2ZXJzaW9uIj…`,
 * i.e. `{"version"…`), and a token that was altered or issued for another query fails with
 * `DynamoDB:UserIllegalArgumentException` "…InvalidPaginationTokenException: Invalid pagination token
 * given." Here the LastEvaluatedKey is sealed with AES-256-GCM, authenticated together with the
 * table, index and operation it belongs to, so a tampered or foreign token is rejected the same way
 * (never a JSON parse crash, never a key leak).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { invalidPaginationTokenError } from '../../errors.js';
import { isRecord } from './request.js';
import { toAttributeMap, type TypedMap } from './values.js';

export interface PaginationScope {
  operation: 'Query' | 'Scan';
  table: string;
  index?: string;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The wire form of a key inside the sealed blob: DynamoDB JSON with binary as base64. */
function toWire(key: Record<string, AttributeValue>): unknown {
  return JSON.parse(JSON.stringify(key, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)));
}

export class PaginationTokens {
  readonly #secret: Buffer;

  /** @param secret 32 bytes; random per process by default, so tokens do not outlive the sandbox process. */
  constructor(secret: Buffer = randomBytes(32)) {
    if (secret.length !== 32) throw new Error('The pagination token secret must be 32 bytes.');
    this.#secret = secret;
  }

  encode(lastEvaluatedKey: Record<string, AttributeValue>, scope: PaginationScope): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#secret, iv);
    cipher.setAAD(Buffer.from(JSON.stringify([scope.operation, scope.table, scope.index ?? null])));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(toWire(lastEvaluatedKey)), 'utf8'), cipher.final()]);
    const token = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    return Buffer.from(JSON.stringify({ version: VERSION, token })).toString('base64');
  }

  decode(nextToken: string, scope: PaginationScope): TypedMap {
    try {
      const envelope: unknown = JSON.parse(Buffer.from(nextToken, 'base64').toString('utf8'));
      if (!isRecord(envelope) || envelope.version !== VERSION || typeof envelope.token !== 'string') throw new Error('envelope');
      const raw = Buffer.from(envelope.token, 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) throw new Error('short');
      const decipher = createDecipheriv('aes-256-gcm', this.#secret, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(JSON.stringify([scope.operation, scope.table, scope.index ?? null])));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      return toAttributeMap(JSON.parse(plain), 'nextToken');
    } catch {
      throw invalidPaginationTokenError();
    }
  }
}

/** Shared by every data source of this process unless a caller passes its own. */
export const processPaginationTokens = new PaginationTokens();
