/**
 * What the harness and the systems under test agree on: the IPC messages between the orchestrator and a
 * system's child process, the GraphQL documents, and the benchmark marker embedded in every message body.
 *
 * The marker has fixed-width fields so a receiver slices it from the raw frame without JSON.parse:
 *   BENCH:<conversation index, 6 digits>:<seq, 8 digits>:<scheduled time µs, 14 digits>:
 * seq 0 is a warm-up probe (never counted); data messages count from 1 per conversation.
 */

export const MARKER = 'BENCH:';
export const MARKER_LENGTH = MARKER.length + 6 + 1 + 8 + 1 + 14 + 1;

export function encodeMarker(conversation: number, seq: number, scheduledUs: number): string {
  return `${MARKER}${String(conversation).padStart(6, '0')}:${String(seq).padStart(8, '0')}:${String(Math.round(scheduledUs)).padStart(14, '0')}:`;
}

export interface DecodedMarker {
  conversation: number;
  seq: number;
  scheduledUs: number;
}

/** Finds and decodes the marker in a raw frame; undefined when the frame carries none. */
export function decodeMarker(frame: Buffer): DecodedMarker | undefined {
  const at = frame.indexOf(MARKER);
  if (at < 0 || at + MARKER_LENGTH > frame.length) return undefined;
  const text = frame.toString('latin1', at + MARKER.length, at + MARKER_LENGTH - 1);
  return {
    conversation: Number(text.slice(0, 6)),
    seq: Number(text.slice(7, 15)),
    scheduledUs: Number(text.slice(16, 30)),
  };
}

/** The body text of a message: marker + padding to a fixed length (the method's 200–500 B payload). */
export function messageContent(conversation: number, seq: number, scheduledUs: number, length: number): string {
  const marker = encodeMarker(conversation, seq, scheduledUs);
  return marker + 'x'.repeat(Math.max(0, length - marker.length));
}

export const SEND_MESSAGE = `mutation SendMessage($input: SendMessageInputInput!) {
  sendMessage(input: $input) { messageId id conversationId userId sender content messageType clientMessageId createdAt }
}`;

export const ON_MESSAGE_SENT = `subscription OnMessageSent($conversationId: ID!) {
  onMessageSent(conversationId: $conversationId) { messageId id conversationId userId sender content messageType clientMessageId createdAt }
}`;

/**
 * The stock simulator's closest workload (see bench/systems/simulator-server.ts): a generated model mutation with
 * IAM (what the Lambdas use) and the model's onCreate subscription for signed-in users. The marker rides in
 * `displayName`.
 */
export const CREATE_USER_PROFILE = `mutation CreateUserProfile($input: CreateUserProfileInput!) {
  createUserProfile(input: $input) { id displayName email owner createdAt updatedAt }
}`;

export const ON_CREATE_USER_PROFILE = `subscription OnCreateUserProfile {
  onCreateUserProfile { id displayName email owner createdAt updatedAt }
}`;

/** Which publish path a system offers. */
export type PublishPath = 'sendMessage' | 'createUserProfile' | 'raw';

// ---- IPC between the orchestrator and a system child ----

export interface SetupRequest {
  type: 'setup';
  conversations: number;
  membersPerConversation: number;
}

export interface Ready {
  type: 'ready';
  /** https://127.0.0.1:<port>/graphql */
  graphqlUrl: string;
  /** wss://127.0.0.1:<port>/graphql/realtime */
  realtimeUrl: string;
  publishPath: PublishPath;
  /** The conversation ids, in conversation-index order. */
  conversationIds: string[];
  /** Per conversation, one auth token per member slot (subscriber j of a conversation uses tokens[c][j % length]). */
  tokens: string[][];
  /** Extra headers for the publisher (e.g. an API key); replaces Authorization when set. */
  publishHeaders?: Record<string, string>;
  /** Authorization object for the real-time header and start (when not the token itself). */
  realtimeAuth?: Record<string, string>;
  /** Send the auth header as `?header=<base64>&payload=e30=` (form A) instead of the `header-` subprotocol. */
  realtimeQueryHeader?: boolean;
  /** The subscription document and how to build its variables. */
  subscription: 'onMessageSent' | 'onCreateUserProfile';
  notes: string[];
}

export interface StatsRequest {
  type: 'stats';
  /** Start a new event-loop-delay window after answering. */
  reset: boolean;
}

export interface Stats {
  type: 'stats';
  /** process.cpuUsage() of the system process (µs, all threads). */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Of cpuUserUs + cpuSystemUs, what the processes it started used (the sandbox's Lambda execution environments). */
  childCpuUs: number;
  /** RSS of the system process plus that of every process it started. */
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** The memory breakdown: the system process alone (process.memoryUsage()) and each process it started. */
  memory: MemoryBreakdown;
  /** Event-loop delay of the system since the previous stats request (ms). */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** The system process's garbage collections since the previous stats request: how many, and their main-thread pauses. */
  gcPauses: GcPauses;
  /** Server-side counters where the system has them. */
  counters: Record<string, number>;
  /**
   * The system's scheduled functions that have not run yet, and when they will (epoch ms): a first run cold-starts
   * its function's environment on the system's core, and the harness keeps it out of the measured window.
   */
  pendingFirstScheduledRuns: PendingScheduledRun[];
}

export interface PendingScheduledRun {
  functionName: string;
  nextRunAt: number;
}

export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface MemoryBreakdown {
  /** RSS of the system process alone (its own threads; not the processes it started). */
  mainRssBytes: number;
  /**
   * Of mainRssBytes, the anonymous part (heaps, stacks: what the process allocated) and the file-backed part (the
   * Node binary's pages and files mapped into memory, e.g. LevelDB's table files: clean pages the kernel can take back).
   * Zero where there is no /proc.
   */
  mainRssAnonBytes: number;
  mainRssFileBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** C++ objects bound to JS objects, Buffers and ArrayBuffers included. */
  externalBytes: number;
  arrayBuffersBytes: number;
  /** Each live process the system started (the sandbox's Lambda execution environments), by pid. */
  processes: { pid: number; name: string; rssBytes: number; rssAnonBytes: number }[];
}

/** Collect garbage in the system process (when it may: started with BENCH_GC=1), then answer with `collected`. */
export interface CollectRequest {
  type: 'collect';
}

export interface Collected extends Omit<Stats, 'type'> {
  type: 'collected';
  /** False when the system process could not force a collection (BENCH_GC unset). */
  forced: boolean;
}

/** Write a V8 heap snapshot of the system process (not of the processes it started) into `directory`. */
export interface HeapSnapshotRequest {
  type: 'heap-snapshot';
  directory: string;
}

export interface HeapSnapshotWritten {
  type: 'heap-snapshot';
  path: string;
}

export interface ChildError {
  type: 'error';
  message: string;
}

export type ToChild = SetupRequest | StatsRequest | CollectRequest | HeapSnapshotRequest;
export type FromChild = Ready | Stats | Collected | HeapSnapshotWritten | ChildError | { type: 'listening' };

/** Refuses anything but loopback: the harness never targets another host. */
export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (!/^127\.\d+\.\d+\.\d+$/.test(hostname) && hostname !== 'localhost' && hostname !== '[::1]') {
    throw new Error(`refusing non-loopback target ${url}`);
  }
}
