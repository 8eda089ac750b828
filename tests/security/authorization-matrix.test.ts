/**
 * The authorization matrix on the offline sandbox: every operation of the synthesized schema × {participant,
 * non-participant, signed-out} × hostile variants, over HTTPS and over the real-time WebSocket, each cell with an
 * explicit expected outcome, plus a byte-level leak check of everything a non-participant or a signed-out caller
 * received.
 *
 * Cast: A and B share the A+B conversation, whose third participant D is an administrator-created user with no
 * directory profile and no presence, so D's id appears nowhere but in A+B's records. C has a conversation with A and
 * is never in A+B's. Distinctive marker strings (conversation names, message contents, client message ids) plus A+B's
 * ids and D's id are "A+B data": no response body and no socket frame received by C or a signed-out caller may contain
 * any of them, except a string that caller itself sent in that request (an id it passed as an argument, which an error
 * message may quote).
 *
 * Clients write conversations, messages, reactions and read points only through the message processor's mutations
 * (createConversation, sendMessage, editMessage, removeMessage, toggleReaction, markRead; sendTyping writes nothing):
 * the Conversation, Message, Reaction and ReadReceipt models have no mutations or subscriptions. Conversation events
 * (CONVERSATION_CREATED, MESSAGE_SENT/EDITED/DELETED, TYPING, REACTION, READ) are
 * published by the backend through publishConversationEvent, which no client may call: its cells run while every
 * subscription of the real-time test is open, with distinctive "forged" strings that must reach nobody at all,
 * participants included. (client-write-paths.test.ts checks the same from the synthesized schema's side.)
 *
 * The operations are generated from the schema (operations.ts); an operation without an entry in MATRIX fails the
 * suite. Docs: docs/security.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { MAX_PARTICIPANT_ENTRY_LENGTH, REACTION_EMOJI } from '../../amplify/shared/limits';
import { MAX_ATTACHMENT_URL_IDS } from '../../amplify/functions/message-processor/attachments';
import { png } from '../helpers/sample-files';
import { SYSTEM_ACTIONS } from '../../amplify/shared/members';
import WebSocket from 'ws';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { getNamedType, type GraphQLObjectType } from 'graphql16';
import { buildAppSyncSchema } from '../../offline/appsync/schema/build-schema';
import { configureAmplify } from '../../src/amplify-config';
import { modelTable, scanModel, startTestSandbox, subscriptionAcks, type TestSandbox } from '../offline/helpers';
import { documentFor, isConnection, operationsOf, type Operation } from './operations';
import {
  PASSWORD,
  RealtimeSocket,
  UNAUTHORIZED_BODY,
  adminCreateUser,
  apiHost,
  frameErrors,
  graphql,
  graphqlAsFunction,
  newId,
  signInUser,
  signUpUser,
  userHeader,
  type Frame,
  type GraphQLAnswer,
  type SignedInUser,
} from './support';

// ------------------------------------------------------------------------------------------------------------------
// Vocabulary
// ------------------------------------------------------------------------------------------------------------------

const ROLES = ['participant', 'nonParticipant', 'signedOut', 'removed'] as const;
type Role = (typeof ROLES)[number];
type User = 'a' | 'b' | 'c' | 'd' | 'e';

/**
 * ok        the call succeeds; a participant gets the A+B data, anyone gets what is theirs or public (the directory)
 * denied    refused as unauthorized: HTTP 401 UnauthorizedException (no or bad token), errorType `Unauthorized`
 *           (model/field rules, resolvers), a Lambda's `Unauthorized: …`, or an `error` frame at subscription start
 * empty     succeeds with nothing: no item in any page, or null
 * filtered  succeeds with items, none of them A+B's, every one listing the caller as participant; for a subscription:
 *           acknowledged and delivering (before the fence) only events of the caller's own conversations, each
 *           listing the caller where it carries participants
 * invalid   refused by document validation (a field or value the schema does not accept): nothing runs
 * rejected  refused by a business rule that is not authorization (validation in the Lambda, a condition on the write)
 * silent    subscriptions: acknowledged, and nothing is delivered before the fence
 */
type Outcome = 'ok' | 'denied' | 'empty' | 'filtered' | 'invalid' | 'rejected' | 'silent';
type Observed = Outcome | `unexpected: ${string}`;
/**
 * The expected outcome per role. `removed` (E, a participant of A+B until A removed her, after she had sent, reacted and
 * read there) is checked on the reads, writes and subscriptions of A+B that a removed member must lose at once.
 */
const expectOf = (participant: Outcome, nonParticipant: Outcome, signedOut: Outcome, removed?: Outcome): Partial<Record<Role, Outcome>> =>
  removed === undefined ? { participant, nonParticipant, signedOut } : { participant, nonParticipant, signedOut, removed };
/** The roles a variant is checked for. */
const rolesOf = (variant: Variant): Role[] => ROLES.filter((role) => variant.expect[role] !== undefined);

interface World {
  users: Record<User, SignedInUser>;
  /** A+B(+D). */
  ab: string;
  /** C+A. */
  ca: string;
  /** B alone: B's fence conversation. */
  bSolo: string;
  /** A's first message in A+B, B's message in A+B, C's message in C+A. */
  abMessageA: string;
  abMessageB: string;
  caMessageC: string;
  /** A well-formed id nothing has. */
  missing: string;
  /** E's message in A+B, sent before A removed her; E's own conversation (her fence); when she was removed. */
  abMessageE: string;
  eSolo: string;
  removedAt: string;
  /** B's thread reply to A's first A+B message (before E's removal), A's reply after it; A's reply to C's C+A message. */
  abReplyB: string;
  abReplyAfterRemoval: string;
  caReplyA: string;
  /** A's IMAGE message in A+B (before E's removal): its file is a conversation file only participants get URLs for. */
  abPhotoA: string;
}

type Vars = (w: World, caller: User | undefined, role: Role) => Record<string, unknown> | Promise<Record<string, unknown>>;

interface Variant {
  name: string;
  vars: Vars;
  expect: Partial<Record<Role, Outcome>>;
  /** Who plays the participant (default: A over HTTP, B on the socket, since A triggers the events). */
  participant?: 'a' | 'b';
  /** Fields left out of the generated selection set. */
  omit?: string[];
  /** Default: HTTP for queries and mutations, the real-time socket for subscriptions. */
  transport?: 'http' | 'ws';
  /** Subscriptions: started after C's attempts to join A+B (default: before them). */
  afterJoinAttempt?: boolean;
  /**
   * HTTP cells run inside the real-time test, after its events and before its fences, while every subscription is
   * open: a call that got through would be delivered, and nothing it sent may reach any socket.
   */
  duringEvents?: boolean;
  /**
   * The exact error a signed-in caller's refusal must carry (a `denied` or `rejected` cell with another error is a
   * mismatch).
   */
  refusal?: (variables: Record<string, unknown>) => { errorType: string; message: string };
  /** An `ok` HTTP cell of a signed-in caller: what is wrong with the returned value, or null (else a mismatch). */
  returns?: (value: Item, w: World, caller: User) => string | null;
}

// ------------------------------------------------------------------------------------------------------------------
// Markers: A+B data that must never reach C or a signed-out caller
// ------------------------------------------------------------------------------------------------------------------

const RUN = randomBytes(4).toString('hex');
const markers = new Set<string>();
/** A distinctive string, registered as A+B data. */
function mark(label: string): string {
  const value = `ABSECRET-${RUN}-${label}`;
  markers.add(value);
  return value;
}
const markAll = (...values: string[]): void => values.forEach((value) => markers.add(value));
/** The markers E received while she was a participant of A+B (before A removed her): hers to know. */
const knownToE = new Set<string>();
/** The markers in `received` that `sent` did not itself contain (for E: only those marked after her removal). */
const leaksIn = (sent: string, received: string, role: Role): string[] =>
  [...markers].filter((m) => received.includes(m) && !sent.includes(m) && !(role === 'removed' && knownToE.has(m)));

/** Strings of forged events: no socket of anyone (participants included) may ever receive one. */
const forgeries = new Set<string>();
function forged(label: string): string {
  const value = `FORGED-${RUN}-${label}`;
  forgeries.add(value);
  return value;
}

interface Exchange {
  role: Role;
  label: string;
  sent: string;
  received: string;
}
const exchanges: Exchange[] = [];

// ------------------------------------------------------------------------------------------------------------------
// The expectations, per operation. Every operation of the schema needs an entry.
// ------------------------------------------------------------------------------------------------------------------

const self = (w: World, caller: User | undefined): string => (caller ? w.users[caller].sub : w.users.c.sub);
const now = (): string => new Date().toISOString();
/** Each call of a participant's send gets a fresh marker content. */
let sends = 0;

/** AppSync's refusal of a field by its auth directives or a resolver's `util.unauthorized()`. */
const notAuthorized = (field: string, type: 'Query' | 'Mutation' | 'Subscription') => () => ({ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type ${type}` });
/** The message processor's refusal (sendMessage, sendTyping): the same for a foreign and a missing conversation. */
const notAParticipant = (variables: Record<string, unknown>) => ({ errorType: 'Lambda:Unhandled', message: `Unauthorized: not a participant of conversation ${String(variables['conversationId'])}` });

/** The message processor's refusal of editMessage/removeMessage: the same for a missing message and another's. */
const notYours = (variables: Record<string, unknown>) => ({ errorType: 'Lambda:Unhandled', message: `Unauthorized: message ${String(variables['messageId'])} does not exist or was not sent by you` });

/** toggleReaction's answer for a message that is missing or not in the named conversation (one the caller is in). */
const notInConversation = (variables: Record<string, unknown>) => ({ errorType: 'Lambda:Unhandled', message: `NotFound: message ${String(variables['messageId'])} is not in conversation ${String(variables['conversationId'])}` });
/** sendMessage's answer for a thread root that is missing or not in the named conversation (one the caller is in). */
const notAThreadRoot = (variables: Record<string, unknown>) => {
  const input = variables['input'] as Record<string, unknown>;
  return { errorType: 'Lambda:Unhandled', message: `NotFound: message ${String(input['threadRootId'])} is not in conversation ${String(input['conversationId'])}` };
};
const badEmoji = () => ({ errorType: 'Lambda:Unhandled', message: `ValidationError: emoji must be one of ${REACTION_EMOJI.join(' ')}` });
/** A reaction's sort key: `<emoji>#<userId>`. */
const reactionKey = (emoji: string, sub: string): string => `${emoji}#${sub}`;

/** A participant entry as the backend publishes it: `<sub>::<username>` (the username is the sub). */
const entryOf = (w: World, user: User): string => `${w.users[user].sub}::${w.users[user].sub}`;
/**
 * A forged publishConversationEvent argument: `type` in `conversationId` in `userId`'s name for `participants`, with a
 * forged content (what a client would use to plant a message, an edit, a deletion or a typing indicator).
 */
function forgedEvent(conversationId: string, type: string, userId: string, participants: string[], label: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const at = now();
  const messageId = newId();
  const message = type === 'TYPING' ? { typing: true } : { messageId, id: messageId, sender: userId, content: forged(label), messageType: 'TEXT', clientMessageId: forged(`${label}-client-id`), createdAt: at };
  return { event: { conversationId, type, userId, at, participants, ...message, ...fields } };
}
const roleLabel = (caller: User | undefined): string => caller ?? 'signed-out';
/**
 * What is wrong with createConversation's answer for a conversation of exactly `members` (user ids), or null: a new
 * id (none of the cast's conversations), `conversationId` equal to it, and the participants as an owner list reads
 * (each user id once, the caller among them).
 */
function createdFor(value: Item, members: string[]): string | null {
  const participants = [...((value['participants'] as string[] | null) ?? [])].sort();
  const expected = [...new Set(members)].sort();
  if (JSON.stringify(participants) !== JSON.stringify(expected)) return `participants ${JSON.stringify(value['participants'])}, expected ${JSON.stringify(expected)}`;
  if (typeof value['id'] !== 'string' || value['conversationId'] !== value['id'] || [w.ab, w.ca, w.bSolo].includes(value['id'])) {
    return `id ${String(value['id'])}, conversationId ${String(value['conversationId'])}`;
  }
  return null;
}
/** Forged publishes: refused for every client, with AppSync's refusal (the field is IAM + a group nobody is in). */
const publishRefusal = notAuthorized('publishConversationEvent', 'Mutation');

/** Subscriptions over HTTP: AppSync serves them on the real-time endpoint only. */
const overHttp = (vars: Vars = () => ({})): Variant => ({ name: 'over HTTP (not served)', transport: 'http', vars, expect: expectOf('invalid', 'invalid', 'denied') });

const MATRIX: Record<string, Variant[]> = {
  // ---------------------------------------------------------------- queries
  'Query.getUserProfile': [
    { name: "another user's profile (directory, by design)", vars: (w) => ({ id: w.users.b.sub }), expect: expectOf('ok', 'ok', 'denied') },
  ],
  'Query.listUserProfiles': [
    { name: 'all', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'filter owner attributeExists', vars: () => ({ filter: { owner: { attributeExists: true } } }), expect: expectOf('ok', 'ok', 'denied') },
  ],
  'Query.getConversation': [
    { name: "A+B's id", vars: (w) => ({ id: w.ab }), expect: expectOf('ok', 'denied', 'denied') },
    { name: 'own conversation', vars: (w, caller) => ({ id: caller === 'c' ? w.ca : w.ab }), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'missing id', vars: (w) => ({ id: w.missing }), expect: expectOf('empty', 'empty', 'denied') },
  ],
  'Query.listConversations': [
    { name: 'no filter', vars: () => ({}), expect: expectOf('ok', 'filtered', 'denied') },
    // Conversations store participants as owner entries `<sub>::<username>` (what createConversation writes); `contains`
    // matches a list element.
    { name: "filter participants contains B's owner entry", vars: (w) => ({ filter: { participants: { contains: entryOf(w, 'b') } } }), expect: expectOf('ok', 'empty', 'denied') },
    { name: "filter id eq A+B's id", vars: (w) => ({ filter: { id: { eq: w.ab } } }), expect: expectOf('ok', 'empty', 'denied') },
    {
      name: 'or-filter widening (participants contains B | name attributeExists)',
      vars: (w) => ({ filter: { or: [{ participants: { contains: w.users.b.sub } }, { name: { attributeExists: true } }] } }),
      expect: expectOf('ok', 'filtered', 'denied'),
    },
    {
      name: "not-filter (participants does not contain one's own owner entry)",
      vars: (w, caller) => ({ filter: { not: { participants: { contains: `${self(w, caller)}::${self(w, caller)}` } } } }),
      expect: expectOf('empty', 'empty', 'denied'),
    },
    { name: 'filter participants attributeExists, limit 1, all pages', vars: () => ({ filter: { participants: { attributeExists: true } }, limit: 1 }), expect: expectOf('ok', 'filtered', 'denied') },
  ],
  // History, reactions and read points: custom queries whose pipelines check that the caller is a participant of the
  // conversation NOW (conversationMember.js) before reading; the models have no queries of their own. E (removed from
  // A+B after writing there) is refused like C.
  'Query.listConversationMessages': [
    { name: "A+B's id", refusal: notAuthorized('listConversationMessages', 'Query'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    { name: "A+B's id, limit 1, all pages", refusal: notAuthorized('listConversationMessages', 'Query'), vars: (w) => ({ conversationId: w.ab, limit: 1 }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    {
      name: "A+B's id, newest first from the epoch (the whole range)",
      refusal: notAuthorized('listConversationMessages', 'Query'),
      vars: (w) => ({ conversationId: w.ab, from: '1970-01-01T00:00:00.000Z', sortDirection: 'DESC' }),
      expect: expectOf('ok', 'denied', 'denied', 'denied'),
    },
    {
      name: "A+B's id, from E's removal on (its record, and what E must never read)",
      refusal: notAuthorized('listConversationMessages', 'Query'),
      vars: (w) => ({ conversationId: w.ab, from: w.removedAt }),
      expect: expectOf('ok', 'denied', 'denied', 'denied'),
    },
    { name: 'own conversation', vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab }), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAuthorized('listConversationMessages', 'Query'), vars: (w) => ({ conversationId: w.missing }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
  ],
  // A thread's replies: the same membership check, then the thread index filtered on the checked conversation.
  'Query.listThreadReplies': [
    { name: "A+B's thread", refusal: notAuthorized('listThreadReplies', 'Query'), vars: (w) => ({ conversationId: w.ab, threadRootId: w.abMessageA }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    {
      name: "A+B's thread, newest first, limit 1, all pages",
      refusal: notAuthorized('listThreadReplies', 'Query'),
      vars: (w) => ({ conversationId: w.ab, threadRootId: w.abMessageA, sortDirection: 'DESC', limit: 1 }),
      expect: expectOf('ok', 'denied', 'denied', 'denied'),
    },
    { name: 'own conversation, own thread', vars: (w, caller) => (caller === 'c' ? { conversationId: w.ca, threadRootId: w.caMessageC } : { conversationId: w.ab, threadRootId: w.abMessageA }), expect: expectOf('ok', 'ok', 'denied') },
    // The membership check passes on one's own conversation; the other's replies are filtered out: nothing crosses.
    { name: "own conversation, the other conversation's root", vars: (w, caller) => (caller === 'c' ? { conversationId: w.ca, threadRootId: w.abMessageA } : { conversationId: w.ab, threadRootId: w.caMessageC }), expect: expectOf('empty', 'empty', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAuthorized('listThreadReplies', 'Query'), vars: (w) => ({ conversationId: w.missing, threadRootId: w.abMessageA }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
  ],
  'Query.listConversationReactions': [
    { name: "A+B's id (a page's reactions)", refusal: notAuthorized('listConversationReactions', 'Query'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    {
      name: "A+B's id, from the epoch to the future (whole range), limit 1, all pages",
      refusal: notAuthorized('listConversationReactions', 'Query'),
      vars: (w) => ({ conversationId: w.ab, from: '1970-01-01T00:00:00.000Z', to: '2999-01-01T00:00:00.000Z', limit: 1 }),
      expect: expectOf('ok', 'denied', 'denied', 'denied'),
    },
    { name: 'own conversation', vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab }), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAuthorized('listConversationReactions', 'Query'), vars: (w) => ({ conversationId: w.missing }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
  ],
  'Query.listConversationReadPoints': [
    { name: "A+B's id (every read point of a conversation)", refusal: notAuthorized('listConversationReadPoints', 'Query'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    { name: "A+B's id, limit 1, all pages", refusal: notAuthorized('listConversationReadPoints', 'Query'), vars: (w) => ({ conversationId: w.ab, limit: 1 }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    { name: 'own conversation', vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab }), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAuthorized('listConversationReadPoints', 'Query'), vars: (w) => ({ conversationId: w.missing }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
  ],
  // The caller's own read points (by the caller's sub; there is no user argument). E still has hers in A+B: her own
  // record of what she read while a member, nothing written since.
  'Query.listMyReadPoints': [
    { name: 'own read points', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied', 'ok') },
    { name: 'own read points, limit 1, all pages', vars: () => ({ limit: 1 }), expect: expectOf('ok', 'ok', 'denied', 'ok') },
  ],
  'Query.getUserPresence': [{ name: "another user's presence (by design)", vars: (w) => ({ id: w.users.a.sub }), expect: expectOf('ok', 'ok', 'denied') }],
  'Query.listUserPresences': [{ name: 'all', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') }],
  'Query.listPresenceByStatus': [{ name: 'ONLINE', vars: () => ({ status: 'ONLINE' }), expect: expectOf('ok', 'ok', 'denied') }],

  // ---------------------------------------------------------------- mutations
  'Mutation.publishConversationEvent': [
    {
      name: "MESSAGE_SENT in A+B in B's name, to every user",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) => forgedEvent(w.ab, 'MESSAGE_SENT', w.users.b.sub, (['a', 'b', 'c', 'd'] as const).map((u) => entryOf(w, u)), `as-b-by-${roleLabel(caller)}`),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "MESSAGE_SENT in one's own conversation, as oneself, to its participants",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) =>
        caller === 'c'
          ? forgedEvent(w.ca, 'MESSAGE_SENT', w.users.c.sub, [entryOf(w, 'c'), entryOf(w, 'a')], 'own-by-c')
          : forgedEvent(w.ab, 'MESSAGE_SENT', w.users[caller ?? 'a'].sub, [entryOf(w, 'a'), entryOf(w, 'b'), entryOf(w, 'd')], `own-by-${roleLabel(caller)}`),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "an event of C+A naming A+B's other participants (B, D) as its audience",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) => forgedEvent(w.ca, 'MESSAGE_SENT', w.users.a.sub, [entryOf(w, 'b'), entryOf(w, 'd')], `redirected-by-${roleLabel(caller)}`),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "MESSAGE_EDITED of A's A+B message",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) => forgedEvent(w.ab, 'MESSAGE_EDITED', w.users.a.sub, [entryOf(w, 'a'), entryOf(w, 'b'), entryOf(w, 'd')], `edit-by-${roleLabel(caller)}`, { messageId: w.abMessageA, id: w.abMessageA, editedAt: now() }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "MESSAGE_DELETED of B's A+B message",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) =>
        forgedEvent(w.ab, 'MESSAGE_DELETED', w.users.b.sub, [entryOf(w, 'a'), entryOf(w, 'b'), entryOf(w, 'd')], `delete-by-${roleLabel(caller)}`, { messageId: w.abMessageB, id: w.abMessageB, content: null, sender: w.users.b.sub }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "TYPING in A+B in A's name",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) => forgedEvent(w.ab, 'TYPING', w.users.a.sub, [entryOf(w, 'a'), entryOf(w, 'b'), entryOf(w, 'c'), entryOf(w, 'd')], `typing-by-${roleLabel(caller)}`, { userId: forged(`typist-by-${roleLabel(caller)}`) }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "REACTION on A's A+B message in B's name, to every user",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) =>
        forgedEvent(w.ab, 'REACTION', w.users.b.sub, (['a', 'b', 'c', 'd'] as const).map((u) => entryOf(w, u)), `reaction-by-${roleLabel(caller)}`, {
          messageId: w.abMessageA,
          id: w.abMessageA,
          content: null,
          emoji: '👍',
          reacted: true,
          reactionUsers: [forged(`reactor-by-${roleLabel(caller)}`)],
          reactionCount: 99,
        }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "READ of A's A+B message in B's name, to every user",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) =>
        forgedEvent(w.ab, 'READ', w.users.b.sub, (['a', 'b', 'c', 'd'] as const).map((u) => entryOf(w, u)), `read-by-${roleLabel(caller)}`, {
          messageId: w.abMessageA,
          id: w.abMessageA,
          content: null,
          userId: forged(`reader-by-${roleLabel(caller)}`),
          readAt: now(),
        }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: "CONVERSATION_CREATED for A+B's id, announcing it to every user",
      duringEvents: true,
      refusal: publishRefusal,
      vars: (w, caller) => ({
        event: { conversationId: w.ab, type: 'CONVERSATION_CREATED', userId: w.users.a.sub, at: now(), name: forged(`created-by-${roleLabel(caller)}`), participants: (['a', 'b', 'c', 'd'] as const).map((u) => entryOf(w, u)) },
      }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: 'selection without participants, conversationId and type',
      duringEvents: true,
      refusal: publishRefusal,
      omit: ['participants', 'conversationId', 'type'],
      vars: (w, caller) => forgedEvent(w.ab, 'MESSAGE_SENT', w.users.a.sub, [entryOf(w, 'a'), entryOf(w, 'b'), entryOf(w, 'c'), entryOf(w, 'd')], `unselected-by-${roleLabel(caller)}`),
      expect: expectOf('denied', 'denied', 'denied'),
    },
  ],
  'Mutation.sendTyping': [
    { name: 'in A+B', refusal: notAParticipant, vars: (w) => ({ conversationId: w.ab, typing: true }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    { name: 'in a missing conversation (same answer)', refusal: notAParticipant, vars: (w) => ({ conversationId: w.missing, typing: true }), expect: expectOf('denied', 'denied', 'denied') },
    { name: "in one's own conversation", vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab, typing: false }), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'typing not a boolean', vars: (w) => ({ conversationId: w.ab, typing: 'yes' }), expect: expectOf('invalid', 'invalid', 'denied') },
  ],
  // The message processor's mutation: participants who may read the message only.
  'Mutation.toggleReaction': [
    { name: "on B's A+B message", refusal: notAParticipant, vars: (w) => ({ conversationId: w.ab, messageId: w.abMessageB, emoji: '🎉' }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    {
      name: "on an A+B message, reacted: true (the idempotent form)",
      refusal: notAParticipant,
      vars: (w) => ({ conversationId: w.ab, messageId: w.abMessageA, emoji: '❤️', reacted: true }),
      returns: (value, w, caller) => (value['reacted'] === true && (value['users'] as string[]).includes(w.users[caller].sub) ? null : `answer ${JSON.stringify(value)}`),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    {
      name: "an A+B message named under C+A (a conversation both A and C are in)",
      refusal: notInConversation,
      vars: (w) => ({ conversationId: w.ca, messageId: w.abMessageA, emoji: '👍' }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    { name: 'in a missing conversation (same answer)', refusal: notAParticipant, vars: (w) => ({ conversationId: w.missing, messageId: w.abMessageA, emoji: '👍' }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'a missing message of one\'s own conversation', refusal: notInConversation, vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab, messageId: w.missing, emoji: '👍' }), expect: expectOf('denied', 'denied', 'denied') },
    {
      name: "on one's own conversation's message",
      vars: (w, caller) => (caller === 'c' ? { conversationId: w.ca, messageId: w.caMessageC, emoji: '😮', reacted: true } : { conversationId: w.ab, messageId: w.abMessageA, emoji: '😮', reacted: true }),
      expect: expectOf('ok', 'ok', 'denied'),
    },
    {
      name: 'an emoji outside the list',
      refusal: badEmoji,
      vars: (w, caller) => (caller === 'c' ? { conversationId: w.ca, messageId: w.caMessageC, emoji: 'lol' } : { conversationId: w.ab, messageId: w.abMessageA, emoji: 'lol' }),
      expect: expectOf('rejected', 'rejected', 'denied'),
    },
    { name: 'reacted not a boolean', vars: (w) => ({ conversationId: w.ab, messageId: w.abMessageA, emoji: '👍', reacted: 'yes' }), expect: expectOf('invalid', 'invalid', 'denied') },
  ],
  // The message processor's mutation: participants who may read the message only; the point only moves forward.
  'Mutation.markRead': [
    {
      name: "B's A+B message",
      refusal: notAParticipant,
      vars: (w) => ({ conversationId: w.ab, messageId: w.abMessageB }),
      returns: (value, w, caller) => (value['userId'] === w.users[caller].sub && typeof value['readAt'] === 'string' && typeof value['moved'] === 'boolean' ? null : `answer ${JSON.stringify(value)}`),
      expect: expectOf('ok', 'denied', 'denied', 'denied'),
    },
    { name: 'an A+B message named under C+A (a conversation both A and C are in)', refusal: notInConversation, vars: (w) => ({ conversationId: w.ca, messageId: w.abMessageA }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'in a missing conversation (same answer)', refusal: notAParticipant, vars: (w) => ({ conversationId: w.missing, messageId: w.abMessageA }), expect: expectOf('denied', 'denied', 'denied') },
    { name: "a missing message of one's own conversation", refusal: notInConversation, vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab, messageId: w.missing }), expect: expectOf('denied', 'denied', 'denied') },
    { name: "one's own conversation's message", vars: (w, caller) => (caller === 'c' ? { conversationId: w.ca, messageId: w.caMessageC } : { conversationId: w.ab, messageId: w.abMessageA }), expect: expectOf('ok', 'ok', 'denied') },
  ],
  // Message files: URLs are signed by the message processor for participants now (a strongly consistent membership
  // check), only for messages of the named conversation that have a file. E, removed after the photo was sent, is refused.
  'Query.getAttachmentUrls': [
    {
      name: "A+B's photo",
      refusal: notAParticipant,
      vars: (w) => ({ conversationId: w.ab, messageIds: [w.abPhotoA] }),
      returns: (value, w) => {
        const urls = value as unknown as { messageId: string; url: string; downloadUrl: string }[];
        return urls.length === 1 && urls[0]!.messageId === w.abPhotoA && urls[0]!.url.includes('X-Amz-Signature=') && urls[0]!.downloadUrl !== urls[0]!.url ? null : `answer ${JSON.stringify(value)}`;
      },
      expect: expectOf('ok', 'denied', 'denied', 'denied'),
    },
    // The membership check passes on one's own conversation; the other conversation's message is left out.
    { name: "A+B's photo named under C+A (a conversation both A and C are in)", vars: (w) => ({ conversationId: w.ca, messageIds: [w.abPhotoA] }), expect: expectOf('empty', 'empty', 'denied') },
    { name: "own conversation's messages without a file", vars: (w, caller) => (caller === 'c' ? { conversationId: w.ca, messageIds: [w.caMessageC] } : { conversationId: w.ab, messageIds: [w.abMessageA, w.abMessageB] }), expect: expectOf('empty', 'empty', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAParticipant, vars: (w) => ({ conversationId: w.missing, messageIds: [w.abPhotoA] }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
    {
      name: `more than ${MAX_ATTACHMENT_URL_IDS} ids (checked before anything is read)`,
      refusal: () => ({ errorType: 'Lambda:Unhandled', message: `ValidationError: at most ${MAX_ATTACHMENT_URL_IDS} messages per call` }),
      vars: (w) => ({ conversationId: w.ab, messageIds: Array.from({ length: MAX_ATTACHMENT_URL_IDS + 1 }, () => newId()) }),
      expect: expectOf('rejected', 'rejected', 'denied'),
    },
    { name: 'a null id', vars: (w) => ({ conversationId: w.ab, messageIds: [w.abPhotoA, null] }), expect: expectOf('invalid', 'invalid', 'denied') },
  ],
  // The message processor's search: only the index partitions of conversations the caller is in now (each named
  // conversation, and each a nextToken names, is checked on every page). Every A+B message carries the run's marker
  // word, so a hit that leaked would carry A+B data.
  'Query.searchMessages': [
    { name: "the run's word in A+B", vars: (w) => ({ query: RUN, conversationIds: [w.ab] }), expect: expectOf('ok', 'empty', 'denied', 'empty') },
    { name: "the run's word in A+B, limit 1, all pages", vars: (w) => ({ query: RUN, conversationIds: [w.ab], limit: 1 }), expect: expectOf('ok', 'empty', 'denied', 'empty') },
    { name: "the run's word in A+B and C+A", vars: (w) => ({ query: RUN, conversationIds: [w.ab, w.ca] }), expect: expectOf('ok', 'empty', 'denied') },
    {
      name: 'a forged nextToken naming A+B',
      vars: (w) => ({ query: RUN, nextToken: Buffer.from(JSON.stringify({ q: [RUN], c: { [w.ab]: null } })).toString('base64url') }),
      expect: expectOf('ok', 'empty', 'denied'),
    },
    { name: 'a missing conversation (same answer)', vars: (w) => ({ query: RUN, conversationIds: [w.missing] }), expect: expectOf('empty', 'empty', 'denied') },
  ],
  // The message processor's membership operations: groups only (a 1:1 stays a 1:1: rejected), owners only for adding,
  // removing and roles; anyone leaves. Each cell that may succeed works on a fresh conversation A creates for it, so
  // A+B, C+A and B's own stay as they are.
  'Mutation.addMembers': [
    {
      name: 'an owner (A) adds D to a fresh group of A and B',
      refusal: notAParticipant,
      vars: async (w) => ({ conversationId: await freshGroup(['a', 'b']), userIds: [w.users.d.sub] }),
      returns: (value, w) => ((value['participants'] as string[]).includes(entryOf(w, 'd')) && (value['systemMessageIds'] as string[]).length === 1 ? null : `answer ${JSON.stringify(value)}`),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    // B is a member of A+B, not an owner: refused; C adding themself: not a participant.
    { name: 'a member who is not an owner (B) adds C to A+B; E adds herself back', participant: 'b', vars: (w, caller) => ({ conversationId: w.ab, userIds: [w.users[caller === 'e' ? 'e' : 'c'].sub] }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
    { name: 'a fresh 1:1 of A and B (stays a 1:1)', vars: async (w) => ({ conversationId: await freshDirect(), userIds: [w.users.d.sub] }), expect: expectOf('rejected', 'denied', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAParticipant, vars: (w) => ({ conversationId: w.missing, userIds: [w.users.c.sub] }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'a null user id', vars: (w) => ({ conversationId: w.ab, userIds: [w.users.d.sub, null] }), expect: expectOf('invalid', 'invalid', 'denied') },
    {
      name: 'a malformed user id (checked before anything is read)',
      refusal: () => ({ errorType: 'Lambda:Unhandled', message: `ValidationError: userIds must be user ids (a Cognito sub, or "<sub>::<username>") of at most ${MAX_PARTICIPANT_ENTRY_LENGTH} characters` }),
      vars: (w) => ({ conversationId: w.ab, userIds: ['x::y::admin'] }),
      expect: expectOf('rejected', 'rejected', 'denied'),
    },
  ],
  'Mutation.removeMember': [
    {
      name: 'an owner (A) removes D from a fresh group of A, B and D',
      refusal: notAParticipant,
      vars: async (w) => ({ conversationId: await freshGroup(['a', 'b', 'd']), userId: w.users.d.sub }),
      returns: (value, w) => (!(value['participants'] as string[]).includes(entryOf(w, 'd')) ? null : `answer ${JSON.stringify(value)}`),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: 'a member who is not an owner (B) removes A from A+B', participant: 'b', vars: (w) => ({ conversationId: w.ab, userId: w.users.a.sub }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'a fresh 1:1 of A and B (stays a 1:1)', vars: async (w) => ({ conversationId: await freshDirect(), userId: w.users.b.sub }), expect: expectOf('rejected', 'denied', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAParticipant, vars: (w) => ({ conversationId: w.missing, userId: w.users.b.sub }), expect: expectOf('denied', 'denied', 'denied') },
  ],
  'Mutation.setMemberRole': [
    {
      name: 'an owner (A) makes B an owner of a fresh group',
      refusal: notAParticipant,
      vars: async (w) => ({ conversationId: await freshGroup(['a', 'b']), userId: w.users.b.sub, role: 'OWNER' }),
      returns: (value, w) => ((value['owners'] as string[]).includes(entryOf(w, 'b')) ? null : `answer ${JSON.stringify(value)}`),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: 'a member who is not an owner (B) makes themself an owner of A+B', participant: 'b', vars: (w) => ({ conversationId: w.ab, userId: w.users.b.sub, role: 'OWNER' }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'an unknown role', vars: (w) => ({ conversationId: w.ab, userId: w.users.b.sub, role: 'ADMIN' }), expect: expectOf('invalid', 'invalid', 'denied') },
  ],
  'Mutation.leaveConversation': [
    {
      name: 'a fresh group of A and B',
      refusal: notAParticipant,
      vars: async () => ({ conversationId: await freshGroup(['a', 'b']) }),
      returns: (value, w, caller) => (!(value['participants'] as string[]).includes(entryOf(w, caller)) ? null : `answer ${JSON.stringify(value)}`),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: 'a fresh 1:1 of A and B (not offered)', vars: async () => ({ conversationId: await freshDirect() }), expect: expectOf('rejected', 'denied', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAParticipant, vars: (w) => ({ conversationId: w.missing }), expect: expectOf('denied', 'denied', 'denied') },
  ],
  // The backend's invalidation (IAM + a group nobody is in): run while every subscription is open, so an invalidation
  // that got through would end the participants' subscriptions of A+B and show as their mismatches.
  'Mutation.invalidateMemberSubscriptions': [
    { name: "B's subscriptions of A+B", duringEvents: true, refusal: notAuthorized('invalidateMemberSubscriptions', 'Mutation'), vars: (w) => ({ conversationId: w.ab, userId: w.users.b.sub }), expect: expectOf('denied', 'denied', 'denied') },
    {
      name: "one's own subscriptions of one's own conversation",
      duringEvents: true,
      refusal: notAuthorized('invalidateMemberSubscriptions', 'Mutation'),
      vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab, userId: self(w, caller) }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
  ],
  'Mutation.createUserProfile': [
    { name: "impersonating B (B's id)", vars: (w) => ({ input: { id: w.users.b.sub, displayName: 'impostor' } }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'a second profile of oneself', vars: () => ({ input: { displayName: 'second me' } }), expect: expectOf('denied', 'denied', 'denied') },
  ],
  'Mutation.updateUserProfile': [
    { name: "B's profile", participant: 'a', vars: (w) => ({ input: { id: w.users.b.sub, displayName: 'pwned' } }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'own display name', vars: (w, caller) => ({ input: { id: self(w, caller), displayName: `renamed ${caller ?? 'nobody'}` } }), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'own e-mail (field-protected)', vars: (w, caller) => ({ input: { id: self(w, caller), email: 'forged@example.com' } }), expect: expectOf('denied', 'denied', 'denied') },
    { name: 'own owner handed to B', vars: (w, caller) => ({ input: { id: self(w, caller), owner: w.users.b.sub } }), expect: expectOf('denied', 'denied', 'denied') },
  ],
  'Mutation.deleteUserProfile': [{ name: 'own profile', vars: (w, caller) => ({ input: { id: self(w, caller) } }), expect: expectOf('denied', 'denied', 'denied') }],
  // The message processor's mutation: any signed-in user may start a conversation with anyone, and is always one of
  // its participants (added when the input leaves them out). The conversation's id, times and preview are the
  // backend's: the input type has no field for them.
  'Mutation.createConversation': [
    {
      name: 'listing only others (A and B): the caller is added',
      vars: (w, caller) => ({ input: { name: caller === 'a' ? mark('framing') : 'framing', participants: [w.users.a.sub, w.users.b.sub] } }),
      returns: (value, w, caller) => createdFor(value, [w.users.a.sub, w.users.b.sub, w.users[caller].sub]),
      expect: expectOf('ok', 'ok', 'denied'),
    },
    {
      name: 'no one else (empty participants): the caller alone',
      vars: () => ({ input: { participants: [] } }),
      returns: (value, w, caller) => createdFor(value, [w.users[caller].sub]),
      expect: expectOf('ok', 'ok', 'denied'),
    },
    {
      name: "A+B's id, createdAt and lastMessagePreview (the input type refuses them)",
      vars: (w, caller) => ({ input: { id: w.ab, name: 'taken over', participants: [self(w, caller)], createdAt: '2000-01-01T00:00:00.000Z', lastMessagePreview: 'forged preview' } }),
      expect: expectOf('invalid', 'invalid', 'denied'),
    },
    { name: 'participants missing (required)', vars: () => ({ input: { name: 'nobody' } }), expect: expectOf('invalid', 'invalid', 'denied') },
    { name: 'a null participant entry', vars: (w) => ({ input: { participants: [w.users.b.sub, null] } }), expect: expectOf('invalid', 'invalid', 'denied') },
    {
      name: 'a name over 100 characters',
      refusal: () => ({ errorType: 'Lambda:Unhandled', message: 'ValidationError: name is 101 characters long; the limit is 100' }),
      vars: (w) => ({ input: { name: 'n'.repeat(101), participants: [w.users.b.sub] } }),
      expect: expectOf('rejected', 'rejected', 'denied'),
    },
    {
      name: 'a participant entry that is not a user id ("<sub>::<username>::more")',
      refusal: () => ({ errorType: 'Lambda:Unhandled', message: `ValidationError: participants must be user ids (a Cognito sub, or "<sub>::<username>") of at most ${MAX_PARTICIPANT_ENTRY_LENGTH} characters` }),
      vars: (w) => ({ input: { participants: [w.users.b.sub, `${w.users.b.sub}::${w.users.b.sub}::admin`] } }),
      expect: expectOf('rejected', 'rejected', 'denied'),
    },
    {
      name: '1,000 others (1,001 with the caller: over the limit)',
      refusal: () => ({ errorType: 'Lambda:Unhandled', message: 'ValidationError: a conversation has at most 1000 participants; 1001 were given' }),
      vars: () => ({ input: { participants: Array.from({ length: 1000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`) } }),
      expect: expectOf('rejected', 'rejected', 'denied'),
    },
  ],
  'Mutation.createUserPresence': [{ name: 'own presence', vars: (w, caller) => ({ input: { id: self(w, caller), status: 'ONLINE', lastSeen: now() } }), expect: expectOf('denied', 'denied', 'denied') }],
  'Mutation.updateUserPresence': [{ name: "B's presence", vars: (w) => ({ input: { id: w.users.b.sub, status: 'OFFLINE' } }), expect: expectOf('denied', 'denied', 'denied') }],
  'Mutation.deleteUserPresence': [{ name: "A's presence", vars: (w) => ({ input: { id: w.users.a.sub } }), expect: expectOf('denied', 'denied', 'denied') }],
  'Mutation.sendMessage': [
    { name: 'to A+B', refusal: (v) => notAParticipant(v['input'] as Record<string, unknown>), vars: (w, caller) => ({ input: { conversationId: w.ab, content: caller === 'a' ? mark(`sent-over-http-${++sends}`) : 'let me in' } }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    {
      name: 'forged sender, participants, createdAt (input type refuses them)',
      vars: (w, caller) => ({ input: { conversationId: caller === 'c' ? w.ca : w.ab, content: 'forged', sender: w.users.b.sub, participants: [self(w, caller)], createdAt: '2000-01-01T00:00:00.000Z' } }),
      expect: expectOf('invalid', 'invalid', 'denied'),
    },
    { name: 'messageType SYSTEM (backend only)', vars: (w, caller) => ({ input: { conversationId: caller === 'c' ? w.ca : w.ab, content: 'system?', messageType: 'SYSTEM' } }), expect: expectOf('rejected', 'rejected', 'denied') },
    { name: 'to a missing conversation (same answer)', refusal: (v) => notAParticipant(v['input'] as Record<string, unknown>), vars: (w) => ({ input: { conversationId: w.missing, content: 'anyone?' } }), expect: expectOf('denied', 'denied', 'denied') },
    // Thread replies: a participant now only, to a top-level message of the same conversation.
    {
      name: "a reply in A+B's thread",
      refusal: (v) => notAParticipant(v['input'] as Record<string, unknown>),
      vars: (w, caller) => ({ input: { conversationId: w.ab, threadRootId: w.abMessageA, content: caller === 'a' ? mark(`reply-over-http-${++sends}`) : 'let me in the thread' } }),
      expect: expectOf('ok', 'denied', 'denied', 'denied'),
    },
    {
      name: "a reply in one's own conversation to the other conversation's message (same answer as a missing root)",
      refusal: notAThreadRoot,
      vars: (w, caller) => ({ input: caller === 'c' ? { conversationId: w.ca, threadRootId: w.abMessageA, content: 'cross-thread' } : { conversationId: w.ab, threadRootId: w.caMessageC, content: 'cross-thread' } }),
      expect: expectOf('denied', 'denied', 'denied'),
    },
    {
      name: 'a reply to a reply (threads are one level deep)',
      vars: (w, caller) => ({ input: caller === 'c' ? { conversationId: w.ca, threadRootId: w.caReplyA, content: 'nested' } : { conversationId: w.ab, threadRootId: w.abReplyB, content: 'nested' } }),
      expect: expectOf('rejected', 'rejected', 'denied'),
    },
  ],
  // The selection leaves out Message.updatedAt: the message processor's answers do not carry it, so selecting it (non-null)
  // nulls the answer (a backend defect, not an authorization matter; the web app selects only the fields it reads).
  'Mutation.editMessage': [
    {
      name: 'own A+B message',
      omit: ['updatedAt'],
      refusal: notYours,
      vars: (w, caller) => ({ messageId: w.abMessageA, content: caller === 'a' ? mark('edited-over-http') : 'hijacked' }),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: "another participant's message", participant: 'b', omit: ['updatedAt'], refusal: notYours, vars: (w) => ({ messageId: w.abMessageA, content: 'not yours' }), expect: expectOf('denied', 'denied', 'denied') },
    // E's own message, sent while she was a participant: after her removal she edits nothing there (B and C: not theirs).
    { name: "E's A+B message, sent before her removal", participant: 'b', omit: ['updatedAt'], vars: (w) => ({ messageId: w.abMessageE, content: 'edited after removal' }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
  ],
  'Mutation.removeMessage': [
    {
      name: 'own fresh A+B message',
      omit: ['updatedAt'],
      refusal: notYours,
      vars: async (w, caller) => ({ messageId: caller === 'a' ? await sendAs('a', w.ab, mark('to-remove-over-http')) : w.abMessageA }),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: "another participant's message", participant: 'b', omit: ['updatedAt'], refusal: notYours, vars: (w) => ({ messageId: w.abMessageA }), expect: expectOf('denied', 'denied', 'denied') },
    { name: "E's A+B message, sent before her removal", participant: 'b', omit: ['updatedAt'], vars: (w) => ({ messageId: w.abMessageE }), expect: expectOf('denied', 'denied', 'denied', 'denied') },
  ],
  'Mutation.heartbeat': [
    { name: 'ONLINE', vars: () => ({ status: 'ONLINE' }), expect: expectOf('ok', 'ok', 'denied') },
    { name: 'invalid enum value', vars: () => ({ status: 'INVISIBLE' }), expect: expectOf('invalid', 'invalid', 'denied') },
  ],

  // ---------------------------------------------------------------- subscriptions
  'Subscription.onConversationEvent': [
    { name: 'A+B', refusal: notAuthorized('onConversationEvent', 'Subscription'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    { name: 'A+B, started after the join attempt', afterJoinAttempt: true, refusal: notAuthorized('onConversationEvent', 'Subscription'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    // Delivery filters read the published event (every field, selected by the backend), not the subscriber's selection.
    {
      name: 'A+B, selection without the fields its filter reads (conversationId, type, participants)',
      omit: ['conversationId', 'type', 'participants'],
      refusal: notAuthorized('onConversationEvent', 'Subscription'),
      vars: (w) => ({ conversationId: w.ab }),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: 'own conversation', vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab }), expect: expectOf('ok', 'filtered', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAuthorized('onConversationEvent', 'Subscription'), vars: (w) => ({ conversationId: w.missing }), expect: expectOf('denied', 'denied', 'denied') },
    overHttp((w) => ({ conversationId: w.ab })),
  ],
  // Any signed-in user may subscribe; delivery is narrowed to the events whose participants list the caller.
  'Subscription.onMyConversations': [
    { name: 'no arguments', vars: () => ({}), expect: expectOf('ok', 'filtered', 'denied', 'filtered') },
    { name: 'started after the join attempt', afterJoinAttempt: true, vars: () => ({}), expect: expectOf('ok', 'filtered', 'denied', 'filtered') },
    { name: 'selection without the fields its filter reads (participants) and conversationId', omit: ['participants', 'conversationId'], vars: () => ({}), expect: expectOf('ok', 'filtered', 'denied') },
    overHttp(),
  ],
  'Subscription.onMessageSent': [
    { name: 'A+B', refusal: notAuthorized('onMessageSent', 'Subscription'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    { name: 'A+B, started after the join attempt', afterJoinAttempt: true, refusal: notAuthorized('onMessageSent', 'Subscription'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    {
      name: 'A+B, selection without sender/userId or the fields its filter reads',
      omit: ['sender', 'userId', 'conversationId', 'type', 'participants'],
      refusal: notAuthorized('onMessageSent', 'Subscription'),
      vars: (w) => ({ conversationId: w.ab }),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: 'own conversation', vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab }), expect: expectOf('ok', 'filtered', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAuthorized('onMessageSent', 'Subscription'), vars: (w) => ({ conversationId: w.missing }), expect: expectOf('denied', 'denied', 'denied') },
    overHttp((w) => ({ conversationId: w.ab })),
  ],
  'Subscription.onTyping': [
    { name: 'A+B', refusal: notAuthorized('onTyping', 'Subscription'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    { name: 'A+B, started after the join attempt', afterJoinAttempt: true, refusal: notAuthorized('onTyping', 'Subscription'), vars: (w) => ({ conversationId: w.ab }), expect: expectOf('ok', 'denied', 'denied', 'denied') },
    {
      // conversationId stays selected: a TYPING event carries nothing else of A+B's to recognise it by.
      name: 'A+B, selection without type and participants (fields its filter reads)',
      omit: ['type', 'participants'],
      refusal: notAuthorized('onTyping', 'Subscription'),
      vars: (w) => ({ conversationId: w.ab }),
      expect: expectOf('ok', 'denied', 'denied'),
    },
    { name: 'own conversation', vars: (w, caller) => ({ conversationId: caller === 'c' ? w.ca : w.ab }), expect: expectOf('ok', 'filtered', 'denied') },
    { name: 'a missing conversation (same answer)', refusal: notAuthorized('onTyping', 'Subscription'), vars: (w) => ({ conversationId: w.missing }), expect: expectOf('denied', 'denied', 'denied') },
    overHttp((w) => ({ conversationId: w.ab })),
  ],
  'Subscription.onCreateUserProfile': [{ name: 'no filter (directory)', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') }, overHttp()],
  'Subscription.onUpdateUserProfile': [
    { name: 'no filter (directory)', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') },
    { name: "owner argument = B's id", vars: (w) => ({ owner: w.users.b.sub }), expect: expectOf('ok', 'ok', 'denied') },
    overHttp(),
  ],
  'Subscription.onDeleteUserProfile': [{ name: 'no filter (directory)', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') }, overHttp()],
  'Subscription.onCreateUserPresence': [{ name: 'no filter (by design)', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') }, overHttp()],
  'Subscription.onUpdateUserPresence': [{ name: 'no filter (by design)', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') }, overHttp()],
  'Subscription.onDeleteUserPresence': [{ name: 'no filter (by design)', vars: () => ({}), expect: expectOf('ok', 'ok', 'denied') }, overHttp()],
};

// ------------------------------------------------------------------------------------------------------------------
// The sandbox and the cast
// ------------------------------------------------------------------------------------------------------------------

let env: TestSandbox;
let w: World;
let operations: Operation[];

interface CellResult {
  operation: string;
  variant: string;
  transport: 'http' | 'ws';
  role: Role;
  expected: Outcome;
  observed: Observed;
}
const results: CellResult[] = [];

/** Everything createConversation returns. */
const CREATED = '{ conversationId id name participants createdAt updatedAt lastMessageAt lastMessagePreview }';

/**
 * sendMessage selecting only `id`: what a client selects changes nothing for the subscribers. The conversation events
 * are published by the message processor through publishConversationEvent with every field selected
 * (amplify/functions/shared/documents.ts).
 */
async function sendAs(user: User, conversationId: string, content: string, clientMessageId?: string): Promise<string> {
  const answer = await graphql(env, w.users[user].accessToken, 'mutation Send($input: SendMessageInputInput!) { sendMessage(input: $input) { id } }', {
    input: { conversationId, content, ...(clientMessageId ? { clientMessageId } : {}) },
  });
  const id = (answer.json.data?.['sendMessage'] as { id?: string } | null)?.id;
  if (!id) throw new Error(`${user} could not send to ${conversationId}: ${answer.text}`);
  return id;
}

/** sendMessage of a thread reply to `threadRootId`, selecting only `id`; must succeed. */
async function replyAs(user: User, conversationId: string, threadRootId: string, content: string): Promise<string> {
  const answer = await graphql(env, w.users[user].accessToken, 'mutation Send($input: SendMessageInputInput!) { sendMessage(input: $input) { id threadRootId } }', {
    input: { conversationId, threadRootId, content },
  });
  const sent = answer.json.data?.['sendMessage'] as { id?: string; threadRootId?: string } | null;
  if (!sent?.id || sent.threadRootId !== threadRootId) throw new Error(`${user} could not reply in ${conversationId}: ${answer.text}`);
  return sent.id;
}

/** toggleReaction with `reacted: true`, selecting only `count`; must succeed. */
async function reactAs(user: User, conversationId: string, messageId: string, emoji: string, reacted = true): Promise<void> {
  const answer = await graphql(env, w.users[user].accessToken, 'mutation React($c: ID!, $m: ID!, $e: String!, $r: Boolean) { toggleReaction(conversationId: $c, messageId: $m, emoji: $e, reacted: $r) { count } }', {
    c: conversationId,
    m: messageId,
    e: emoji,
    r: reacted,
  });
  if (answer.status !== 200 || answer.json.errors) throw new Error(`${user} could not react in ${conversationId}: ${answer.text}`);
}

/** markRead, selecting only `readAt`; must succeed. */
async function readAs(user: User, conversationId: string, messageId: string): Promise<void> {
  const answer = await graphql(env, w.users[user].accessToken, 'mutation Read($c: ID!, $m: ID!) { markRead(conversationId: $c, messageId: $m) { readAt } }', { c: conversationId, m: messageId });
  if (answer.status !== 200 || answer.json.errors) throw new Error(`${user} could not mark read in ${conversationId}: ${answer.text}`);
}

/**
 * An IMAGE message of `user` in `conversationId`, as the app sends one: a PNG staged under their identity with their
 * identity pool credentials (uploads/<identity id>/…, uploader metadata), then sendMessage with its path; its id.
 */
async function photoAs(user: User, conversationId: string): Promise<string> {
  configureAmplify(env.outputs);
  await signOut();
  await signIn({ username: w.users[user].email, password: PASSWORD });
  const session = await fetchAuthSession();
  await signOut();
  if (!session.identityId || !session.credentials) throw new Error(`${user} has no identity`);
  const s3 = new S3Client({ region: 'us-east-1', endpoint: `https://${String(env.outputs.custom['storageEndpoint'])}`, forcePathStyle: true, credentials: session.credentials });
  const uploadPath = `uploads/${session.identityId}/${newId()}/photo.png`;
  await s3.send(new PutObjectCommand({ Bucket: env.outputs.storage!.bucket_name, Key: uploadPath, Body: png(4, 3), ContentType: 'image/png', Metadata: { uploader: w.users[user].sub } }));
  s3.destroy();
  const answer = await graphql(env, w.users[user].accessToken, 'mutation Send($input: SendMessageInputInput!) { sendMessage(input: $input) { id attachment { path } } }', {
    input: { conversationId, content: '', messageType: 'IMAGE', uploadPath, fileName: 'photo.png' },
  });
  const sent = answer.json.data?.['sendMessage'] as { id?: string; attachment?: { path?: string } } | null;
  if (!sent?.id || !sent.attachment?.path) throw new Error(`${user} could not send a photo to ${conversationId}: ${answer.text}`);
  return sent.id;
}

async function createConversationAs(user: User, name: string, participants: User[]): Promise<string> {
  const answer = await graphql(env, w.users[user].accessToken, `mutation Create($input: NewConversationInput!) { createConversation(input: $input) ${CREATED} }`, {
    input: { name, participants: participants.map((p) => w.users[p].sub) },
  });
  const id = (answer.json.data?.['createConversation'] as { id?: string } | null)?.id;
  if (!id) throw new Error(`${user} could not create ${name}: ${answer.text}`);
  return id;
}

const tableOf = (model: string): string => modelTable(env, model);

/** A fresh group A owns with `members` (the membership cells change it, never A+B). */
const freshGroup = (members: User[]): Promise<string> => createConversationAs('a', mark('members-group'), members);
/** A fresh 1:1 of A and B (two people, no name: DIRECT). */
const freshDirect = (): Promise<string> => createConversationAs('a', '', ['a', 'b']);

/** A write by a backend function's IAM identity (an operator action); must succeed. */
async function asOperator(query: string, variables: Record<string, unknown>): Promise<void> {
  const answer = await graphqlAsFunction(env, 'message-processor', query, variables);
  if (answer.status !== 200 || answer.json.errors) throw new Error(`operator call failed: ${answer.text}`);
}

const checked = <T>(answer: GraphQLAnswer, field: string): T => {
  if (answer.status !== 200 || answer.json.errors) throw new Error(`${field} failed: ${answer.text}`);
  return answer.json.data![field] as T;
};

/** Epoch ms before the sandbox started: every stored createdAt is the server's clock after it. */
let suiteStart = 0;

beforeAll(async () => {
  suiteStart = Date.now();
  env = await startTestSandbox();
  const emails: Record<User, string> = { a: 'ann.matrix@example.com', b: 'bob.matrix@example.com', c: 'cat.matrix@example.com', d: 'dan.matrix@example.com', e: 'eve.removed.matrix@example.com' };
  for (const user of ['a', 'b', 'c', 'e'] as const) await signUpUser(env, emails[user]);
  await adminCreateUser(env, emails.d);
  const users = {} as Record<User, SignedInUser>;
  for (const user of ['a', 'b', 'c', 'd', 'e'] as const) users[user] = await signInUser(env, emails[user]);
  w = { users, ab: '', ca: '', bSolo: '', abMessageA: '', abMessageB: '', caMessageC: '', missing: '00000000-0000-4000-8000-000000000000', abMessageE: '', eSolo: '', removedAt: '', abReplyB: '', abReplyAfterRemoval: '', caReplyA: '', abPhotoA: '' };

  // E is a participant of A+B at first: she sends, reacts and reads there, then A removes her (below).
  w.ab = await createConversationAs('a', mark('ab-name'), ['a', 'b', 'd', 'e']);
  w.eSolo = await createConversationAs('e', 'E alone', ['e']);
  w.ca = await createConversationAs('c', 'C and A', ['c', 'a']);
  w.bSolo = await createConversationAs('b', 'B alone', ['b']);
  w.abMessageA = await sendAs('a', w.ab, mark('ab-message-from-a'), mark('ab-client-id'));
  w.abMessageB = await sendAs('b', w.ab, mark('ab-message-from-b'));
  w.caMessageC = await sendAs('c', w.ca, 'C says hi to A');
  markAll(w.ab, w.abMessageA, w.abMessageB, users.d.sub);
  w.abReplyB = await replyAs('b', w.ab, w.abMessageA, mark('ab-thread-reply-from-b'));
  w.caReplyA = await replyAs('a', w.ca, w.caMessageC, 'A answers C in a thread');
  markAll(w.abReplyB);
  await reactAs('b', w.ab, w.abMessageA, '👍');
  await reactAs('c', w.ca, w.caMessageC, '👀');
  await readAs('a', w.ab, w.abMessageB);
  await readAs('b', w.ab, w.abMessageA);
  await readAs('c', w.ca, w.caMessageC);
  w.abMessageE = await sendAs('e', w.ab, mark('ab-message-from-e'));
  w.abPhotoA = await photoAs('a', w.ab);
  markAll(w.abPhotoA);
  await reactAs('e', w.ab, w.abMessageA, '👀');
  await readAs('e', w.ab, w.abMessageB);
  const removed = checked<{ at: string; participants: string[] }>(
    await graphql(env, users.a.accessToken, 'mutation Remove($c: ID!, $u: String!) { removeMember(conversationId: $c, userId: $u) { at participants } }', { c: w.ab, u: users.e.sub }),
    'removeMember',
  );
  w.removedAt = removed.at;
  // From here on, whatever is marked is A+B data E must never receive (the leak check below).
  for (const marker of markers) knownToE.add(marker);
  w.abReplyAfterRemoval = await replyAs('a', w.ab, w.abMessageA, mark('ab-thread-reply-after-removal'));
  markAll(w.abReplyAfterRemoval);
  checked(await graphql(env, users.a.accessToken, 'mutation { heartbeat(status: ONLINE) { id } }'), 'heartbeat');

  const schema = buildAppSyncSchema(env.sandbox.description.api.schema);
  operations = operationsOf(schema);
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

// ------------------------------------------------------------------------------------------------------------------
// Running cells
// ------------------------------------------------------------------------------------------------------------------

const callerOf = (variant: Variant, role: Role, transport: 'http' | 'ws'): User | undefined =>
  role === 'participant' ? (variant.participant ?? (transport === 'ws' ? 'b' : 'a')) : role === 'nonParticipant' ? 'c' : role === 'removed' ? 'e' : undefined;

const transportOf = (operation: Operation, variant: Variant): 'http' | 'ws' => variant.transport ?? (operation.kind === 'subscription' ? 'ws' : 'http');

type Item = Record<string, unknown>;
const containsAbData = (value: unknown): boolean => [...markers].some((m) => JSON.stringify(value).includes(m));

/** What an HTTP answer amounts to. `pages` are the answers of one list walked through its nextTokens. */
function classifyHttp(operation: Operation, pages: GraphQLAnswer[], callerSub: string | undefined): Observed {
  const first = pages[0]!;
  if (first.status === 401) return JSON.stringify(first.json) === JSON.stringify(UNAUTHORIZED_BODY) ? 'denied' : `unexpected: 401 ${first.text}`;
  if (first.status !== 200) return `unexpected: ${first.status} ${first.text.slice(0, 200)}`;
  const errors = pages.flatMap((page) => page.json.errors ?? []);
  if (errors.length > 0) {
    const error = errors[0]!;
    const value = first.json.data?.[operation.field];
    if (value !== null && value !== undefined) return `unexpected: data and an error (${error.errorType ?? 'no type'}: ${error.message})`;
    if (error.errorType === 'Unauthorized') return 'denied';
    if (error.errorType === 'Lambda:Unhandled' && error.message.startsWith('Unauthorized:')) return 'denied';
    // toggleReaction's answer for a message outside the named conversation: denied, and only with the cell's refusal.
    if (error.errorType === 'Lambda:Unhandled' && error.message.startsWith('NotFound:')) return 'denied';
    if (!error.errorType && error.path === null && (first.json.data === null || first.json.data === undefined)) return 'invalid';
    if (error.errorType === 'Lambda:Unhandled' && /^(ValidationError|Conflict):/.test(error.message)) return 'rejected';
    if (error.errorType?.startsWith('DynamoDB:ConditionalCheckFailed')) return 'rejected';
    return `unexpected: ${error.errorType ?? 'no type'}: ${error.message}`;
  }
  const values = pages.map((page) => page.json.data?.[operation.field]);
  // A plain list (getAttachmentUrls): empty when it has no element.
  if (Array.isArray(values[0])) return values[0].length === 0 ? 'empty' : 'ok';
  if (!isConnection(operation)) return values[0] === null || values[0] === undefined ? 'empty' : 'ok';
  const items = values.flatMap((value) => ((value as { items?: Item[] } | null)?.items ?? []).filter((item) => item !== null));
  if (items.length === 0) return 'empty';
  if (items.some(containsAbData)) return 'ok';
  // Records without owners (the directory, presence) are everyone's.
  const itemType = getNamedType((getNamedType(operation.definition.type) as GraphQLObjectType).getFields()['items']!.type) as GraphQLObjectType;
  if (!('participants' in itemType.getFields())) return 'ok';
  const own = (item: Item): boolean => !('participants' in item) || (Array.isArray(item['participants']) && (item['participants'] as unknown[]).includes(callerSub));
  if (!items.every(own)) return 'unexpected: an item the caller is not in';
  return 'filtered';
}

async function runHttpCell(operation: Operation, variant: Variant, role: Role): Promise<Observed> {
  const caller = callerOf(variant, role, 'http');
  const token = caller ? w.users[caller].accessToken : undefined;
  const variables = await variant.vars(w, caller, role);
  const pages: GraphQLAnswer[] = [];
  let nextToken: string | null | undefined;
  // Lists are walked to the end (post-filter pagination may give empty pages with a token); bounded.
  for (let page = 0; page < 25; page++) {
    const pageVariables = nextToken ? { ...variables, nextToken } : variables;
    const query = documentFor(operation, pageVariables, { omit: variant.omit });
    const body = JSON.stringify({ query, variables: pageVariables });
    const answer = await graphql(env, token, query, pageVariables);
    exchanges.push({ role, label: `${operation.key} / ${variant.name}`, sent: body, received: answer.text });
    pages.push(answer);
    nextToken = isConnection(operation) ? (answer.json.data?.[operation.field] as { nextToken?: string | null } | null)?.nextToken : undefined;
    if (!nextToken) break;
  }
  if (nextToken) return 'unexpected: still a nextToken after 25 pages';
  const observed = classifyHttp(operation, pages, caller ? w.users[caller].sub : undefined);
  if ((observed === 'denied' || observed === 'rejected') && caller && variant.refusal) return refusedAs(observed, variant.refusal(variables), pages[0]!.json.errors?.[0]);
  if (observed === 'ok' && caller && variant.returns) {
    const problem = variant.returns(pages[0]!.json.data![operation.field] as Item, w, caller);
    if (problem) return `unexpected: ${problem}`;
  }
  return observed;
}

/** `outcome` if a signed-in caller's refusal is exactly `expected`, else what it was. */
function refusedAs(outcome: 'denied' | 'rejected', expected: { errorType: string; message: string }, error: { errorType?: string | null; message: string } | undefined): Observed {
  if (error?.errorType === expected.errorType && error.message === expected.message) return outcome;
  return `unexpected: refused with ${error?.errorType ?? 'no type'}: ${error?.message ?? 'no error'}`;
}

/** Whether a participants list (owner entries `<sub>::<username>` or plain ids) names `sub`. */
const listsCaller = (participants: unknown[], sub: string): boolean => participants.some((entry) => typeof entry === 'string' && (entry === sub || entry.split('::')[0] === sub));

/** The values a subscription delivered (its data frames' root field). */
const deliveredValues = (socket: RealtimeSocket, id: string, field: string): (Item | null)[] =>
  socket.framesOf(id).map((frame) => ((frame.payload?.['data'] ?? {}) as Record<string, Item | null>)[field] ?? null);

/** What an acknowledged subscription's deliveries (before the fence) amount to. */
function classifyDeliveries(operation: Operation, socket: RealtimeSocket, id: string, callerSub: string | undefined): Observed {
  const frames = socket.framesOf(id);
  if (frames.length === 0) return 'silent';
  if (!frames.every((f) => f.type === 'data')) return `unexpected: ${frames.map((f) => f.type).join(',')}`;
  const values = deliveredValues(socket, id, operation.field);
  if (callerSub && values.some((v) => Array.isArray(v?.['participants']) && !listsCaller(v['participants'] as unknown[], callerSub))) return 'unexpected: an event the caller is not in';
  if (values.some(containsAbData)) return 'ok';
  // Records without owners (the directory, presence) are everyone's; events and records with participants are the caller's own.
  return 'participants' in (getNamedType(operation.definition.type) as GraphQLObjectType).getFields() ? 'filtered' : 'ok';
}

/** The subscriptions of publishConversationEvent. */
const EVENT_SUBSCRIPTIONS = ['onConversationEvent', 'onMyConversations', 'onMessageSent', 'onTyping'];

function record(operation: Operation, variant: Variant, transport: 'http' | 'ws', role: Role, observed: Observed): void {
  results.push({ operation: operation.key, variant: variant.name, transport, role, expected: variant.expect[role]!, observed });
}

const mismatches = (keys: (key: string) => boolean): string[] =>
  results.filter((r) => keys(r.operation) && r.observed !== r.expected).map((r) => `${r.operation} / ${r.variant} / ${r.transport} / ${r.role}: expected ${r.expected}, got ${r.observed}`);

// ------------------------------------------------------------------------------------------------------------------
// The tests
// ------------------------------------------------------------------------------------------------------------------

describe('authorization matrix', () => {
  it('covers exactly the operations of the synthesized schema, which the running sandbox serves', async () => {
    const generated = operations.map((o) => o.key);
    const missing = generated.filter((key) => !(key in MATRIX));
    const stale = Object.keys(MATRIX).filter((key) => !generated.includes(key));
    expect(missing, 'operations without an expectation: add them to MATRIX').toEqual([]);
    expect(stale, 'expectations for operations the schema no longer has').toEqual([]);
    // The schema the sandbox serves (introspection) has the same root fields as the synthesized description.
    const introspection = await graphql(env, w.users.a.accessToken, '{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }');
    const served = introspection.json.data?.['__schema'] as Record<string, { fields: { name: string }[] }>;
    const servedKeys = [
      ...served['queryType']!.fields.map((f) => `Query.${f.name}`),
      ...served['mutationType']!.fields.map((f) => `Mutation.${f.name}`),
      ...served['subscriptionType']!.fields.map((f) => `Subscription.${f.name}`),
    ];
    expect(servedKeys.sort()).toEqual([...generated].sort());
    expect(generated.length).toBeGreaterThanOrEqual(33);
  });

  it('HTTP: queries, list and index queries', async () => {
    for (const operation of operations.filter((o) => o.kind === 'query')) {
      for (const variant of MATRIX[operation.key] ?? []) {
        for (const role of rolesOf(variant)) record(operation, variant, 'http', role, await runHttpCell(operation, variant, role));
      }
    }
    expect(mismatches((key) => key.startsWith('Query.'))).toEqual([]);
  });

  it('HTTP: mutations, custom operations, and subscriptions sent over HTTP', async () => {
    for (const operation of operations.filter((o) => o.kind !== 'query')) {
      for (const variant of (MATRIX[operation.key] ?? []).filter((v) => transportOf(operation, v) === 'http' && !v.duringEvents)) {
        for (const role of rolesOf(variant)) record(operation, variant, 'http', role, await runHttpCell(operation, variant, role));
      }
    }
    expect(mismatches((key) => !key.startsWith('Query.') && results.some((r) => r.operation === key && r.transport === 'http'))).toEqual([]);
  });

  it('real-time: subscriptions of a participant, a non-participant and a signed-out caller, before and after a join attempt; forged publishes reach nobody', async () => {
    const sockets = {
      a: await RealtimeSocket.connect(env, w.users.a.accessToken),
      b: await RealtimeSocket.connect(env, w.users.b.accessToken),
      c: await RealtimeSocket.connect(env, w.users.c.accessToken),
      d: await RealtimeSocket.connect(env, w.users.d.accessToken),
      e: await RealtimeSocket.connect(env, w.users.e.accessToken),
    };
    interface Started {
      operation: Operation;
      variant: Variant;
      role: Role;
      caller: User | undefined;
      variables: Record<string, unknown>;
      socket: RealtimeSocket;
      id: string;
      answer: Frame;
    }
    const started: Started[] = [];
    let sequence = 0;
    const startCells = async (afterJoinAttempt: boolean): Promise<void> => {
      for (const operation of operations.filter((o) => o.kind === 'subscription')) {
        for (const variant of (MATRIX[operation.key] ?? []).filter((v) => transportOf(operation, v) === 'ws' && (v.afterJoinAttempt ?? false) === afterJoinAttempt)) {
          for (const role of rolesOf(variant)) {
            const caller = callerOf(variant, role, 'ws');
            const socket = sockets[caller === 'a' || caller === 'b' || caller === 'e' ? caller : 'c'];
            const variables = await variant.vars(w, caller, role);
            const query = documentFor(operation, variables, { omit: variant.omit });
            // Signed out: a start without a token, on C's open connection (a socket cannot even open without one).
            const authorization = caller ? userHeader(env, w.users[caller].accessToken) : { host: apiHost(env) };
            const id = `${operation.field}-${++sequence}-${role}`;
            const answer = await socket.start(id, query, variables, authorization);
            started.push({ operation, variant, role, caller, variables, socket, id, answer });
          }
        }
      }
    };

    await startCells(false);

    // C tries to join A+B: membership is fixed at creation and changed only by an operator; no client path reaches it.
    // The model mutations are gone (a validation error: nothing runs), createConversation takes no id, and a new
    // conversation listing A+B's members is a new conversation, with C in it and A+B unchanged.
    const attempts = [
      ['mutation Join($input: UpdateConversationInput!) { updateConversation(input: $input) { id participants } }', { input: { id: w.ab, participants: [w.users.a.sub, w.users.b.sub, w.users.d.sub, w.users.c.sub] } }],
      ['mutation Take($input: NewConversationInput!) { createConversation(input: $input) { id participants } }', { input: { id: w.ab, participants: [w.users.c.sub, w.users.a.sub, w.users.b.sub, w.users.d.sub] } }],
    ] as const;
    for (const [query, variables] of attempts) {
      const answer = await graphql(env, w.users.c.accessToken, query, variables);
      exchanges.push({ role: 'nonParticipant', label: 'join attempt', sent: JSON.stringify({ query, variables }), received: answer.text });
      expect(answer.status).toBe(200);
      expect(answer.json.data ?? null).toBeNull();
      expect(answer.json.errors?.length).toBeGreaterThan(0);
      for (const error of answer.json.errors ?? []) expect(error, query).toMatchObject({ path: null, message: expect.stringMatching(/updateConversation|UpdateConversationInput|NewConversationInput/) });
      expect((answer.json.errors ?? []).every((error) => !error.errorType)).toBe(true);
    }
    const lookalikeQuery = `mutation Lookalike($input: NewConversationInput!) { createConversation(input: $input) ${CREATED} }`;
    const lookalikeVariables = { input: { name: 'let me in', participants: [w.users.a.sub, w.users.b.sub] } };
    const lookalike = await graphql(env, w.users.c.accessToken, lookalikeQuery, lookalikeVariables);
    exchanges.push({ role: 'nonParticipant', label: 'join attempt (a lookalike conversation)', sent: JSON.stringify({ query: lookalikeQuery, variables: lookalikeVariables }), received: lookalike.text });
    expect(createdFor(checked<Item>(lookalike, 'createConversation'), [w.users.a.sub, w.users.b.sub, w.users.c.sub])).toBeNull();

    await startCells(true);

    // Fences: a subscription per socket that its user may hold, fed last by a typing event (which publishes nothing
    // but a TYPING event to that conversation's participants).
    const fenceQuery = 'subscription Fence($conversationId: ID!) { onTyping(conversationId: $conversationId) { conversationId userId typing at } }';
    const fences = [
      { socket: sockets.a, user: 'a' as const, conversation: w.ca, id: 'fence-a' },
      { socket: sockets.b, user: 'b' as const, conversation: w.bSolo, id: 'fence-b' },
      { socket: sockets.c, user: 'c' as const, conversation: w.ca, id: 'fence-c' },
      { socket: sockets.d, user: 'd' as const, conversation: w.ab, id: 'fence-d' },
      { socket: sockets.e, user: 'e' as const, conversation: w.eSolo, id: 'fence-e' },
    ];
    for (const fence of fences) {
      expect((await fence.socket.start(fence.id, fenceQuery, { conversationId: fence.conversation }, userHeader(env, w.users[fence.user].accessToken))).type).toBe('start_ack');
    }
    // Witnesses of the forged publishes: every conversation event for A and for D (B's and C's are matrix cells). Each
    // forged event names at least one of A, B, C and D among its participants.
    const witnessQuery = 'subscription Witness { onMyConversations { conversationId type userId at messageId id sender content clientMessageId typing name participants } }';
    for (const user of ['a', 'd'] as const) {
      expect((await sockets[user].start(`witness-${user}`, witnessQuery, undefined, userHeader(env, w.users[user].accessToken))).type).toBe('start_ack');
    }

    // The events, each of which the participant's subscriptions must see. A's calls select only `id`/`at`: the
    // backend publishes every event with all its fields, whatever the client selected.
    const typingQuery = 'mutation Typing($c: ID!, $t: Boolean!) { sendTyping(conversationId: $c, typing: $t) { at } }';
    const sentLive = await sendAs('a', w.ab, mark('live-message'), mark('live-client-id')); // MESSAGE_SENT
    checked(await graphql(env, w.users.a.accessToken, 'mutation Edit($m: ID!, $c: String!) { editMessage(messageId: $m, content: $c) { id } }', { m: sentLive, c: mark('live-edit') }), 'editMessage'); // MESSAGE_EDITED
    const doomed = await sendAs('a', w.ab, mark('live-doomed'));
    checked(await graphql(env, w.users.a.accessToken, 'mutation Remove($m: ID!) { removeMessage(messageId: $m) { id } }', { m: doomed }), 'removeMessage'); // MESSAGE_DELETED
    const typed = checked<{ at: string }>(await graphql(env, w.users.a.accessToken, typingQuery, { c: w.ab, t: true }), 'sendTyping'); // TYPING
    await reactAs('a', w.ab, w.abMessageB, '🙏'); // REACTION
    await readAs('a', w.ab, sentLive); // READ
    const second = await createConversationAs('a', mark('second-abd'), ['a', 'b', 'd']); // CONVERSATION_CREATED (onMyConversations)
    markAll(sentLive, doomed, second);
    const emailE = 'eve.matrix@example.com';
    await signUpUser(env, emailE); // PostConfirmation → createUserProfile (onCreateUserProfile)
    const e = await signInUser(env, emailE);
    checked(await graphql(env, e.accessToken, 'mutation { heartbeat(status: ONLINE) { id } }'), 'heartbeat'); // onCreateUserPresence
    checked(await graphql(env, w.users.b.accessToken, 'mutation Me($input: UpdateUserProfileInput!) { updateUserProfile(input: $input) { id displayName email owner createdAt updatedAt } }', { input: { id: w.users.b.sub, displayName: 'Bob, live' } }), 'updateUserProfile');
    checked(await graphql(env, w.users.a.accessToken, 'mutation { heartbeat(status: AWAY) { id } }'), 'heartbeat'); // onUpdateUserPresence
    await asOperator('mutation DropPresence($input: DeleteUserPresenceInput!) { deleteUserPresence(input: $input) { id owner status lastSeen createdAt updatedAt } }', { input: { id: e.sub } });
    await asOperator('mutation DropProfile($input: DeleteUserProfileInput!) { deleteUserProfile(input: $input) { id displayName email owner createdAt updatedAt } }', { input: { id: e.sub } });

    // Forged publishes by every role, while all of the above is subscribed: each refused, none delivered (checked below).
    for (const operation of operations) {
      for (const variant of (MATRIX[operation.key] ?? []).filter((v) => v.duringEvents)) {
        for (const role of rolesOf(variant)) record(operation, variant, 'http', role, await runHttpCell(operation, variant, role));
      }
    }

    // C's own events, before the fences: what C's `filtered` cells receive (C+A's participants, nothing of A+B).
    checked(await graphql(env, w.users.c.accessToken, typingQuery, { c: w.ca, t: true }), 'sendTyping');
    await sendAs('c', w.ca, 'C writes to A during the matrix');

    // Fence each socket: everything delivered for the events above came before these frames. A+B's fence (for D) goes
    // first, so that C's fence also comes after it on C's socket.
    const fenceAb = checked<{ at: string }>(await graphql(env, w.users.a.accessToken, typingQuery, { c: w.ab, t: false }), 'sendTyping');
    const fenceCa = checked<{ at: string }>(await graphql(env, w.users.c.accessToken, typingQuery, { c: w.ca, t: false }), 'sendTyping');
    const fenceB = checked<{ at: string }>(await graphql(env, w.users.b.accessToken, typingQuery, { c: w.bSolo, t: false }), 'sendTyping');
    const fenceE = checked<{ at: string }>(await graphql(env, w.users.e.accessToken, typingQuery, { c: w.eSolo, t: false }), 'sendTyping');
    await sockets.d.waitForData('fence-d', (frame) => JSON.stringify(frame).includes(fenceAb.at));
    await sockets.a.waitForData('fence-a', (frame) => JSON.stringify(frame).includes(fenceCa.at));
    await sockets.c.waitForData('fence-c', (frame) => JSON.stringify(frame).includes(fenceCa.at));
    await sockets.b.waitForData('fence-b', (frame) => JSON.stringify(frame).includes(fenceB.at));
    await sockets.e.waitForData('fence-e', (frame) => JSON.stringify(frame).includes(fenceE.at));

    for (const cell of started) {
      let observed: Observed;
      if (cell.answer.type === 'error') {
        const error = frameErrors(cell.answer)[0];
        if (error?.errorType === 'Unauthorized' || error?.errorType === 'UnauthorizedException') observed = cell.caller && cell.variant.refusal ? refusedAs('denied', cell.variant.refusal(cell.variables), error) : 'denied';
        else if (error && !error.errorType) observed = 'invalid';
        else observed = `unexpected: ${JSON.stringify(cell.answer.payload)}`;
        if (cell.socket.framesOf(cell.id).length > 0) observed = 'unexpected: data after an error frame';
      } else if (cell.answer.type === 'start_ack') observed = classifyDeliveries(cell.operation, cell.socket, cell.id, cell.caller ? w.users[cell.caller].sub : undefined);
      else observed = `unexpected: ${JSON.stringify(cell.answer)}`;
      record(cell.operation, cell.variant, 'ws', cell.role, observed);
    }

    // What the participant's conversation-event subscriptions delivered: the right events, with the right contents.
    for (const cell of started.filter((s) => s.role === 'participant' && s.answer.type === 'start_ack' && EVENT_SUBSCRIPTIONS.includes(s.operation.field))) {
      const label = `${cell.operation.key} / ${cell.variant.name}`;
      const values = deliveredValues(cell.socket, cell.id, cell.operation.field).filter((v): v is Item => v !== null);
      const text = JSON.stringify(values);
      const messageEvents = values.filter((v) => v['messageId'] !== null);
      if ('type' in (values[0] ?? {})) {
        const types = new Set(values.map((v) => v['type']));
        if (cell.operation.field === 'onMessageSent') expect([...types], label).toEqual(['MESSAGE_SENT']);
        else if (cell.operation.field === 'onTyping') expect([...types], label).toEqual(['TYPING']);
        else if (cell.operation.field === 'onMyConversations') expect([...types].sort(), label).toEqual(['CONVERSATION_CREATED', 'MESSAGE_DELETED', 'MESSAGE_EDITED', 'MESSAGE_SENT', 'REACTION', 'READ', 'TYPING']);
        else expect([...types].sort(), label).toEqual(['MESSAGE_DELETED', 'MESSAGE_EDITED', 'MESSAGE_SENT', 'REACTION', 'READ', 'TYPING']);
        // A's reaction to B's message: its emoji, A among its users, no content.
        const reactions = values.filter((v) => v['type'] === 'REACTION' && v['messageId'] === w.abMessageB && v['emoji'] === '🙏');
        if (['onMyConversations', 'onConversationEvent'].includes(cell.operation.field) && !cell.variant.omit?.length) expect(reactions, label).toEqual([expect.objectContaining({ userId: w.users.a.sub, content: null, reacted: true, reactionUsers: [w.users.a.sub], reactionCount: 1 })]);
        // A's read point moved to A's live message: who, which message and when it was created, no content.
        const reads = values.filter((v) => v['type'] === 'READ' && v['messageId'] === sentLive);
        if (['onMyConversations', 'onConversationEvent'].includes(cell.operation.field) && !cell.variant.omit?.length) expect(reads, label).toEqual([expect.objectContaining({ userId: w.users.a.sub, content: null, readAt: expect.any(String) })]);
      }
      if (cell.operation.field === 'onMyConversations') {
        // The conversation A created with B and D, announced to its participants: its name, no message.
        const announced = values.filter((v) => v['type'] === 'CONVERSATION_CREATED' && v['name'] === mark('second-abd'));
        expect(announced, label).toEqual([expect.objectContaining({ userId: w.users.a.sub, messageId: null, content: null, typing: null })]);
      }
      if (cell.operation.field === 'onTyping') {
        expect(messageEvents, label).toEqual([]);
        expect(values.map((v) => v['at']), label).toContain(typed.at);
        continue;
      }
      expect(text, label).toContain(mark('live-message'));
      expect(text, label).toContain(mark('live-doomed'));
      if (cell.operation.field === 'onMessageSent') {
        // Neither the edit nor the removal, and no typing: every event is a message as sent.
        expect(text, label).not.toContain(mark('live-edit'));
        expect(values.every((v) => v['messageId'] !== null && v['content'] !== null && v['typing'] === null), label).toBe(true);
        continue;
      }
      expect(text, label).toContain(mark('live-edit'));
      expect(values.map((v) => v['at']), label).toContain(typed.at);
      // The removal carries the message's id and no content: its text is not delivered again.
      const removal = values.filter((v) => v['messageId'] === doomed && v['content'] === null);
      expect(removal, label).toHaveLength(1);
      expect(JSON.stringify(removal), label).not.toContain(mark('live-doomed'));
    }

    // No forged event reached anyone: not C, not the participants, not the witnesses.
    for (const [user, socket] of Object.entries(sockets)) {
      const received = socket.received.join('\n');
      expect([...forgeries].filter((forgery) => received.includes(forgery)), `forged strings received by ${user}`).toEqual([]);
    }
    expect(forgeries.size).toBeGreaterThanOrEqual(3 * 6);
    // The witnesses did receive the real events (so their silence about forgeries means something).
    expect(JSON.stringify(sockets.a.framesOf('witness-a'))).toContain(mark('live-edit'));
    expect(JSON.stringify(sockets.d.framesOf('witness-d'))).toContain(typed.at);

    exchanges.push({ role: 'nonParticipant', label: "C's socket (and the signed-out starts on it)", sent: sockets.c.sent.join('\n'), received: sockets.c.received.join('\n') });
    exchanges.push({ role: 'removed', label: "E's socket", sent: sockets.e.sent.join('\n'), received: sockets.e.received.join('\n') });
    for (const user of ['a', 'b', 'd'] as const) exchanges.push({ role: 'participant', label: `${user}'s socket`, sent: sockets[user].sent.join('\n'), received: sockets[user].received.join('\n') });
    for (const socket of Object.values(sockets)) socket.close();
    expect(mismatches((key) => key === 'Mutation.publishConversationEvent' || (key.startsWith('Subscription.') && results.some((r) => r.operation === key && r.transport === 'ws')))).toEqual([]);
  });
});

describe('membership changed by an operator (DynamoDB UpdateItem on the conversation item), as docs/data-model.md describes', () => {
  it('a removed member: new subscriptions and reads are refused, and every subscription opened before stops delivering at once (new messages, typing, edits and removals of older ones)', async () => {
    const ops = await createConversationAs('a', mark('operator-changed'), ['a', 'b', 'd']);
    const socket = await RealtimeSocket.connect(env, w.users.b.accessToken);
    const header = userHeader(env, w.users.b.accessToken);
    const EVENT = '{ conversationId type userId at messageId content participants }';
    const queries = {
      sent: `subscription Sent($c: ID!) { onMessageSent(conversationId: $c) ${EVENT} }`,
      typing: `subscription Typing($c: ID!) { onTyping(conversationId: $c) ${EVENT} }`,
      events: `subscription Events($c: ID!) { onConversationEvent(conversationId: $c) ${EVENT} }`,
      mine: `subscription Mine { onMyConversations ${EVENT} }`,
    };
    const variablesOf = (name: keyof typeof queries) => (name === 'mine' ? undefined : { c: ops });
    for (const name of Object.keys(queries) as (keyof typeof queries)[]) {
      expect((await socket.start(`${name}-before`, queries[name], variablesOf(name), header)).type, name).toBe('start_ack');
    }
    // The Message model has no subscriptions any more: subscribing to onCreateMessage is a validation error (the
    // operation does not exist; nothing is started).
    const created = await socket.start('created-before', 'subscription Created { onCreateMessage { id content conversationId } }', undefined, header);
    expect(created.type).toBe('error');
    expect(frameErrors(created)).toEqual([{ message: expect.stringMatching(/\bonCreateMessage\b/) }]);
    expect((await socket.start('fence', 'subscription F($c: ID!) { onTyping(conversationId: $c) { at } }', { c: w.bSolo }, header)).type).toBe('start_ack');
    // D stays a member: the control that deliveries go on for the remaining participants.
    const stayer = await RealtimeSocket.connect(env, w.users.d.accessToken);
    const stayerHeader = userHeader(env, w.users.d.accessToken);
    for (const name of ['sent', 'typing', 'events', 'mine'] as const) {
      expect((await stayer.start(name, queries[name], variablesOf(name), stayerHeader)).type, name).toBe('start_ack');
    }
    const typingQuery = 'mutation T($c: ID!) { sendTyping(conversationId: $c, typing: true) { at } }';

    // Before the removal B receives the conversation's messages and typing on each (so silence afterwards means something).
    const beforeRemoval = mark('before-removal');
    const oldMessage = await sendAs('a', ops, beforeRemoval);
    const typedBefore = checked<{ at: string }>(await graphql(env, w.users.a.accessToken, typingQuery, { c: ops }), 'sendTyping');
    for (const id of ['sent-before', 'events-before', 'mine-before']) await socket.waitForData(id, (frame) => JSON.stringify(frame).includes(beforeRemoval));
    for (const id of ['typing-before', 'events-before', 'mine-before']) await socket.waitForData(id, (frame) => JSON.stringify(frame).includes(typedBefore.at));

    // The operator removes B (clients cannot: see the matrix, and no mutation changes participants), by editing the
    // conversation item in DynamoDB. Messages carry the participants of their send time.
    await env.sandbox.dynamodb.send(
      new UpdateItemCommand({
        TableName: tableOf('Conversation'),
        Key: { id: { S: ops } },
        UpdateExpression: 'SET participants = :participants',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':participants': { L: [entryOf(w, 'a'), entryOf(w, 'd')].map((entry) => ({ S: entry })) } },
      }),
    );
    for (const [name, field] of [['sent', 'onMessageSent'], ['typing', 'onTyping'], ['events', 'onConversationEvent']] as const) {
      expect(frameErrors(await socket.start(`${name}-after`, queries[name], variablesOf(name), header))).toEqual([{ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type Subscription` }]);
    }
    // Any signed-in user may subscribe to onMyConversations; it delivers nothing of it.
    expect((await socket.start('mine-after', queries.mine, undefined, header)).type).toBe('start_ack');
    const afterRemoval = mark('after-removal');
    const afterRemovalId = await sendAs('a', ops, afterRemoval);
    const typed = checked<{ at: string }>(await graphql(env, w.users.a.accessToken, typingQuery, { c: ops }), 'sendTyping');
    for (const id of ['sent', 'events', 'mine']) await stayer.waitForData(id, (frame) => JSON.stringify(frame).includes(afterRemoval));
    for (const id of ['typing', 'events', 'mine']) await stayer.waitForData(id, (frame) => JSON.stringify(frame).includes(typed.at));
    // A reacts to the message B received before the removal: D hears of it, B does not, and cannot read it.
    await reactAs('a', ops, oldMessage, '🎉');
    for (const id of ['events', 'mine']) await stayer.waitForData(id, (frame) => JSON.stringify(frame).includes('REACTION') && JSON.stringify(frame).includes(oldMessage));
    // A reads the message sent after the removal: D hears of it, B does not, and cannot read A's read point.
    await readAs('a', ops, afterRemovalId);
    for (const id of ['events', 'mine']) await stayer.waitForData(id, (frame) => JSON.stringify(frame).includes('"READ"') && JSON.stringify(frame).includes(afterRemovalId));
    // A edits, then removes, the message B received before the removal: its readers still in the conversation (D) hear
    // of it; B, no longer a member, does not.
    const editedAfterRemoval = mark('edited-after-removal');
    checked(await graphql(env, w.users.a.accessToken, 'mutation E($m: ID!, $c: String!) { editMessage(messageId: $m, content: $c) { id } }', { m: oldMessage, c: editedAfterRemoval }), 'editMessage');
    checked(await graphql(env, w.users.a.accessToken, 'mutation R($m: ID!) { removeMessage(messageId: $m) { id } }', { m: oldMessage }), 'removeMessage');
    for (const id of ['events', 'mine']) {
      await stayer.waitForData(id, (frame) => JSON.stringify(frame).includes(editedAfterRemoval));
      await stayer.waitForData(id, (frame) => JSON.stringify(frame).includes('MESSAGE_DELETED') && JSON.stringify(frame).includes(oldMessage));
    }
    // B may not send typing there any more (checked on every call).
    const refusedTyping = await graphql(env, w.users.b.accessToken, typingQuery, { c: ops });
    expect(refusedTyping.json.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: `Unauthorized: not a participant of conversation ${ops}` });
    // Nor react there (checked on every call).
    const refusedReaction = await graphql(env, w.users.b.accessToken, 'mutation R($c: ID!, $m: ID!) { toggleReaction(conversationId: $c, messageId: $m, emoji: "👍") { count } }', { c: ops, m: oldMessage });
    expect(refusedReaction.json.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: `Unauthorized: not a participant of conversation ${ops}` });
    // Nor mark read there, not even a message sent while B was a member (checked on every call).
    const refusedRead = await graphql(env, w.users.b.accessToken, 'mutation M($c: ID!, $m: ID!) { markRead(conversationId: $c, messageId: $m) { readAt } }', { c: ops, m: oldMessage });
    expect(refusedRead.json.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: `Unauthorized: not a participant of conversation ${ops}` });
    const fence = checked<{ at: string }>(await graphql(env, w.users.b.accessToken, typingQuery, { c: w.bSolo }), 'sendTyping');
    await socket.waitForData('fence', (frame) => JSON.stringify(frame).includes(fence.at));

    // The event subscriptions were authorized at start, but their delivery filters require the caller among the
    // event's participants (the conversation's as they are now; for an edit or a removal, the message's readers still
    // in it): from the removal on, no new message, no typing and no edit or removal of an older message reaches any
    // subscription B opened before, nor the onMyConversations B opened after.
    const ofOps = (id: string) => socket.framesOf(id).filter((frame) => JSON.stringify(frame).includes(ops));
    expect(ofOps('sent-before')).toEqual([expect.objectContaining({ payload: { data: { onMessageSent: expect.objectContaining({ type: 'MESSAGE_SENT', content: beforeRemoval }) } } })]);
    expect(ofOps('typing-before')).toEqual([expect.objectContaining({ payload: { data: { onTyping: expect.objectContaining({ type: 'TYPING', at: typedBefore.at }) } } })]);
    for (const [id, field] of [['events-before', 'onConversationEvent'], ['mine-before', 'onMyConversations']] as const) {
      expect(ofOps(id).map((frame) => ((frame.payload?.['data'] as Record<string, Item>)[field]!['type']))).toEqual(['MESSAGE_SENT', 'TYPING']);
    }
    expect(ofOps('mine-after')).toEqual([]);
    expect(socket.received.join('\n')).not.toContain(afterRemoval);
    expect(socket.received.join('\n')).not.toContain(editedAfterRemoval);
    // The conversation is refused.
    const get = await graphql(env, w.users.b.accessToken, 'query G($id: ID!) { getConversation(id: $id) { id } }', { id: ops });
    expect(get.json.errors?.[0]?.errorType).toBe('Unauthorized');
    // Every read checks the conversation's participants now: B is refused history, reactions and read points, even of
    // what he received while a member; D reads them all.
    const readRefusal = (field: string) => ({ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type Query` });
    const history = await graphql(env, w.users.b.accessToken, 'query H($c: ID!) { listConversationMessages(conversationId: $c) { items { content } nextToken } }', { c: ops });
    expect(history.json.data?.['listConversationMessages'] ?? null).toBeNull();
    expect(history.json.errors?.[0]).toMatchObject(readRefusal('listConversationMessages'));
    expect(history.text).not.toContain(beforeRemoval);
    const reactionsRead = await graphql(env, w.users.b.accessToken, 'query L($c: ID!) { listConversationReactions(conversationId: $c) { items { emoji userId } nextToken } }', { c: ops });
    expect(reactionsRead.json.errors?.[0]).toMatchObject(readRefusal('listConversationReactions'));
    const reactionsOfD = await graphql(env, w.users.d.accessToken, 'query L($c: ID!) { listConversationReactions(conversationId: $c) { items { emoji userId messageId } nextToken } }', { c: ops });
    expect(reactionsOfD.json.data?.['listConversationReactions']).toEqual({ items: [{ emoji: '🎉', userId: w.users.a.sub, messageId: oldMessage }], nextToken: null });
    const pointsRead = await graphql(env, w.users.b.accessToken, 'query P($c: ID!) { listConversationReadPoints(conversationId: $c) { items { userId messageId } nextToken } }', { c: ops });
    expect(pointsRead.json.errors?.[0]).toMatchObject(readRefusal('listConversationReadPoints'));
    const pointsOfD = await graphql(env, w.users.d.accessToken, 'query P($c: ID!) { listConversationReadPoints(conversationId: $c) { items { userId messageId } nextToken } }', { c: ops });
    expect(pointsOfD.json.data?.['listConversationReadPoints']).toEqual({ items: [{ userId: w.users.a.sub, messageId: afterRemovalId }], nextToken: null });
    const historyOfD = await graphql(env, w.users.d.accessToken, 'query H($c: ID!) { listConversationMessages(conversationId: $c) { items { content } nextToken } }', { c: ops });
    expect(historyOfD.text).toContain(afterRemoval);
    // Search reads only the conversations B is in now: nothing of ops, not even what B received while a member.
    const searchOps = 'query S($q: String!, $c: [ID!]) { searchMessages(query: $q, conversationIds: $c) { items { messageId snippet } nextToken } }';
    const searchedByB = await graphql(env, w.users.b.accessToken, searchOps, { q: RUN, c: [ops] });
    expect(searchedByB.json.errors).toBeUndefined();
    expect(searchedByB.json.data?.['searchMessages']).toEqual({ items: [], nextToken: null });
    const searchedByD = await graphql(env, w.users.d.accessToken, searchOps, { q: RUN, c: [ops] });
    expect(searchedByD.text).toContain(afterRemoval);
    socket.close();
    stayer.close();
  });
});

describe('the stock aws-amplify client, signed in as C', () => {
  it('gets nothing of A+B from typed queries with widening filters, nor from typed subscriptions', async () => {
    // Every byte the stock client receives over HTTP and WebSocket is recorded for the leak check — but not the
    // answers to A's own requests in this test (sendAs), which go through the same global fetch.
    const received: string[] = [];
    const sent: string[] = [];
    const originalFetch = globalThis.fetch;
    const othersTokens = new Set((['a', 'b', 'd'] as const).map((user) => w.users[user].accessToken));
    globalThis.fetch = async (input, init) => {
      const response = await originalFetch(input, init);
      if (othersTokens.has(new Headers(init?.headers).get('authorization') ?? '')) return response;
      if (typeof init?.body === 'string') sent.push(init.body);
      received.push(await response.clone().text());
      return response;
    };
    class RecordingWebSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols);
        this.on('message', (data) => received.push(String(data)));
      }

      override send(data: unknown, ...rest: unknown[]): void {
        sent.push(String(data));
        (WebSocket.prototype.send as (...args: unknown[]) => void).call(this, data, ...rest);
      }
    }
    (globalThis as { WebSocket?: unknown }).WebSocket = RecordingWebSocket;
    const subscriptions: { unsubscribe: () => void }[] = [];
    try {
      configureAmplify(env.outputs);
      await signIn({ username: 'cat.matrix@example.com', password: 'Correct-Horse-9' });
      expect((await fetchAuthSession()).tokens?.accessToken.payload['sub']).toBe(w.users.c.sub);
      const client = generateClient<Schema>();

      const get = await client.models.Conversation.get({ id: w.ab });
      expect(get.data).toBeNull();
      expect(get.errors?.[0]?.errorType).toBe('Unauthorized');
      // C's own conversations only (C+A, and those C created in the matrix), each listing C; never A+B.
      const widened = await client.models.Conversation.list({ filter: { or: [{ participants: { contains: w.users.b.sub } }, { name: { attributeExists: true } }] } });
      expect(widened.data.map((c) => c.id)).toContain(w.ca);
      expect(widened.data.map((c) => c.id)).not.toContain(w.ab);
      expect(widened.data.every((c) => (c.participants ?? []).includes(w.users.c.sub))).toBe(true);
      const history = await client.queries.listConversationMessages({ conversationId: w.ab });
      expect(history.data).toBeNull();
      expect(history.errors?.[0]?.errorType).toBe('Unauthorized');
      // The typed createConversation for others only: C is added.
      const created = await client.mutations.createConversation({ input: { name: 'stock client', participants: [w.users.a.sub] } });
      expect(created.errors).toBeUndefined();
      expect(created.data?.participants.slice().sort()).toEqual([w.users.a.sub, w.users.c.sub].sort());

      // A+B's events are refused at subscribe time; the conversation events of every conversation C is in are delivered.
      const refusedAck = subscriptionAcks(1).then(() => 'acknowledged');
      const refused = await Promise.race([
        refusedAck,
        new Promise<unknown>((resolve) => {
          subscriptions.push(client.subscriptions.onConversationEvent({ conversationId: w.ab }).subscribe({ next: () => resolve('delivered'), error: resolve }));
        }),
      ]);
      expect(JSON.stringify(refused)).toContain('Not Authorized to access onConversationEvent on type Subscription');
      const conversationEvents: string[] = [];
      let eventFenced!: () => void;
      const eventFence = new Promise<void>((resolve) => (eventFenced = resolve));
      const acked = subscriptionAcks(1);
      subscriptions.push(
        client.subscriptions.onMyConversations().subscribe({
          next: (event) => {
            conversationEvents.push(`${event.type} ${event.conversationId} ${event.content ?? ''}`);
            if (event.content === 'fence for the stock client') eventFenced();
          },
        }),
      );
      await acked;
      await sendAs('a', w.ab, mark('stock-client-should-not-see'));
      const own = await client.mutations.sendMessage({ input: { conversationId: w.ca, content: 'fence for the stock client' } });
      expect(own.errors).toBeUndefined();
      await eventFence;
      for (const subscription of subscriptions) subscription.unsubscribe();
      expect(conversationEvents).toEqual([`MESSAGE_SENT ${w.ca} fence for the stock client`]);
      await signOut();
    } finally {
      globalThis.fetch = originalFetch;
      (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
    }
    exchanges.push({ role: 'nonParticipant', label: 'stock client as C', sent: sent.join('\n'), received: received.join('\n') });
  });
});

describe('after the matrix', () => {
  it('zero leaks: no byte received by C or a signed-out caller holds A+B data, nor any byte received by E (removed) A+B data written after her removal; the participants did receive it', () => {
    const leaks = exchanges
      .filter((x) => x.role !== 'participant')
      .flatMap((x) => leaksIn(x.sent, x.received, x.role).map((marker) => `${x.role} ${x.label}: ${marker}`));
    expect(leaks).toEqual([]);
    // The check can fail: the same kinds of strings reached the participants.
    const participantBytes = exchanges.filter((x) => x.role === 'participant').map((x) => x.received).join('\n');
    for (const marker of [w.ab, w.abMessageA, w.users.d.sub, `ABSECRET-${RUN}-ab-message-from-a`, `ABSECRET-${RUN}-live-message`, `ABSECRET-${RUN}-second-abd`]) {
      expect(participantBytes, marker).toContain(marker);
    }
    const nonParticipantBytes = exchanges.filter((x) => x.role !== 'participant').reduce((n, x) => n + x.received.length, 0);
    expect(nonParticipantBytes).toBeGreaterThan(10_000);
    // E's bytes were checked too, against everything marked after her removal (and there was plenty of it).
    expect(exchanges.filter((x) => x.role === 'removed').reduce((n, x) => n + x.received.length, 0)).toBeGreaterThan(2_000);
    expect([...markers].filter((m) => !knownToE.has(m)).length).toBeGreaterThan(10);
  });

  it('zero forged writes: A+B is intact and every stored message was sent by one of its participants', async () => {
    const scan = async (model: string) => (await scanModel(env, model)) as Item[];
    const subOf = (entry: string): string => entry.split('::')[0]!;
    const conversations = await scan('Conversation');
    const ab = conversations.find((c) => c['id'] === w.ab)!;
    expect((ab['participants'] as string[]).map(subOf).sort()).toEqual([w.users.a.sub, w.users.b.sub, w.users.d.sub].sort());
    expect(ab['name']).toBe(`ABSECRET-${RUN}-ab-name`);
    expect(ab['lastMessagePreview']).not.toBe('forged preview');
    // Every conversation is as the message processor stored it: canonical participants, the server's creation time,
    // nothing a refused createConversation input carried.
    for (const conversation of conversations) {
      for (const entry of conversation['participants'] as string[]) expect(entry, String(conversation['id'])).toMatch(/^[^\s:]+::[^\s:]+$/);
      expect(Date.parse(String(conversation['createdAt'])), String(conversation['id'])).toBeGreaterThanOrEqual(suiteStart);
      expect(conversation['name']).not.toBe('taken over');
      expect(conversation['lastMessagePreview']).not.toBe('forged preview');
    }
    for (const conversation of conversations.filter((c) => (c['participants'] as string[]).map(subOf).includes(w.users.c.sub))) {
      expect(conversation['id'] === w.ca || !(conversation['participants'] as string[]).map(subOf).includes(w.users.d.sub)).toBe(true);
    }
    const byId = new Map(conversations.map((c) => [c['id'], c]));
    const messages = await scan('Message');
    expect(messages.length).toBeGreaterThan(5);
    for (const message of messages) {
      const sender = message['sender'] as string;
      // SYSTEM messages are the membership operations' records, written by the message processor: the actor is the
      // sender, in a conversation the matrix's membership cells created, never A+B nor C+A; someone who left is not
      // among the participants of their LEFT record.
      if (message['messageType'] === 'SYSTEM') {
        expect(SYSTEM_ACTIONS as readonly unknown[], String(message['id'])).toContain(message['systemAction']);
        expect(message['actor'], String(message['id'])).toBe(sender);
        // The one record in A+B: A removing E.
        if (message['conversationId'] === w.ab) expect([message['systemAction'], message['actor'], message['targets']]).toEqual(['REMOVED', w.users.a.sub, [w.users.e.sub]]);
        else expect([w.ca, w.bSolo], String(message['id'])).not.toContain(message['conversationId']);
        expect([...forgeries].some((forgery) => JSON.stringify(message).includes(forgery)), String(message['id'])).toBe(false);
        continue;
      }
      // Messages store no participants (reads check the conversation's now): the sender is checked against those.
      expect(message, String(message['id'])).not.toHaveProperty('participants');
      const conversation = byId.get(message['conversationId']);
      expect(conversation, String(message['id'])).toBeDefined();
      // E's A+B message was sent while she was a participant, before A removed her.
      if (message['id'] === w.abMessageE) expect([sender, message['conversationId'], String(message['createdAt']) < w.removedAt]).toEqual([w.users.e.sub, w.ab, true]);
      else expect((conversation!['participants'] as string[]).map(subOf), String(message['id'])).toContain(sender);
      expect(message['content']).not.toMatch(/^(forged|hijacked|not yours|let me in|anyone\?|system\?)$/);
      // Forged events store nothing (publishConversationEvent has no table), and no forged event became a message.
      expect([...forgeries].some((forgery) => JSON.stringify(message).includes(forgery)), String(message['id'])).toBe(false);
      // createdAt is the server's clock at the send, never a client's value.
      expect(Date.parse(String(message['createdAt']))).toBeGreaterThanOrEqual(suiteStart);
    }
    // The messages forged events claimed to edit and to delete are as their senders left them.
    expect(messages.find((m) => m['id'] === w.abMessageA)?.['content']).toBe(`ABSECRET-${RUN}-edited-over-http`);
    expect(messages.find((m) => m['id'] === w.abMessageB)?.['content']).toBe(`ABSECRET-${RUN}-ab-message-from-b`);
    // Every stored reaction is its user's, on a message of a conversation they are in (E only before her removal from A+B).
    // Reactions, like messages, store no participants.
    const memberNowOrEBefore = (conversationId: unknown, userId: unknown, at: unknown): boolean => {
      const conversation = byId.get(conversationId);
      if (!conversation) return false;
      if ((conversation['participants'] as string[]).map(subOf).includes(String(userId))) return true;
      return conversationId === w.ab && userId === w.users.e.sub && String(at) < w.removedAt;
    };
    const reactions = await scan('Reaction');
    expect(reactions.length).toBeGreaterThan(2);
    const messageById = new Map(messages.map((m) => [m['id'], m]));
    for (const reaction of reactions) {
      const label = `${String(reaction['messageId'])} ${String(reaction['reactionKey'])}`;
      expect(REACTION_EMOJI as readonly unknown[], label).toContain(reaction['emoji']);
      expect(reaction['reactionKey'], label).toBe(reactionKey(String(reaction['emoji']), String(reaction['userId'])));
      expect(reaction, label).not.toHaveProperty('participants');
      expect(memberNowOrEBefore(reaction['conversationId'], reaction['userId'], reaction['createdAt']), label).toBe(true);
      const message = messageById.get(reaction['messageId']);
      if (message) expect(reaction['conversationId'], label).toBe(message['conversationId']);
      expect([...forgeries].some((forgery) => JSON.stringify(reaction).includes(forgery)), label).toBe(false);
    }
    expect(reactions.some((r) => r['messageId'] === w.abMessageA && r['userId'] === w.users.c.sub)).toBe(false);
    // Every stored read point is its user's, in a conversation they were in, on a message of it, at that message's time.
    const readPoints = await scan('ReadReceipt');
    expect(readPoints.length).toBeGreaterThan(2);
    for (const point of readPoints) {
      const label = `${String(point['conversationId'])} ${String(point['userId'])}`;
      expect(point, label).not.toHaveProperty('participants');
      expect(memberNowOrEBefore(point['conversationId'], point['userId'], point['updatedAt']), label).toBe(true);
      const message = messageById.get(point['messageId']);
      if (message) {
        expect(point['conversationId'], label).toBe(message['conversationId']);
        expect(point['readAt'], label).toBe(message['createdAt']);
      }
      expect([...forgeries].some((forgery) => JSON.stringify(point).includes(forgery)), label).toBe(false);
    }
    expect(readPoints.some((p) => p['conversationId'] === w.ab && p['userId'] === w.users.c.sub)).toBe(false);
    const profiles = await scan('UserProfile');
    expect(profiles.find((p) => p['id'] === w.users.b.sub)?.['displayName']).toBe('Bob, live');
    expect(profiles.every((p) => subOf(String(p['owner'])) === p['id'] && p['email'] !== 'forged@example.com')).toBe(true);
    expect(profiles.some((p) => p['id'] === w.users.d.sub)).toBe(false);
    const presence = await scan('UserPresence');
    expect(presence.every((p) => subOf(String(p['owner'])) === p['id'])).toBe(true);
  });

  it('prints the matrix and the number of cells checked', () => {
    const rows = new Map<string, Record<string, string>>();
    for (const r of results) {
      const key = `${r.operation} | ${r.variant} | ${r.transport}`;
      const row = rows.get(key) ?? { operation: r.operation, variant: r.variant, transport: r.transport };
      row[r.role] = r.observed === r.expected ? r.expected : `${r.expected} ✗ got ${r.observed}`;
      rows.set(key, row);
    }
    console.table([...rows.values()]);
    const expected = operations.reduce((n, o) => n + (MATRIX[o.key] ?? []).reduce((m, v) => m + rolesOf(v).length, 0), 0);
    console.log(`authorization matrix: ${results.length} cells checked (${operations.length} operations, ${rows.size} operation × variant rows), ${results.filter((r) => r.observed !== r.expected).length} mismatches`);
    expect(results).toHaveLength(expected);
    expect(results.filter((r) => r.observed !== r.expected)).toEqual([]);
  });
});
