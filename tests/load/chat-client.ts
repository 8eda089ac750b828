/**
 * The chat operations the durability and load tests drive, over raw HTTPS and the AppSync real-time protocol, against
 * a sandbox in another process. They reuse tests/security/support.ts (`graphql`, `RealtimeSocket`), which take a
 * `TestSandbox` but read nothing of it except `sandbox.urls`: `remoteEnv` is that much of one.
 */
import type { TestSandbox } from '../offline/helpers';
import { graphql, RealtimeSocket, type GraphQLAnswer } from '../security/support';
import type { SandboxUrls } from './sandbox-process';

/** What support.ts's HTTP and real-time helpers use of a sandbox: its URLs. */
export function remoteEnv(urls: SandboxUrls): TestSandbox {
  return { sandbox: { urls } } as unknown as TestSandbox;
}

/** The sender's selection changes nothing about delivery (the backend publishes the event); this one reads the answer. */
export const SEND_MESSAGE = `mutation Send($input: SendMessageInputInput!) {
  sendMessage(input: $input) { id conversationId sender content clientMessageId createdAt participants }
}`;

export const ON_MESSAGE_SENT = `subscription Sent($conversationId: ID!) {
  onMessageSent(conversationId: $conversationId) { id conversationId sender content clientMessageId createdAt }
}`;

export const ON_CREATE_MESSAGE = 'subscription Created { onCreateMessage { id conversationId sender content clientMessageId } }';

const LIST_MESSAGES = `query List($conversationId: ID!, $limit: Int, $nextToken: String) {
  listMessagesByConversation(conversationId: $conversationId, limit: $limit, nextToken: $nextToken) {
    items { id conversationId sender content clientMessageId createdAt }
    nextToken
  }
}`;

export interface SentMessage {
  id: string;
  conversationId: string;
  sender: string;
  content: string;
  clientMessageId: string | null;
  createdAt: string;
}

/** An answer's data field, or an error quoting the answer. */
function dataOf<T>(answer: GraphQLAnswer, field: string): T {
  const value = answer.json.data?.[field];
  if (answer.status !== 200 || answer.json.errors?.length || value === undefined || value === null) {
    throw new Error(`${field}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  }
  return value as T;
}

/** `createConversation` by `token`'s user with `participants` as `<sub>::<sub>` entries (the creator among them). */
export async function createConversation(env: TestSandbox, token: string, name: string, participantSubs: readonly string[]): Promise<string> {
  const answer = await graphql(env, token, 'mutation C($input: CreateConversationInput!) { createConversation(input: $input) { id participants } }', {
    input: { name, participants: participantSubs.map((sub) => `${sub}::${sub}`) },
  });
  return dataOf<{ id: string }>(answer, 'createConversation').id;
}

export interface SendOutcome {
  /** The stored message when the answer carried `data.sendMessage` and no errors (an acknowledgement). */
  message?: SentMessage;
  /** Otherwise, what went wrong (GraphQL errors, HTTP status, or a transport failure). */
  error?: string;
  /** True when no answer arrived at all (connection refused or reset): the outcome is unknown. */
  transport?: boolean;
}

/** One `sendMessage`; never throws (a transport failure is an outcome too). */
export async function sendMessage(env: TestSandbox, token: string, input: { conversationId: string; content: string; clientMessageId: string }): Promise<SendOutcome> {
  let answer: GraphQLAnswer;
  try {
    const { conversationId, content, clientMessageId } = input;
    answer = await graphql(env, token, SEND_MESSAGE, { input: { conversationId, content, clientMessageId, messageType: 'TEXT' } });
  } catch (error) {
    return { error: String((error as Error).cause ?? error), transport: true };
  }
  const message = answer.json.data?.['sendMessage'] as SentMessage | null | undefined;
  if (answer.status === 200 && message && !answer.json.errors?.length) return { message };
  return { error: `HTTP ${answer.status} ${answer.text.slice(0, 300)}` };
}

/** Every message of a conversation as `token`'s user reads it: listMessagesByConversation, page after page (bounded). */
export async function listConversationMessages(env: TestSandbox, token: string, conversationId: string, pageSize = 25, maxPages = 1000): Promise<SentMessage[]> {
  const messages: SentMessage[] = [];
  let nextToken: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await graphql(env, token, LIST_MESSAGES, { conversationId, limit: pageSize, nextToken });
    const connection = dataOf<{ items: SentMessage[]; nextToken: string | null }>(answer, 'listMessagesByConversation');
    messages.push(...connection.items);
    nextToken = connection.nextToken;
    if (!nextToken) return messages;
  }
  throw new Error(`listMessagesByConversation(${conversationId}): still a nextToken after ${maxPages} pages`);
}

/** A real-time connection of `token`'s user (header-subprotocol form, connection_init done). */
export function connectRealtime(env: TestSandbox, token: string): Promise<RealtimeSocket> {
  return RealtimeSocket.connect(env, token);
}
