/**
 * Sustained load: 1,000 subscribed real-time connections across 100 conversations, a steady
 * `sendMessage` rate for 60 s on loopback — every acknowledged message reaches each of its conversation's 10
 * connections exactly once and in send order, nothing reaches anyone else, no send fails, and every acknowledged
 * message is stored exactly once.
 *
 * Set-up. The sandbox CLI runs as a child process (its own core; the machine has two), DynamoDB on disk — the CLI's
 * only storage and what `npm run sandbox:offline` runs; 10 messages/s is far below what LevelDB writes. 1,020 users
 * sign up over the Cognito endpoint (confirmed with the logged code, PostConfirmation runs) and sign in over SRP,
 * 8 at a time. Conversation c has users 10c…10c+9; each holds one WebSocket (AppSync real-time protocol) subscribed
 * to `onMessageSent(conversationId)` of its conversation, and the first of each conversation also to
 * `onMyConversations` (every event of every conversation of the subscriber, filtered on the event's participants at
 * delivery) on the same socket. 20 more users are in no conversation: each tries `onMessageSent` on someone's
 * conversation (must be refused with an `error` frame) and subscribes to `onMyConversations` (must deliver nothing of
 * the load).
 *
 * Messages reach subscribers only as conversation events (MESSAGE_SENT), published by the message processor after
 * its transaction committed. Events are at least once — a retried send may publish its message again — so each
 * subscription keeps one MESSAGE_SENT per messageId, as the app does; the exactly-once, order and leak checks are on
 * those messages, and repeated events are counted and reported apart (this test retries no send, so the backend has
 * no reason to publish any message twice: the count must be 0). Any other event (CONVERSATION_CREATED, edits,
 * typing) is recorded too: the only one expected is each outsider's CONVERSATION_CREATED of its fence conversation.
 *
 * Load. Open loop at LOAD_RATE (default 10) sendMessage/s for LOAD_DURATION_S (default 60): send i goes to
 * conversation i mod 100 as its seq ⌊i/100⌋+1, from participant seq mod 10 — one message per user every 100 s at the
 * defaults (the per-user send limit is 30 per 10 s). Within a conversation each send waits for the previous one's
 * answer, so the send order is defined. The default rate keeps the server core at roughly two thirds of what it
 * sustains (about 15 sendMessage/s per core today), leaving room for a busy CI machine.
 *
 * LOAD_DURATION_S, LOAD_RATE and LOAD_CONVERSATIONS (default 100) shorten or shrink a local run.
 *
 * End. After the send phase: wait (at most 60 s) for every expected delivery; then a fence — one more message per
 * conversation, and for each of the 20 outsiders a message in a conversation of its own — and wait for those. Frames
 * on a socket arrive in order, so anything wrongly delivered (a duplicate, a leak) came before the fence. Then every
 * conversation is read back (listConversationMessages, as a participant): each acknowledged message is stored once,
 * with what was sent, and nothing else is. Then assert and print a summary (counts, phases with wall and CPU time of
 * both processes, send rate, delivery lag).
 *
 * Time: every wait is bounded; a run takes about 3.5 minutes on two cores, 60 s of load and about 115 s of user
 * creation — the pool spends most of its CPU per user on the deliberate scrypt password hash, the PostConfirmation
 * Lambda and rewrites of the pool file (SRP's modular exponentiations go through OpenSSL), on the server's one core.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { mapLimit } from '../../bench/harness/http';
import { newDataDirectory } from '../offline/helpers';
import { frameErrors, userHeader, type RealtimeSocket } from '../security/support';
import { audit, type Attempt } from '../durability/audit';
import {
  connectRealtime,
  createConversation,
  eventOfFrame,
  listConversationMessages,
  MessageSentEvents,
  ON_MESSAGE_SENT,
  ON_MY_CONVERSATIONS,
  remoteEnv,
  sendMessage,
  type DeliveredEvent,
  type SendOutcome,
} from './chat-client';
import { checkInbox, Inbox, loadClientMessageId, mergeChecks, Progress, type Delivery } from './delivery-ledger';
import { runOpenLoop } from './open-loop';
import { createRemoteUsers, type RemoteUser } from './remote-users';
import { killSandbox, sandboxCpuSeconds, startSandboxProcess, type ReadySandbox } from './sandbox-process';

const CONVERSATIONS = Number(process.env['LOAD_CONVERSATIONS'] ?? 100);
const MEMBERS = 10;
const OUTSIDERS = 20;
const DURATION_S = Number(process.env['LOAD_DURATION_S'] ?? 60);
const RATE = Number(process.env['LOAD_RATE'] ?? 10);
const TOTAL = Math.round(RATE * DURATION_S);
const USER_CONCURRENCY = 8;
const CONNECT_CONCURRENCY = 50;
const SEND_GUARD_MS = 30_000;
const DRAIN_GUARD_MS = 60_000;
const FENCE_GUARD_MS = 30_000;
const CONTENT_LENGTH = 200;
/** Page size of the read-back (every conversation holds about TOTAL / CONVERSATIONS + 2 messages). */
const READ_BACK_PAGE = 100;

if (!(DURATION_S > 0 && RATE > 0 && Number.isInteger(CONVERSATIONS) && CONVERSATIONS > 0)) throw new Error('LOAD_DURATION_S, LOAD_RATE and LOAD_CONVERSATIONS must be positive numbers');
// Each user sends once every CONVERSATIONS × MEMBERS / RATE seconds.
if ((CONVERSATIONS * MEMBERS) / RATE < 5) throw new Error(`LOAD_RATE ${RATE} would have a user send more than once per 5 s`);

const dataDirectory = newDataDirectory();
const outputsFile = join(dataDirectory, 'amplify_outputs.json');
let sandbox: ReadySandbox | undefined;
const sockets: RealtimeSocket[] = [];

afterAll(async () => {
  for (const socket of sockets) socket.ws.terminate();
  if (sandbox) await killSandbox(sandbox);
  rmSync(dataDirectory, { recursive: true, force: true });
});

/**
 * One subscription on one connection: the messages it delivered (one per messageId) and its repeated MESSAGE_SENT
 * events, kept apart; any other event type in `otherEvents`.
 */
interface Subscription {
  inbox: Inbox;
  events: MessageSentEvents;
  otherEvents: DeliveredEvent[];
}

const subscriptionOf = (inbox: Inbox): Subscription => ({ inbox, events: new MessageSentEvents(), otherEvents: [] });

interface Participant {
  user: RemoteUser;
  conversation: number;
  sent: Subscription;
  mine?: Subscription;
}

interface Outsider {
  user: RemoteUser;
  /** Everything any of its subscriptions delivered. */
  all: Subscription;
  refusal: string;
  ownConversationId?: string;
}

/**
 * Routes the data frames of `socket` to subscriptions by subscription id: a MESSAGE_SENT event to the inbox the first
 * time its messageId arrives (a repeat is counted, not delivered again), any other event to `otherEvents`.
 */
function route(socket: RealtimeSocket, subscriptions: Record<string, Subscription>): void {
  socket.ws.on('message', (raw) => {
    const data = eventOfFrame(String(raw));
    const subscription = data && subscriptions[data.subscription];
    if (!data || !subscription) return;
    const { event } = data;
    if (event.type !== 'MESSAGE_SENT') subscription.otherEvents.push(event);
    else if (subscription.events.accept(event)) subscription.inbox.add({ conversationId: event.conversationId, clientMessageId: event.clientMessageId, id: event.messageId! });
  });
}

interface Phase {
  wallS: number;
  /** CPU seconds of the sandbox process and of this (the clients') process during the phase. */
  serverCpuS?: number;
  clientCpuS: number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Runs a phase and records its wall time and both processes' CPU time. */
async function timed<T>(phases: Record<string, Phase>, name: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const client = process.cpuUsage();
  const server = sandbox && sandboxCpuSeconds(sandbox);
  try {
    return await run();
  } finally {
    const clientUsage = process.cpuUsage(client);
    const serverNow = sandbox && sandboxCpuSeconds(sandbox);
    phases[name] = {
      wallS: round1((performance.now() - start) / 1000),
      ...(server !== undefined && serverNow !== undefined ? { serverCpuS: round1(serverNow - server) } : {}),
      clientCpuS: round1((clientUsage.user + clientUsage.system) / 1e6),
    };
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('sustained load', () => {
  it(`${CONVERSATIONS * MEMBERS} subscribers, ${CONVERSATIONS} conversations, ${RATE} sendMessage/s for ${DURATION_S} s: exactly once, in order, nothing to non-participants`, async () => {
    const phases: Record<string, Phase> = {};
    const progress = new Progress();
    // Running counts, so that waiting costs O(1) per frame.
    const lastSeq = Math.ceil(TOTAL / CONVERSATIONS);
    const fenceClientMessageIds = new Set([
      ...Array.from({ length: CONVERSATIONS }, (_, c) => loadClientMessageId(c, lastSeq + 1)),
      ...Array.from({ length: OUTSIDERS }, (_, h) => `fence-${h}`),
    ]);
    const counts = { participants: 0, fences: 0 };
    const notify = (inbox: Inbox, delivery: Delivery) => {
      if (inbox.conversationId !== undefined) counts.participants += 1;
      if (fenceClientMessageIds.has(delivery.clientMessageId ?? '')) counts.fences += 1;
      progress.notify();
    };

    const ready = await timed(phases, 'sandbox start', () => startSandboxProcess({ dataDirectory, outputsFile }));
    sandbox = ready;
    const env = remoteEnv(ready.urls);

    // ---- users and conversations ----
    const users = await timed(phases, 'users', () => createRemoteUsers(ready, 'load', CONVERSATIONS * MEMBERS + OUTSIDERS, { how: 'sign-up', concurrency: USER_CONCURRENCY }));
    const groups = Array.from({ length: CONVERSATIONS }, (_, c) => users.slice(c * MEMBERS, (c + 1) * MEMBERS));
    const conversationIds = await timed(phases, 'conversations', () =>
      mapLimit(groups, 8, (group, c) => createConversation(env, group[0]!.token, `load ${c}`, group.map((user) => user.sub))),
    );

    // ---- connections and subscriptions ----
    const participants: Participant[] = groups.flatMap((group, c) =>
      group.map((user, j) => ({
        user,
        conversation: c,
        sent: subscriptionOf(new Inbox(`c${c}/u${j} onMessageSent`, conversationIds[c], notify)),
        ...(j === 0 ? { mine: subscriptionOf(new Inbox(`c${c}/u${j} onMyConversations`, conversationIds[c], notify)) } : {}),
      })),
    );
    const outsiders: Outsider[] = users
      .slice(CONVERSATIONS * MEMBERS)
      .map((user, h) => ({ user, all: subscriptionOf(new Inbox(`outsider ${h}`, undefined, notify)), refusal: '' }));
    const startFailures: string[] = [];
    await timed(phases, 'connect + subscribe', async () => {
      await mapLimit(participants, CONNECT_CONCURRENCY, async (participant) => {
        const socket = await connectRealtime(env, participant.user.token);
        sockets.push(socket);
        route(socket, { sent: participant.sent, ...(participant.mine ? { mine: participant.mine } : {}) });
        const header = userHeader(env, participant.user.token);
        const answers = [await socket.start('sent', ON_MESSAGE_SENT, { conversationId: conversationIds[participant.conversation] }, header)];
        if (participant.mine) answers.push(await socket.start('mine', ON_MY_CONVERSATIONS, undefined, header));
        for (const answer of answers) if (answer.type !== 'start_ack') startFailures.push(`${participant.sent.inbox.label}: ${JSON.stringify(answer)}`);
      });
      await mapLimit(outsiders, CONNECT_CONCURRENCY, async (outsider, h) => {
        const socket = await connectRealtime(env, outsider.user.token);
        sockets.push(socket);
        route(socket, { sent: outsider.all, mine: outsider.all });
        const header = userHeader(env, outsider.user.token);
        const refused = await socket.start('sent', ON_MESSAGE_SENT, { conversationId: conversationIds[(h * 5) % CONVERSATIONS] }, header);
        outsider.refusal = `${refused.type} ${JSON.stringify(frameErrors(refused))}`;
        const mine = await socket.start('mine', ON_MY_CONVERSATIONS, undefined, header);
        if (mine.type !== 'start_ack') startFailures.push(`outsider ${h} onMyConversations: ${JSON.stringify(mine)}`);
      });
    });
    expect(startFailures).toEqual([]);
    const refusal = `error ${JSON.stringify([{ errorType: 'Unauthorized', message: 'Not Authorized to access onMessageSent on type Subscription' }])}`;
    expect(outsiders.map((outsider) => outsider.refusal)).toEqual(outsiders.map(() => refusal));

    // ---- the load ----
    /** When each load send (not the warm-up, not a fence) was issued. */
    const issuedAt = new Map<string, number>();
    const acknowledged: { id: string; clientMessageId: string; conversation: number; seq: number }[] = [];
    const failures: string[] = [];
    /** Every send of the participants' conversations, with its outcome (for the read-back). */
    const attempts: Attempt[] = [];
    const send = async (conversation: number, seq: number, clientMessageId: string, measured = false): Promise<SendOutcome> => {
      const sender = groups[conversation]![seq % MEMBERS]!;
      if (measured) issuedAt.set(clientMessageId, performance.now());
      const label = `c${conversation} seq ${seq} `;
      const content = label + 'x'.repeat(CONTENT_LENGTH - label.length);
      const attempt: Attempt = { senderSub: sender.sub, conversationId: conversationIds[conversation]!, clientMessageId, content };
      attempts.push(attempt);
      let guard: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        sendMessage(env, sender.token, attempt),
        new Promise<SendOutcome>((resolve) => (guard = setTimeout(() => resolve({ error: `no answer within ${SEND_GUARD_MS} ms`, transport: true }), SEND_GUARD_MS))),
      ]).finally(() => clearTimeout(guard));
      attempt.outcome = outcome;
      if (outcome.message) acknowledged.push({ id: outcome.message.id, clientMessageId, conversation, seq });
      else failures.push(`${clientMessageId}: ${outcome.error}`);
      return outcome;
    };
    const expectedDeliveries = () => acknowledged.length * (MEMBERS + 1);

    // Warm-up (not timed with the load): the first send's code path (its DynamoDB transaction, the send-rate counter)
    // runs for the first time here — the message-processor Lambda itself was started by createConversation. It is
    // conversation 0's seq 0 and checked like the rest.
    await timed(phases, 'warm-up', () => send(0, 0, loadClientMessageId(0, 0)));
    const loop = await timed(phases, 'send', () =>
      runOpenLoop({
        rate: RATE,
        total: TOTAL,
        conversations: CONVERSATIONS,
        deadlineMs: DURATION_S * 1000 + 30_000,
        send: ({ conversation, seq }) => send(conversation, seq, loadClientMessageId(conversation, seq), true),
      }),
    );
    const drained = await timed(phases, 'drain', () => progress.until(() => counts.participants >= expectedDeliveries(), DRAIN_GUARD_MS));

    // ---- fences: one more message per conversation; one per outsider, in a conversation of its own ----
    const fenced = await timed(phases, 'fence', async () => {
      await mapLimit(groups, 8, (_, c) => send(c, lastSeq + 1, loadClientMessageId(c, lastSeq + 1)));
      await mapLimit(outsiders, 8, async (outsider, h) => {
        outsider.ownConversationId = await createConversation(env, outsider.user.token, `outsider ${h}`, [outsider.user.sub]);
        const outcome = await sendMessage(env, outsider.user.token, { conversationId: outsider.ownConversationId, content: `fence ${h}`, clientMessageId: `fence-${h}` });
        if (!outcome.message) failures.push(`fence-${h}: ${outcome.error}`);
      });
      return progress.until(() => counts.fences >= CONVERSATIONS * (MEMBERS + 1) + OUTSIDERS, FENCE_GUARD_MS);
    });

    // ---- the store: every conversation read back as its first member ----
    const stored = await timed(phases, 'read back', async () =>
      (await mapLimit(groups, 8, (group, c) => listConversationMessages(env, group[0]!.token, conversationIds[c]!, READ_BACK_PAGE))).flat(),
    );
    const storedAudit = audit(attempts, stored);

    // ---- checks ----
    const byConversation = Array.from({ length: CONVERSATIONS }, () => [] as { id: string; clientMessageId: string; seq: number }[]);
    for (const message of acknowledged) byConversation[message.conversation]!.push(message);
    for (const list of byConversation) list.sort((a, b) => a.seq - b.seq);
    const subscriptions = participants.flatMap((p) => [p.sent, ...(p.mine ? [p.mine] : [])]);
    const checks = participants.flatMap((p) => [p.sent, ...(p.mine ? [p.mine] : [])].map(({ inbox }) => checkInbox(inbox, byConversation[p.conversation]!)));
    const merged = mergeChecks(checks);
    const outsiderDeliveries = outsiders.flatMap((o) =>
      o.all.inbox.deliveries.filter((d) => d.conversationId !== o.ownConversationId).map((d) => `${o.all.inbox.label} got ${d.clientMessageId ?? d.id} of ${d.conversationId}`),
    );
    const outsiderFenceCounts = outsiders.map((o) => o.all.inbox.deliveries.filter((d) => d.conversationId === o.ownConversationId).length);
    // Repeated MESSAGE_SENT events (kept once above), over every subscription of participants and outsiders.
    const repeatedEvents = [...subscriptions, ...outsiders.map((o) => o.all)].flatMap(({ inbox, events }) =>
      [...events.repeats].map(([messageId, count]) => `${inbox.label} got MESSAGE_SENT of ${messageId} ${count + 1} times`),
    );
    const repeatedEventCount = [...subscriptions, ...outsiders.map((o) => o.all)].reduce((sum, { events }) => sum + events.repeatCount, 0);
    // Events other than MESSAGE_SENT: the participants' subscriptions get none (no conversation of theirs is created,
    // edited or typed in after they subscribed); each outsider gets the CONVERSATION_CREATED of its fence conversation.
    const participantOtherEvents = subscriptions.flatMap(({ inbox, otherEvents }) => otherEvents.map((e) => `${inbox.label} got ${e.type} of ${e.conversationId}`));
    const outsiderOtherEvents = outsiders.map((o) => o.all.otherEvents.map((e) => `${e.type} ${e.conversationId === o.ownConversationId ? 'own' : e.conversationId}`));

    // Lag: arrival − issue of the send, over the load's messages (not the warm-up, nor the fences).
    const lags = participants.flatMap((p) => p.sent.inbox.deliveries.filter((d) => issuedAt.has(d.clientMessageId ?? '')).map((d) => d.at - issuedAt.get(d.clientMessageId ?? '')!));
    const answerTimes = loop.records.map((record) => record.answeredAt - record.issuedAt);
    const sentRate = loop.records.length / (loop.elapsedMs / 1000);
    const summary = {
      connections: participants.length + outsiders.length,
      subscriptions: { onMessageSent: participants.length, onMyConversations: CONVERSATIONS + outsiders.length, refused: outsiders.length },
      messages: { scheduled: TOTAL, sent: loop.records.length, warmUpAndFences: 1 + CONVERSATIONS, notIssued: loop.notIssued, acknowledged: acknowledged.length, failed: failures.length },
      // Messages (one per messageId and subscription); repeated MESSAGE_SENT events apart.
      deliveries: { expected: expectedDeliveries(), received: counts.participants, drainedInTime: drained, fencedInTime: fenced, ...merged.totals, toOutsiders: outsiderDeliveries.length },
      events: { repeatedMessageSent: repeatedEventCount, otherToParticipants: participantOtherEvents.length, otherToOutsiders: outsiderOtherEvents.flat().length },
      stored: {
        read: stored.length,
        expected: acknowledged.length,
        missing: storedAudit.missing.length,
        duplicateIds: storedAudit.duplicateIds.length,
        duplicateClientMessageIds: storedAudit.duplicateClientMessageIds.length,
        unexpected: storedAudit.unexpected.length,
        mismatched: storedAudit.mismatched.length,
      },
      sendRate: `${sentRate.toFixed(2)}/s offered ${RATE}/s over ${(loop.elapsedMs / 1000).toFixed(1)} s`,
      lagMs: { p50: Math.round(percentile(lags, 50)), p99: Math.round(percentile(lags, 99)), max: Math.round(Math.max(0, ...lags)) },
      answerMs: { p50: Math.round(percentile(answerTimes, 50)), p99: Math.round(percentile(answerTimes, 99)), max: Math.round(Math.max(0, ...answerTimes)) },
      maxScheduleSlipMs: Math.round(loop.maxSlipMs),
      phases,
      usersPerSecond: round1(users.length / phases['users']!.wallS),
      totalS: round1(Object.values(phases).reduce((sum, phase) => sum + phase.wallS, 0)),
    };
    console.log(`[load] ${JSON.stringify(summary, null, 2)}`);

    expect(failures, 'failed sends').toEqual([]);
    expect(loop.notIssued).toBe(0);
    expect(acknowledged.length).toBe(1 + TOTAL + CONVERSATIONS);
    expect(merged.examples).toEqual({ missing: [], duplicates: [], foreign: [], outOfOrder: [] });
    expect(repeatedEvents.slice(0, 10), 'MESSAGE_SENT published more than once for a message sent once').toEqual([]);
    expect(participantOtherEvents.slice(0, 10), 'events other than MESSAGE_SENT to participants').toEqual([]);
    expect(outsiderDeliveries, 'deliveries to users in no conversation').toEqual([]);
    expect(outsiderFenceCounts).toEqual(outsiders.map(() => 1));
    expect(outsiderOtherEvents).toEqual(outsiders.map(() => ['CONVERSATION_CREATED own']));
    // The store: every acknowledged message once, with what was sent; nothing twice, nothing else.
    expect({ ...storedAudit, missing: storedAudit.missing.slice(0, 10), mismatched: storedAudit.mismatched.slice(0, 10) }).toEqual({
      missing: [],
      duplicateIds: [],
      duplicateClientMessageIds: [],
      unexpected: [],
      mismatched: [],
      unknownFound: 0,
    });
    expect(stored.length).toBe(acknowledged.length);
  }, 600_000);
});
