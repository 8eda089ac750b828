/**
 * People of the sandbox's pool driven through the stock aws-amplify v6 client, as the web app drives the backend:
 * signed up and confirmed with the code the pool sent, then signed in one at a time (the client holds one session),
 * and the conversation events a subscription receives, recorded.
 */
import { confirmSignUp, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import { uploadData } from 'aws-amplify/storage';
import type { Schema } from '../../amplify/data/resource';
import type { TestSandbox } from './helpers';

export const PASSWORD = 'Correct-Horse-9';

export type ConversationEvent = Schema['ConversationEvent']['type'];

/**
 * Signs each person up and confirms them (preferred_username: their key in capitals), and answers their user ids.
 * Leaves the client signed out.
 */
export async function signUpEveryone<U extends string>(env: TestSandbox, emails: Record<U, string>): Promise<Record<U, string>> {
  const ids = {} as Record<U, string>;
  for (const user of Object.keys(emails) as U[]) {
    const email = emails[user];
    await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email, preferred_username: user.toUpperCase() } } });
    await confirmSignUp({ username: email, confirmationCode: env.sandbox.userPool.lastCodeFor(email)! });
    await signIn({ username: email, password: PASSWORD });
    ids[user] = (await getCurrentUser()).userId;
    await signOut();
  }
  return ids;
}

/** The Data client signed in as `email` (whoever was signed in is signed out first). */
export async function signedInAs(email: string) {
  await signOut();
  await signIn({ username: email, password: PASSWORD });
  return generateClient<Schema>();
}

/** Events of one subscription (`next` is its observer), and a promise for the first one matching a test. */
export function recorder() {
  const events: ConversationEvent[] = [];
  const waiters: { test: (e: ConversationEvent) => boolean; resolve: (e: ConversationEvent) => void }[] = [];
  return {
    events,
    next(event: ConversationEvent | null) {
      if (!event) return;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.test(event))) waiter.resolve(event);
    },
    waitFor(test: (e: ConversationEvent) => boolean): Promise<ConversationEvent> {
      const seen = events.find(test);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

type ChatClient = ReturnType<typeof generateClient<Schema>>;
type Page<T> = { data: T[]; nextToken: string | null; errors: { message: string; errorType?: string | null }[] | undefined };
const pageOf = <T>(answer: { data?: { items: (T | null)[]; nextToken?: string | null } | null; errors?: unknown }): Page<T> => ({
  data: (answer.data?.items ?? []).filter((item): item is T => item !== null),
  nextToken: answer.data?.nextToken ?? null,
  errors: answer.errors as Page<T>['errors'],
});

/** A page of a conversation's history (listConversationMessages), answered like a model list: `{ data, nextToken, errors }`. */
export async function historyOf(client: ChatClient, args: Parameters<ChatClient['queries']['listConversationMessages']>[0]) {
  return pageOf<Schema['HistoryMessage']['type']>(await client.queries.listConversationMessages(args));
}

/** A page of a conversation's reactions (listConversationReactions), answered like a model list. */
export async function reactionsOf(client: ChatClient, args: Parameters<ChatClient['queries']['listConversationReactions']>[0]) {
  return pageOf<Schema['ConversationReaction']['type']>(await client.queries.listConversationReactions(args));
}

/** A page of a conversation's read points (listConversationReadPoints), answered like a model list. */
export async function readPointsOf(client: ChatClient, args: Parameters<ChatClient['queries']['listConversationReadPoints']>[0]) {
  return pageOf<Schema['ConversationReadPoint']['type']>(await client.queries.listConversationReadPoints(args));
}

/** A page of the signed-in user's own read points (listMyReadPoints), answered like a model list. */
export async function myReadPointsOf(client: ChatClient, args: Parameters<ChatClient['queries']['listMyReadPoints']>[0] = {}) {
  return pageOf<Schema['ConversationReadPoint']['type']>(await client.queries.listMyReadPoints(args));
}

/** A page of one thread's replies (listThreadReplies), answered like a model list. */
export async function threadRepliesOf(client: ChatClient, args: Parameters<ChatClient['queries']['listThreadReplies']>[0]) {
  return pageOf<Schema['HistoryMessage']['type']>(await client.queries.listThreadReplies(args));
}

/**
 * Stages a file as the signed-in user with the stock client, as the web app does before sendMessage: uploadData to
 * `uploads/<identity id>/<uuid>/<name>` with the `uploader` metadata, through the sandbox's storage endpoint (the
 * outputs' `custom.storageEndpoint`, passed as `customEndpoint`; offline/s3/README.md says why). Answers the key.
 */
export async function stageUpload(storageEndpoint: string, name: string, data: Uint8Array, contentType: string, uploader: string): Promise<string> {
  const result = await uploadData({
    path: ({ identityId }) => `uploads/${identityId}/${crypto.randomUUID()}/${name}`,
    data,
    options: { contentType, metadata: { uploader }, customEndpoint: storageEndpoint } as Parameters<typeof uploadData>[0]['options'],
  }).result;
  return result.path;
}
