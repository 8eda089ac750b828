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
  sendMessage(input: $input) { id conversationId sender content clientMessageId createdAt }
}`;

/** The fields of a ConversationEvent these tests read: which event, and the message it is about. */
const EVENT_FIELDS = 'type conversationId messageId id sender content clientMessageId createdAt';

/** The MESSAGE_SENT events of one conversation (participants only). */
export const ON_MESSAGE_SENT = `subscription Sent($conversationId: ID!) {
  onMessageSent(conversationId: $conversationId) { ${EVENT_FIELDS} }
}`;

/** Every event of every conversation the subscriber is in (CONVERSATION_CREATED, MESSAGE_SENT, edits, typing…). */
export const ON_MY_CONVERSATIONS = `subscription Mine { onMyConversations { ${EVENT_FIELDS} } }`;

/** A ConversationEvent as the subscriptions above select it. */
export interface DeliveredEvent {
  type: string;
  conversationId: string;
  messageId: string | null;
  id: string | null;
  sender: string | null;
  content: string | null;
  clientMessageId: string | null;
  createdAt: string | null;
}

/** The event a raw real-time frame carries: the subscription id and its (only) field's value; undefined for other frames. */
export function eventOfFrame(raw: string): { subscription: string; event: DeliveredEvent } | undefined {
  const frame = JSON.parse(raw) as { type: string; id?: string; payload?: { data?: Record<string, DeliveredEvent | null> } };
  if (frame.type !== 'data' || frame.id === undefined) return undefined;
  const event = Object.values(frame.payload?.data ?? {})[0];
  return event ? { subscription: frame.id, event } : undefined;
}

/**
 * Keeps one MESSAGE_SENT per messageId, as the app does: events are at least once (a retried send may publish its
 * message again), so a repeated event is not a second message. Repeats are counted here, apart from the messages.
 */
export class MessageSentEvents {
  private readonly seen = new Set<string>();
  /** messageId → how many MESSAGE_SENT events beyond the first arrived for it. */
  readonly repeats = new Map<string, number>();

  /** True for the first MESSAGE_SENT of a message; false (and counted) for a repeat. Throws for any other event. */
  accept(event: DeliveredEvent): boolean {
    if (event.type !== 'MESSAGE_SENT' || !event.messageId) throw new Error(`not a MESSAGE_SENT event: ${JSON.stringify(event)}`);
    if (!this.seen.has(event.messageId)) {
      this.seen.add(event.messageId);
      return true;
    }
    this.repeats.set(event.messageId, (this.repeats.get(event.messageId) ?? 0) + 1);
    return false;
  }

  /** Repeated events in all. */
  get repeatCount(): number {
    let total = 0;
    for (const count of this.repeats.values()) total += count;
    return total;
  }
}

const LIST_MESSAGES = `query List($conversationId: ID!, $limit: Int, $nextToken: String) {
  listConversationMessages(conversationId: $conversationId, limit: $limit, nextToken: $nextToken) {
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

/**
 * `createConversation` (the message processor's mutation) by `token`'s user with `participants` as `<sub>::<sub>`
 * entries (the creator among them); returns the conversation's id.
 */
export async function createConversation(env: TestSandbox, token: string, name: string, participantSubs: readonly string[]): Promise<string> {
  const answer = await graphql(env, token, 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { conversationId id participants } }', {
    input: { name, participants: participantSubs.map((sub) => `${sub}::${sub}`) },
  });
  const created = dataOf<{ conversationId: string; id: string }>(answer, 'createConversation');
  if (created.id !== created.conversationId) throw new Error(`createConversation: id ${created.id} is not conversationId ${created.conversationId}`);
  return created.conversationId;
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

/** Every message of a conversation as `token`'s user reads it: listConversationMessages, page after page (bounded). */
export async function listConversationMessages(env: TestSandbox, token: string, conversationId: string, pageSize = 25, maxPages = 1000): Promise<SentMessage[]> {
  const messages: SentMessage[] = [];
  let nextToken: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await graphql(env, token, LIST_MESSAGES, { conversationId, limit: pageSize, nextToken });
    const connection = dataOf<{ items: SentMessage[]; nextToken: string | null }>(answer, 'listConversationMessages');
    messages.push(...connection.items);
    nextToken = connection.nextToken;
    if (!nextToken) return messages;
  }
  throw new Error(`listConversationMessages(${conversationId}): still a nextToken after ${maxPages} pages`);
}

/** A real-time connection of `token`'s user (header-subprotocol form, connection_init done). */
export function connectRealtime(env: TestSandbox, token: string): Promise<RealtimeSocket> {
  return RealtimeSocket.connect(env, token);
}
