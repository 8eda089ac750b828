/**
 * The storage access matrix on the offline sandbox: the chat's attachments bucket (amplify/storage/resource.ts) ×
 * {sender, participant, non-participant, removed member, signed out} × every way to put, get, list and delete a
 * conversation's file, each cell with an explicit expected outcome; then the presigned URLs themselves, forged and
 * expired. Everything goes through real parts: the stock aws-amplify client (uploadData, the Data API), the identity
 * pool's temporary credentials signing raw S3 requests with the AWS SDK's signer (what any other S3 client would send),
 * the sandbox's S3 endpoint evaluating the identity role's policy, and the message processor signing URLs.
 *
 * Cast: Ann (the sender, the group's owner), Bob (a participant), Dan (a participant Ann removes before the matrix
 * runs), Cat (never in the group). Ann's photo is sent to the group; a second upload of hers stays staged (never
 * attached), the target of the "someone else's upload" cells.
 *
 * The rule under test (docs/data-model.md, Attachments): S3 lets an identity write, read, list and delete only its own
 * `uploads/<identity id>/…`; only the message processor writes, reads and deletes `conversations/…`, after checking that
 * the caller is a participant now; readers get short-lived URLs from getAttachmentUrls.
 */
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureAmplify } from '../../src/amplify-config';
import { startTestSandbox, type TestSandbox } from '../offline/helpers';
import { signUpEveryone, signedInAs, stageUpload } from '../offline/stock-client';
import { installFileReader } from '../storage/file-reader';

type User = 'ann' | 'bob' | 'cat' | 'dan';
const ROLES = ['sender', 'participant', 'nonParticipant', 'removed', 'signedOut'] as const;
type Role = (typeof ROLES)[number];
const USER_OF: Record<Exclude<Role, 'signedOut'>, User> = { sender: 'ann', participant: 'bob', nonParticipant: 'cat', removed: 'dan' };
type Outcome = 'ok' | 'denied';

const emails: Record<User, string> = {
  ann: 'ann.storage-matrix@example.com',
  bob: 'bob.storage-matrix@example.com',
  cat: 'cat.storage-matrix@example.com',
  dan: 'dan.storage-matrix@example.com',
};

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
interface Identity {
  identityId: string;
  credentials: Credentials;
}

/** A 3 × 2 PNG (RGBA), the smallest real image the backend's type and dimension checks accept. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEklEQVR4nGP4z8DwHwyBDAYGAFbhB/mZ8ulJAAAAAElFTkSuQmCC',
  'base64',
);

let env: TestSandbox;
let ids: Record<User, string>;
const identities = {} as Record<User, Identity>;
let bucket = '';
let storageEndpoint = '';
let conversationId = '';
let messageId = '';
let conversationPath = '';
let annStagedPath = '';
let participantUrl = '';

const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/** One S3 request to the sandbox's storage endpoint, signed with `credentials` (unsigned when null), path-style. */
async function s3(credentials: Credentials | null, method: string, key: string, query: Record<string, string> = {}, body: Uint8Array | string = ''): Promise<{ status: number; code?: string }> {
  const endpoint = new URL(`https://${storageEndpoint}`);
  const path = `/${bucket}${key ? `/${encodeKey(key)}` : ''}`;
  let headers: Record<string, string> = { host: endpoint.host, 'x-amz-content-sha256': sha(body) };
  if (credentials) {
    const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
    headers = (await signer.sign({ method, protocol: 'https:', hostname: endpoint.hostname, port: Number(endpoint.port), path, query, headers, body })).headers;
  }
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${endpoint.origin}${path}${search ? `?${search}` : ''}`, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, code: /<Code>(\w+)<\/Code>/.exec(text)?.[1] };
}

const s3Outcome = (answer: { status: number }): Outcome => (answer.status >= 200 && answer.status < 300 ? 'ok' : 'denied');

/** The Data client of a role's user, signed in; null for the signed-out role (the client then has no tokens). */
async function clientOf(role: Role) {
  if (role === 'signedOut') {
    await signOut();
    const { generateClient } = await import('aws-amplify/data');
    return generateClient<import('../../amplify/data/resource').Schema>();
  }
  return signedInAs(emails[USER_OF[role]]);
}

const credentialsOf = (role: Role): Credentials | null => (role === 'signedOut' ? null : identities[USER_OF[role]].credentials);
const identityIdOf = (role: Role): string => (role === 'signedOut' ? 'us-east-1:00000000-0000-4000-8000-000000000000' : identities[USER_OF[role]].identityId);

const stage = (name: string, data: Uint8Array, contentType: string, uploader: string) => stageUpload(storageEndpoint, name, data, contentType, uploader);

// ------------------------------------------------------------------------------------------------------------------
// The cells
// ------------------------------------------------------------------------------------------------------------------

interface Cell {
  operation: string;
  /** Per role; a role left out does not apply (Ann's own upload is not "someone else's" for her). */
  expected: Partial<Record<Role, Outcome>>;
  run(role: Role): Promise<Outcome>;
}

const onlyParticipants: Record<Role, Outcome> = { sender: 'ok', participant: 'ok', nonParticipant: 'denied', removed: 'denied', signedOut: 'denied' };
const signedIn: Record<Role, Outcome> = { sender: 'ok', participant: 'ok', nonParticipant: 'ok', removed: 'ok', signedOut: 'denied' };
const nobody: Record<Role, Outcome> = { sender: 'denied', participant: 'denied', nonParticipant: 'denied', removed: 'denied', signedOut: 'denied' };
/** Cells about Ann's staged upload, for everyone but Ann (her own staging folder is the "own" cells). */
const othersThanAnn: Partial<Record<Role, Outcome>> = { participant: 'denied', nonParticipant: 'denied', removed: 'denied', signedOut: 'denied' };

const CELLS: Cell[] = [
  {
    operation: 'upload to own staging folder (uploadData / PutObject)',
    expected: signedIn,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'PUT', `uploads/${identityIdOf(role)}/${crypto.randomUUID()}/own.png`, {}, PNG)),
  },
  {
    operation: "upload into someone else's staging folder",
    expected: othersThanAnn,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'PUT', `uploads/${identities.ann.identityId}/${crypto.randomUUID()}/planted.png`, {}, PNG)),
  },
  {
    operation: 'upload straight into the conversation folder',
    expected: nobody,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'PUT', `conversations/${conversationId}/${crypto.randomUUID()}/planted.png`, {}, PNG)),
  },
  {
    operation: 'attach an own upload to the conversation (sendMessage IMAGE)',
    expected: onlyParticipants,
    run: async (role) => {
      const client = await clientOf(role);
      let uploadPath = `uploads/${identityIdOf(role)}/${crypto.randomUUID()}/photo.png`;
      if (role !== 'signedOut') uploadPath = await stage('photo.png', PNG, 'image/png', ids[USER_OF[role]]);
      const sent = await client.mutations.sendMessage({ input: { conversationId, content: '', messageType: 'IMAGE', uploadPath, fileName: 'photo.png', clientMessageId: crypto.randomUUID() } }).catch(() => ({ data: null, errors: [{}] }));
      return sent.data && !sent.errors?.length ? 'ok' : 'denied';
    },
  },
  {
    operation: "attach someone else's staged upload",
    expected: othersThanAnn,
    run: async (role) => {
      const client = await clientOf(role);
      const sent = await client.mutations
        .sendMessage({ input: { conversationId, content: '', messageType: 'IMAGE', uploadPath: annStagedPath, fileName: 'stolen.png', clientMessageId: crypto.randomUUID() } })
        .catch(() => ({ data: null, errors: [{}] }));
      return sent.data && !sent.errors?.length ? 'ok' : 'denied';
    },
  },
  {
    operation: 'getAttachmentUrls, then fetch the file',
    expected: onlyParticipants,
    run: async (role) => {
      const client = await clientOf(role);
      const answer = await client.queries.getAttachmentUrls({ conversationId, messageIds: [messageId] }).catch(() => ({ data: null, errors: [{}] }));
      const url = answer.data?.[0]?.url;
      if (!url || answer.errors?.length) return 'denied';
      const response = await fetch(url);
      const bytes = Buffer.from(await response.arrayBuffer());
      return response.ok && bytes.equals(PNG) ? 'ok' : 'denied';
    },
  },
  {
    operation: 'GetObject on the conversation file with own credentials',
    expected: nobody,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'GET', conversationPath)),
  },
  {
    operation: "GetObject on someone else's staged upload",
    expected: othersThanAnn,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'GET', annStagedPath)),
  },
  {
    operation: 'ListObjectsV2 of the conversation folder',
    expected: nobody,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'GET', '', { 'list-type': '2', prefix: `conversations/${conversationId}/` })),
  },
  {
    operation: 'ListObjectsV2 of the whole bucket',
    expected: nobody,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'GET', '', { 'list-type': '2' })),
  },
  {
    operation: 'ListObjectsV2 of own staging folder',
    expected: signedIn,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'GET', '', { 'list-type': '2', prefix: `uploads/${identityIdOf(role)}/` })),
  },
  {
    operation: "ListObjectsV2 of someone else's staging folder",
    expected: othersThanAnn,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'GET', '', { 'list-type': '2', prefix: `uploads/${identities.ann.identityId}/` })),
  },
  {
    operation: 'DeleteObject on the conversation file with own credentials',
    expected: nobody,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'DELETE', conversationPath)),
  },
  {
    operation: "DeleteObject on someone else's staged upload",
    expected: othersThanAnn,
    run: async (role) => s3Outcome(await s3(credentialsOf(role), 'DELETE', annStagedPath)),
  },
];

/** removeMessage runs last (it deletes the file): every role but the sender first, then the sender. */
const REMOVE_ORDER: Role[] = ['participant', 'nonParticipant', 'removed', 'signedOut', 'sender'];
const REMOVE_EXPECTED: Record<Role, Outcome> = { ...nobody, sender: 'ok' };

// ------------------------------------------------------------------------------------------------------------------
// The run
// ------------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  installFileReader();
  env = await startTestSandbox();
  configureAmplify(env.outputs as Parameters<typeof configureAmplify>[0]);
  const storage = (env.outputs as { storage?: { bucket_name: string } }).storage;
  const endpoint = (env.outputs.custom as Record<string, unknown>)['storageEndpoint'];
  if (!storage || typeof endpoint !== 'string') throw new Error('the chat sandbox serves no attachments bucket');
  bucket = storage.bucket_name;
  storageEndpoint = endpoint;
  ids = await signUpEveryone(env, emails);
  for (const user of Object.keys(emails) as User[]) {
    await signedInAs(emails[user]);
    const session = await fetchAuthSession();
    if (!session.identityId || !session.credentials) throw new Error(`no identity for ${user}`);
    identities[user] = { identityId: session.identityId, credentials: session.credentials };
  }
  const ann = await signedInAs(emails.ann);
  const created = await ann.mutations.createConversation({ input: { name: 'Storage matrix', participants: [ids.bob, ids.dan], kind: 'GROUP' } });
  conversationId = created.data!.conversationId;
  const staged = await stage('photo.png', PNG, 'image/png', ids.ann);
  const sent = await ann.mutations.sendMessage({ input: { conversationId, content: 'the photo', messageType: 'IMAGE', uploadPath: staged, fileName: 'photo.png', clientMessageId: crypto.randomUUID() } });
  if (!sent.data?.attachment) throw new Error(`the photo was not sent: ${JSON.stringify(sent.errors)}`);
  messageId = sent.data.messageId;
  conversationPath = sent.data.attachment.path;
  annStagedPath = await stage('kept.png', PNG, 'image/png', ids.ann);
  const removed = await ann.mutations.removeMember({ conversationId, userId: ids.dan });
  if (removed.errors?.length) throw new Error(`Dan was not removed: ${JSON.stringify(removed.errors)}`);
  const bob = await signedInAs(emails.bob);
  participantUrl = (await bob.queries.getAttachmentUrls({ conversationId, messageIds: [messageId] })).data![0]!.url;
  if ((await fetch(participantUrl)).status !== 200) throw new Error("Bob's URL does not serve the photo");
}, 120_000);

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('the storage access matrix', () => {
  it('gives every role exactly the access the rule says, on every operation (0 mismatches)', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const cell of CELLS) {
      for (const role of ROLES.filter((r) => cell.expected[r] !== undefined)) {
        const observed = await cell.run(role);
        cells += 1;
        if (observed !== cell.expected[role]) mismatches.push(`${cell.operation} × ${role}: expected ${cell.expected[role]}, observed ${observed}`);
      }
    }
    for (const role of REMOVE_ORDER) {
      const client = await clientOf(role);
      const answer = await client.mutations.removeMessage({ messageId }).catch(() => ({ data: null, errors: [{}] }));
      const observed: Outcome = answer.data && !answer.errors?.length ? 'ok' : 'denied';
      cells += 1;
      if (observed !== REMOVE_EXPECTED[role]) mismatches.push(`removeMessage × ${role}: expected ${REMOVE_EXPECTED[role]}, observed ${observed}`);
    }
    console.log(`storage access matrix: ${cells} cells (${CELLS.length + 1} operations, ${ROLES.length} roles), ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
    expect(cells).toBe(CELLS.reduce((sum, cell) => sum + Object.keys(cell.expected).length, 0) + REMOVE_ORDER.length);
  }, 240_000);

  it('deleted the conversation file with its message: the URL issued before finds nothing', async () => {
    // The message processor signed it and may not list the bucket, so S3 answers 403 naming s3:ListBucket (a signature
    // or expiry failure would name neither).
    const response = await fetch(participantUrl);
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('s3:ListBucket');
  });
});

describe('presigned URLs', () => {
  let url: URL;

  beforeAll(async () => {
    // A fresh file (the matrix removed the first), with its URL as a participant gets it.
    const ann = await signedInAs(emails.ann);
    const staged = await stage('second.png', PNG, 'image/png', ids.ann);
    const sent = await ann.mutations.sendMessage({ input: { conversationId, content: '', messageType: 'IMAGE', uploadPath: staged, fileName: 'second.png', clientMessageId: crypto.randomUUID() } });
    const bob = await signedInAs(emails.bob);
    url = new URL((await bob.queries.getAttachmentUrls({ conversationId, messageIds: [sent.data!.messageId] })).data![0]!.url);
  });

  const tampered = (edit: (copy: URL) => void) => {
    const copy = new URL(url);
    edit(copy);
    return copy.toString();
  };

  it('serves the file as signed', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it.each([
    ['another key', (u: URL) => void (u.pathname = u.pathname.replace(/second\.png$/, 'other.png'))],
    ['a longer expiry', (u: URL) => u.searchParams.set('X-Amz-Expires', '604800')],
    ['a changed signature', (u: URL) => u.searchParams.set('X-Amz-Signature', '0'.repeat(64))],
    ['another content disposition', (u: URL) => u.searchParams.set('response-content-disposition', 'inline')],
  ])('refuses the URL with %s', async (_name, edit) => {
    const response = await fetch(tampered(edit));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/<Code>(SignatureDoesNotMatch|AccessDenied|InvalidToken)<\/Code>/);
  });

  it('refuses an expired URL (signed an hour ago for 15 minutes) with S3\'s "Request has expired"', async () => {
    // Signed by the AWS SDK's presigner with Ann's own identity credentials for her own staged upload, which her role
    // may read: only the signing time differs between the two URLs, so the refusal can only be the expiry.
    const client = new S3Client({ region: 'us-east-1', endpoint: `https://${storageEndpoint}`, forcePathStyle: true, credentials: identities.ann.credentials });
    const command = new GetObjectCommand({ Bucket: bucket, Key: annStagedPath });
    const valid = await getSignedUrl(client, command, { expiresIn: 900 });
    const expired = await getSignedUrl(client, command, { expiresIn: 900, signingDate: new Date(Date.now() - 3600_000) });
    expect((await fetch(valid)).status).toBe(200);
    const response = await fetch(expired);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });
});
