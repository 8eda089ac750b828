/**
 * People of the sandbox's pool driven through the stock aws-amplify v6 client, as the web app drives the backend:
 * signed up and confirmed with the code the pool sent, then signed in one at a time (the client holds one session),
 * and the conversation events a subscription receives, recorded.
 */
import { confirmSignUp, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
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
