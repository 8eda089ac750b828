/**
 * Durability of acknowledged messages across a SIGKILL of the whole sandbox.
 *
 * The sandbox CLI runs as a child process on a data directory on disk (DynamoDB in LevelDB, the user pool in its
 * JSON file). Users sign up over the Cognito endpoint (confirmed with the code the pool prints) and sign in over SRP;
 * each of 8 conversations has 3 of them, and one participant per conversation watches `onMyConversations` on a
 * real-time socket. 8 senders — one per conversation, rotating over its participants — call `sendMessage` back to
 * back, each with a unique clientMessageId. Once 60 sends are acknowledged, the test SIGKILLs the sandbox as soon as
 * a watcher reports a message whose send is still unanswered — its item is written (the message processor publishes
 * MESSAGE_SENT only after its DynamoDB transaction committed), its acknowledgement is not — or, failing that, at the
 * 80th acknowledgement; it sends nothing more. Events are at least once (a retried send may publish its message
 * again): a watcher keeps one MESSAGE_SENT per messageId, as the app does, and repeated events are counted apart.
 * Then it starts the CLI again on the same directory and checks, reading each conversation as a participant
 * (listConversationMessages, page after page):
 * - every acknowledged send (`data.sendMessage`, no errors) is there exactly once, with what was sent;
 * - every message a watcher received before the kill is there (its write had completed);
 * - no id and no clientMessageId is there twice; nothing is there that was not sent, or was refused;
 * - any other send in flight at the kill may or may not be there (counted and printed), once at most — and retrying
 *   each unanswered send with the same clientMessageId after the restart, as the app's outbox would, leaves exactly
 *   one;
 * - every user signs in again with the old password (same sub), and the restarted sandbox serves a new send.
 *
 * Bounds: each user sends at most 10 messages in the load, so the per-user send limit (30 per 10 s) cannot be reached
 * whatever the timing; at most 240 sends in all; waits are on responses and output lines, each with a guard.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newDataDirectory } from '../offline/helpers';
import { userHeader } from '../security/support';
import {
  connectRealtime,
  createConversation,
  eventOfFrame,
  listConversationMessages,
  MessageSentEvents,
  ON_MY_CONVERSATIONS,
  remoteEnv,
  sendMessage,
  type SentMessage,
} from '../load/chat-client';
import { createRemoteUsers, signInRemote, type RemoteUser } from '../load/remote-users';
import { killSandbox, startSandboxProcess, type ReadySandbox } from '../load/sandbox-process';
import { audit, stateOf, type Attempt } from './audit';

const CONVERSATIONS = 8;
const PARTICIPANTS = 3;
const MAX_SENDS_PER_USER = 10;
const KILL_AFTER_ACKS = 60;
/** The kill comes at this many acknowledgements at the latest, should no watcher report an unanswered send. */
const KILL_AT_THE_LATEST = 80;
/** Small pages, so every conversation is read over several of them. */
const PAGE_SIZE = 4;

const dataDirectory = newDataDirectory();
const outputsFile = join(dataDirectory, 'amplify_outputs.json');
const sandboxes: ReadySandbox[] = [];

afterAll(async () => {
  for (const sandbox of sandboxes) await killSandbox(sandbox);
  rmSync(dataDirectory, { recursive: true, force: true });
});

async function start(): Promise<ReadySandbox> {
  const sandbox = await startSandboxProcess({ dataDirectory, outputsFile });
  sandboxes.push(sandbox);
  return sandbox;
}

async function readAll(sandbox: ReadySandbox, readers: RemoteUser[], conversationIds: string[]): Promise<SentMessage[]> {
  const env = remoteEnv(sandbox.urls);
  const pages = await Promise.all(conversationIds.map((id, index) => listConversationMessages(env, readers[index]!.token, id, PAGE_SIZE)));
  pages.forEach((messages, index) => {
    for (const message of messages) expect(message.conversationId).toBe(conversationIds[index]);
  });
  return pages.flat();
}

describe('SIGKILL during sends', () => {
  it('keeps every acknowledged message exactly once, and nothing twice, after a restart on the same data', async () => {
    // ---- before the kill ----
    const first = await start();
    const env = remoteEnv(first.urls);
    const users = await createRemoteUsers(first, 'durability', CONVERSATIONS * PARTICIPANTS, { how: 'sign-up' });
    const members = Array.from({ length: CONVERSATIONS }, (_, c) => users.slice(c * PARTICIPANTS, (c + 1) * PARTICIPANTS));
    const conversationIds = await Promise.all(members.map((group, c) => createConversation(env, group[0]!.token, `durability ${c}`, group.map((user) => user.sub))));

    const attempts: Attempt[] = [];
    const inFlight = new Set<Attempt>();
    let acknowledged = 0;
    let killedWith: { acknowledged: number; inFlight: Attempt[]; reason: string } | undefined;
    const kill = (reason: string): void => {
      if (killedWith) return;
      killedWith = { acknowledged, inFlight: [...inFlight], reason };
      first.child.kill('SIGKILL');
    };

    // Watchers: every message published to them before the kill was written before the kill.
    const published = new Set<string>();
    /** Events other than MESSAGE_SENT the watchers received (none is expected: nothing but sends happens after they subscribe). */
    const otherEvents: string[] = [];
    const watched = members.map(() => new MessageSentEvents());
    const watchers = await Promise.all(
      members.map(async (group, c) => {
        const socket = await connectRealtime(env, group[0]!.token);
        socket.ws.on('message', (raw) => {
          const data = eventOfFrame(String(raw));
          if (!data || data.subscription !== 'mine') return;
          const { event } = data;
          if (event.type !== 'MESSAGE_SENT') {
            otherEvents.push(`${event.type} of ${event.conversationId}`);
            return;
          }
          if (!watched[c]!.accept(event) || !event.clientMessageId) return;
          published.add(event.clientMessageId);
          const unanswered = [...inFlight].some((attempt) => attempt.clientMessageId === event.clientMessageId);
          if (unanswered && acknowledged >= KILL_AFTER_ACKS) kill(`a watcher received ${event.clientMessageId}, whose send was unanswered`);
        });
        expect((await socket.start('mine', ON_MY_CONVERSATIONS, undefined, userHeader(env, group[0]!.token))).type).toBe('start_ack');
        return socket;
      }),
    );

    const sender = async (c: number): Promise<void> => {
      for (let i = 0; i < PARTICIPANTS * MAX_SENDS_PER_USER && !killedWith; i += 1) {
        const user = members[c]![i % PARTICIPANTS]!;
        const attempt: Attempt = { senderSub: user.sub, conversationId: conversationIds[c]!, clientMessageId: randomUUID(), content: `durability c${c} #${i}` };
        attempts.push(attempt);
        inFlight.add(attempt);
        attempt.outcome = await sendMessage(env, user.token, attempt);
        inFlight.delete(attempt);
        if (attempt.outcome.message) acknowledged += 1;
        if (acknowledged >= KILL_AT_THE_LATEST) kill(`${KILL_AT_THE_LATEST} acknowledgements`);
      }
    };
    await Promise.all(members.map((_, c) => sender(c)));
    expect(killedWith, `never killed (${acknowledged} acknowledgements): ${attempts.map((a) => a.outcome?.error).filter(Boolean).slice(0, 3).join('; ')}`).toBeDefined();
    const exit = await first.exited;
    await Promise.all(watchers.map((socket) => socket.closed));

    expect(exit.signal).toBe('SIGKILL');
    expect(killedWith!.inFlight.length).toBeGreaterThan(0);
    // Every answer that came back (before the kill, or after it from the socket's buffer) was a success.
    const refused = attempts.filter((attempt) => stateOf(attempt) === 'refused').map((attempt) => attempt.outcome?.error);
    expect(refused).toEqual([]);
    const unknown = attempts.filter((attempt) => stateOf(attempt) === 'unknown');
    // Only the sends in flight at the kill can be without an answer.
    expect(unknown.every((attempt) => killedWith!.inFlight.includes(attempt))).toBe(true);

    // ---- after the restart ----
    const second = await start();
    const env2 = remoteEnv(second.urls);
    const again = await Promise.all(users.map((user) => signInRemote(second, user.email)));
    expect(again.map((user) => user.sub)).toEqual(users.map((user) => user.sub));
    const readers = members.map((group) => again[users.indexOf(group[0]!)]!);

    const found = await readAll(second, readers, conversationIds);
    const result = audit(attempts, found);
    console.log(
      `[durability] sends: ${attempts.length}; acknowledged: ${attempts.filter((a) => stateOf(a) === 'acknowledged').length} ` +
        `(${killedWith!.acknowledged} when killed); in flight at the kill: ${killedWith!.inFlight.length}, without an answer: ${unknown.length}, ` +
        `of those found after the restart: ${result.unknownFound}; messages read back: ${found.length}; ` +
        `published to the watchers: ${published.size} (repeated MESSAGE_SENT events: ${watched.reduce((sum, w) => sum + w.repeatCount, 0)}); ` +
        `killed because ${killedWith!.reason}`,
    );
    expect(otherEvents, 'events other than MESSAGE_SENT to the watchers').toEqual([]);
    expect(result.missing, 'acknowledged but not read back').toEqual([]);
    expect(result.duplicateIds, 'ids read back twice').toEqual([]);
    expect(result.duplicateClientMessageIds, 'clientMessageIds read back twice').toEqual([]);
    expect(result.unexpected, 'read back but never sent, or refused').toEqual([]);
    expect(result.mismatched).toEqual([]);
    const foundClientIds = new Set(found.map((message) => message.clientMessageId));
    expect([...published].filter((id) => !foundClientIds.has(id)), 'published before the kill but not read back').toEqual([]);
    expect(found.length).toBe(attempts.filter((a) => stateOf(a) === 'acknowledged').length + result.unknownFound);

    // The outbox retries what had no answer (same clientMessageId), and each conversation gets a new message.
    const subOf = new Map(again.map((user) => [user.sub, user]));
    for (const attempt of unknown) {
      attempt.outcome = await sendMessage(env2, subOf.get(attempt.senderSub)!.token, attempt);
      expect(attempt.outcome.error).toBeUndefined();
    }
    for (const [c, conversationId] of conversationIds.entries()) {
      const attempt: Attempt = { senderSub: readers[c]!.sub, conversationId, clientMessageId: randomUUID(), content: `after the restart c${c}` };
      attempt.outcome = await sendMessage(env2, readers[c]!.token, attempt);
      expect(attempt.outcome.error).toBeUndefined();
      attempts.push(attempt);
    }
    const final = await readAll(second, readers, conversationIds);
    const afterRetries = audit(attempts, final);
    expect(afterRetries).toEqual({ missing: [], duplicateIds: [], duplicateClientMessageIds: [], unexpected: [], mismatched: [], unknownFound: 0 });
    expect(final.length).toBe(attempts.length);
  }, 300_000);
});
