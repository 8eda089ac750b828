/**
 * Demo data for a sandbox: the file `npx ampx sandbox seed` runs (cloud sandbox) and `npm run dev -- --seed` runs on the
 * offline sandbox (through scripts/seed-offline.mjs). What it creates is in ./demo-data.ts and docs/seed.md.
 *
 * Idempotent: a second run signs the existing users in instead of signing them up, finds the conversations again by
 * name and participants, and sends only the messages whose deterministic clientMessageId is not in the history yet
 * (sendMessage is idempotent on it as well). It prints what it created and what it found.
 *
 * Users sign up the way the app's users do (SignUp), and are then confirmed with AdminConfirmSignUp. Not with
 * @aws-amplify/seed's createAndSignUpUser: that uses AdminCreateUser, and Cognito does not run the post-confirmation
 * trigger for users an administrator creates, so they would have no directory profile (display name) in the app.
 * AdminConfirmSignUp does run it. Their e-mail is then marked verified (AdminUpdateUserAttributes), as an invitation
 * would, so signing in never asks to verify it.
 *
 * Environment: the AWS credentials and region of the caller (ampx: your profile), AMPLIFY_BACKEND_IDENTIFIER (set by
 * ampx; @aws-amplify/seed reads the stack's outputs with it when imported), and optionally CHAT_APP_SEED_OUTPUTS, the
 * amplify_outputs.json to use instead of the project's.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signInUser } from '@aws-amplify/seed';
import {
  AdminConfirmSignUpCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { getCurrentUser, signOut, signUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../data/resource';
import { configureAmplify } from '../../src/amplify-config';
import {
  DEMO_CONVERSATIONS,
  DEMO_PASSWORD,
  DEMO_USERS,
  clientMessageIdFor,
  passwordProblems,
  type DemoConversation,
  type DemoUser,
  type DemoUserKey,
  type PasswordPolicy,
} from './demo-data';

interface Outputs {
  auth?: { aws_region?: string; user_pool_id?: string; password_policy?: PasswordPolicy };
  data?: { url?: string };
}

// The outputs file does not exist until the sandbox has been deployed (or started offline), so it is read at run time.
const outputsUrl = process.env['CHAT_APP_SEED_OUTPUTS']
  ? pathToFileURL(resolve(process.env['CHAT_APP_SEED_OUTPUTS']))
  : new URL('../../amplify_outputs.json', import.meta.url);
const outputs = JSON.parse(await readFile(outputsUrl, 'utf8')) as Outputs;
// Amplify.configure(outputs); also honours a Cognito endpoint declared by the offline sandbox (see the function).
configureAmplify(outputs as Parameters<typeof configureAmplify>[0]);

const userPoolId = outputs.auth?.user_pool_id;
if (!userPoolId || !outputs.data?.url) {
  throw new Error(`${outputsUrl.pathname} has no auth or data section: deploy the sandbox first (npx ampx sandbox)`);
}
const problems = passwordProblems(DEMO_PASSWORD, outputs.auth?.password_policy);
if (problems.length > 0) {
  throw new Error(`the demo password does not satisfy this pool's password policy (it needs ${problems.join(', ')}): change DEMO_PASSWORD in amplify/seed/demo-data.ts`);
}

const cognito = new CognitoIdentityProviderClient({ region: outputs.auth?.aws_region });
const client = generateClient<Schema>();
const log = (line: string) => console.log(`[seed] ${line}`);

const summary = {
  users: { created: [] as string[], found: [] as string[] },
  conversations: { created: [] as string[], found: [] as string[] },
  messages: { sent: 0, found: 0 },
};

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** GraphQL errors as one message (the data client returns them instead of throwing). */
function failure(what: string, errors: readonly { message: string; errorType?: string | null }[] | undefined): Error {
  return new Error(`${what}: ${(errors ?? []).map((e) => `${e.errorType ? `${e.errorType}: ` : ''}${e.message}`).join('; ') || 'no data returned'}`);
}

/** Confirms a signed-up user without the e-mailed code (runs the post-confirmation trigger) and verifies the e-mail. */
async function confirm(user: DemoUser): Promise<void> {
  await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: user.email }));
  await cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: userPoolId,
      Username: user.email,
      UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
    }),
  );
}

let signedInAs: DemoUserKey | undefined;

/** Signs `user` in (signing out whoever was) and returns their user id (the Cognito sub). */
async function signInAs(user: DemoUser): Promise<string> {
  const done = await signInUser({ username: user.email, password: DEMO_PASSWORD, signInFlow: 'Password' });
  if (!done) throw new Error(`${user.email} signed in only part of the way (another challenge is pending): the seed expects a plain password sign-in`);
  signedInAs = user.key;
  return (await getCurrentUser()).userId;
}

/** Signs the user up and confirms them, or finds them; returns their user id. */
async function ensureUser(user: DemoUser): Promise<string> {
  let created = false;
  try {
    await signUp({
      username: user.email,
      password: DEMO_PASSWORD,
      options: { userAttributes: { email: user.email, preferred_username: user.displayName } },
    });
    created = true;
  } catch (error) {
    if (errorName(error) !== 'UsernameExistsException') throw error;
  }
  if (created) await confirm(user);
  let id: string;
  try {
    id = await signInAs(user);
  } catch (error) {
    if (errorName(error) === 'UserNotConfirmedException') {
      // An earlier run stopped between signing up and confirming.
      await confirm(user);
      id = await signInAs(user);
    } else if (errorName(error) === 'NotAuthorizedException' && !created) {
      throw new Error(
        `${user.email} already exists in this user pool but does not sign in with the demo password; the seed does not change passwords: delete that user (offline: npm run dev -- --reset starts from an empty sandbox) and run the seed again`,
        { cause: error },
      );
    } else {
      throw error;
    }
  }
  (created ? summary.users.created : summary.users.found).push(user.email);
  log(`user ${user.email} (${user.displayName}): ${created ? 'created' : 'found'}, id ${id}`);
  return id;
}

type ConversationRecord = Schema['Conversation']['type'];
type MessageRecord = Schema['HistoryMessage']['type'];
/** What the seed needs of a conversation, found (the model) or created (createConversation's answer). */
type SeededConversation = { id: string };

async function listAll<T>(page: (nextToken: string | null | undefined) => Promise<{ data: T[]; nextToken?: string | null; errors?: { message: string }[] }>, what: string): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | null | undefined;
  // Authorization filters apply after the page limit: a page may be short or empty and still have a next one.
  do {
    const result = await page(nextToken);
    if (result.errors?.length) throw failure(what, result.errors);
    items.push(...result.data);
    nextToken = result.nextToken;
  } while (nextToken);
  return items;
}

function sameMembers(a: readonly (string | null)[] | null | undefined, b: readonly string[]): boolean {
  const left = new Set((a ?? []).filter((p): p is string => !!p));
  return left.size === b.length && b.every((id) => left.has(id));
}

/**
 * Finds the conversation by name and participants (as its creator), or creates it with createConversation, as the app
 * does (the message processor stores it with the creator among the participants and tells them: CONVERSATION_CREATED).
 */
async function ensureConversation(conversation: DemoConversation, ids: Record<DemoUserKey, string>): Promise<SeededConversation> {
  const participants = conversation.participants.map((key) => ids[key]);
  const matches = (
    await listAll<ConversationRecord>(
      (nextToken) => client.models.Conversation.list({ filter: { name: { eq: conversation.name } }, nextToken }),
      `listing conversations named "${conversation.name}"`,
    )
  )
    .filter((c) => c.name === conversation.name && sameMembers(c.participants, participants))
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id));
  const existing = matches[0];
  if (existing) {
    summary.conversations.found.push(conversation.name);
    log(`conversation "${conversation.name}": found, id ${existing.id}`);
    return existing;
  }
  const { data, errors } = await client.mutations.createConversation({ input: { name: conversation.name, participants } });
  if (!data) throw failure(`creating conversation "${conversation.name}"`, errors);
  summary.conversations.created.push(conversation.name);
  log(`conversation "${conversation.name}": created, id ${data.conversationId}`);
  return { id: data.conversationId };
}

/** Sends the messages the history does not have yet, in order, each as its sender. */
async function ensureMessages(conversation: DemoConversation, record: SeededConversation, ids: Record<DemoUserKey, string>): Promise<void> {
  const history = await listAll<MessageRecord>(
    async (nextToken) => {
      const answer = await client.queries.listConversationMessages({ conversationId: record.id, sortDirection: 'ASC', nextToken });
      return { data: answer.data?.items ?? [], nextToken: answer.data?.nextToken ?? null, errors: answer.errors as { message: string }[] | undefined };
    },
    `reading the history of "${conversation.name}"`,
  );
  const sent = new Map(history.filter((m) => m.clientMessageId).map((m) => [`${m.sender}\u0000${m.clientMessageId}`, m]));
  let created = 0;
  let found = 0;
  for (const [index, message] of conversation.messages.entries()) {
    const clientMessageId = clientMessageIdFor(conversation, index);
    const existing = sent.get(`${ids[message.from]}\u0000${clientMessageId}`);
    if (existing) {
      found += 1;
      if (existing.content !== message.text) log(`  message ${clientMessageId} differs from demo-data.ts; left as it is`);
      continue;
    }
    const sender = DEMO_USERS.find((u) => u.key === message.from)!;
    if (signedInAs !== sender.key) await signInAs(sender);
    const { data, errors } = await client.mutations.sendMessage({
      input: { conversationId: record.id, content: message.text, messageType: 'TEXT', clientMessageId },
    });
    if (!data) throw failure(`sending message ${clientMessageId} to "${conversation.name}"`, errors);
    created += 1;
  }
  summary.messages.sent += created;
  summary.messages.found += found;
  log(`conversation "${conversation.name}": ${created} message(s) sent, ${found} found`);
}

async function seed(): Promise<void> {
  const ids = {} as Record<DemoUserKey, string>;
  for (const user of DEMO_USERS) ids[user.key] = await ensureUser(user);
  for (const conversation of DEMO_CONVERSATIONS) {
    const creator = DEMO_USERS.find((u) => u.key === conversation.creator)!;
    if (signedInAs !== creator.key) await signInAs(creator);
    const record = await ensureConversation(conversation, ids);
    await ensureMessages(conversation, record, ids);
  }
  const { users, conversations, messages } = summary;
  log(
    `done: users ${users.created.length} created, ${users.found.length} found; conversations ${conversations.created.length} created, ` +
      `${conversations.found.length} found; messages ${messages.sent} sent, ${messages.found} found. Demo accounts: ` +
      `${DEMO_USERS.map((u) => u.email).join(', ')}, password ${DEMO_PASSWORD}`,
  );
  // One line for tools (scripts/seed-offline.mjs callers, tests).
  log(`summary ${JSON.stringify(summary)}`);
}

try {
  await seed();
} finally {
  // Never leave a demo user's session behind in this process.
  await signOut();
}
