/**
 * The load harness: AppSync real-time subscribers and an open-loop publisher in this (the harness) process,
 * against one system child. Every loop here is bounded in count and in wall time, and targets loopback only.
 *
 * Latency = receive time − SCHEDULED send time (not actual send time), so a publisher that falls behind
 * cannot hide the delay (coordinated omission). Scheduled times are `performance.now()` of this process,
 * carried in the message body; receive times are taken in the same process, so no clock is shared across
 * processes.
 */
import type { Agent } from 'node:https';
import { MAX_DISPLAY_NAME_LENGTH } from '../../amplify/shared/limits';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { WebSocket } from 'ws';
import { loopbackAgent, mapLimit, postJson } from './http';
import { CREATE_USER_PROFILE, ON_CREATE_USER_PROFILE, ON_MESSAGE_SENT, SEND_MESSAGE, assertLoopback, decodeMarker, messageContent, type GcPauses, type MemoryBreakdown, type Ready, type Stats } from './protocol';
import type { SystemProcess } from './system-process';

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6';

export interface StepSpec {
  workload: WorkloadId;
  /** e.g. "W2 k=2 @200/s" */
  label: string;
  connections: number;
  /** Subscribers per conversation (k). */
  conversationSize: number;
  /** Offered publishes per second (0 for W1). */
  rate: number;
  /** Measured publishing time (W1: idle hold time). */
  durationS: number;
  /**
   * Publishing at `rate` for this long before the measured phase, discarded (the method's warm-up: the systems' JIT
   * and caches reach their steady state, and a cold start of anything the first messages wake is not measured).
   */
  warmupS?: number;
  /** Message body length (characters). */
  contentLength: number;
  /** W4: connect → subscribe → disconnect cycles per second during the measured phase (extra connections). */
  churnPerSecond?: number;
  /** W6: share of the subscribers that stop reading after the warm-up (evenly spread over conversations). */
  slowFraction?: number;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** HdrHistogram, compressed base64 (µs), for later comparison across runs. */
  encoded: string;
}

export interface StepResult {
  system: string;
  step: StepSpec;
  conversations: number;
  ok: boolean;
  /** Why the harness could not complete the step (connect/start/warm-up failures, exceptions). */
  harnessErrors: string[];
  /** The step is invalid when the harness itself was saturated (it used more than 0.7 of a core): the numbers would
   * then measure the harness, not the server. */
  valid: boolean;
  invalidReasons: string[];
  setup: {
    connectMs: number;
    connectsPerSecond: number;
    warmupMs: number;
    probesSent: number;
    warmupPublished?: number;
    /** Of warmupMs, how long the warm-up went on so that a scheduled function's first run fell before the window. */
    scheduledRunWaitMs?: number;
  };
  publish: { scheduled: number; accepted: number; errors: number; firstError?: string; offeredRate: number; sentRate: number; maxBehindScheduleMs: number };
  delivery: {
    expected: number;
    delivered: number;
    lost: number;
    duplicates: number;
    reordered: number;
    /** Messages of a conversation the subscriber did not subscribe to (filtering failures). */
    foreign: number;
    deliveredPerSecond: number;
    drainMs: number;
  };
  latency: LatencySummary;
  ackLatency: LatencySummary;
  server: {
    cpuCores: number;
    cpuUsPerDelivery: number | null;
    cpuUsPerMutation: number | null;
    /** Of cpuUsPerMutation, the processes the system started (the sandbox's Lambda execution environments). */
    childCpuUsPerMutation?: number | null;
    idleCpuCores: number | null;
    rssBeforeMiB: number;
    rssAfterConnectMiB: number;
    rssPeakMiB: number;
    rssPerConnectionKiB: number;
    /** RSS once the step is over and the system idle: every connection closed, IDLE_SETTLE_MS later, after a forced
     * garbage collection when the system may (memory.idleCollected). Compare with rssBeforeMiB. */
    rssAfterIdleMiB?: number;
    /** The breakdown (system process and each process it started) before connecting, at the peak RSS sample, and idle. */
    memory?: { before: MemorySummary; peak: MemorySummary; afterIdle?: MemorySummary; idleCollected: boolean; idleSettleMs?: number };
    eventLoopP99Ms: number;
    eventLoopMaxMs: number;
    /** The system process's collections over the publish + drain window (absent in results older than this field). */
    gcPauses?: GcPauses;
    counters: Record<string, number>;
    /** How much each counter moved over the publish + drain window (only those that did). */
    windowCounters?: Record<string, number>;
  };
  harness: { cpuCores: number; eventLoopP99Ms: number; eventLoopMaxMs: number; utilization: number };
  bytesPerDataFrame: number;
  /** W4: the churn cycles run next to the publishing. */
  churn?: { cycles: number; completed: number; errors: number; firstError?: string; cycleP50Ms: number; cycleP99Ms: number };
  /** W5: every subscriber dropped and reconnected after the warm-up; the measured phase then checks nothing is lost. */
  storm?: { connections: number; reconnectMs: number; reconnectsPerSecond: number; errors: number; firstError?: string };
  /** W6: subscribers that stopped reading (not counted in expected deliveries). */
  slow?: { subscribers: number; disconnectedByServer: number; closeReasons: string[]; rssGrowthMiB: number };
  notes: string[];
}

/** MiB figures of a system's memory at one moment (bench/harness/protocol.ts MemoryBreakdown). */
export interface MemorySummary {
  rssMiB: number;
  /** Of rssMiB, the anonymous memory of every process (allocated, not file pages such as the binaries' or mapped table files). */
  anonMiB: number;
  mainRssMiB: number;
  mainAnonMiB: number;
  mainFileMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  /** The processes the system started (the sandbox's Lambda execution environments). */
  processes: { pid: number; name: string; rssMiB: number }[];
}

export function memorySummary(stats: Pick<Stats, 'rssBytes' | 'memory'>): MemorySummary {
  const m: MemoryBreakdown = stats.memory;
  return {
    rssMiB: mib(stats.rssBytes),
    anonMiB: mib(m.mainRssAnonBytes + m.processes.reduce((sum, p) => sum + p.rssAnonBytes, 0)),
    mainRssMiB: mib(m.mainRssBytes),
    mainAnonMiB: mib(m.mainRssAnonBytes),
    mainFileMiB: mib(m.mainRssFileBytes),
    heapUsedMiB: mib(m.heapUsedBytes),
    heapTotalMiB: mib(m.heapTotalBytes),
    externalMiB: mib(m.externalBytes),
    arrayBuffersMiB: mib(m.arrayBuffersBytes),
    processes: m.processes.map((p) => ({ pid: p.pid, name: p.name, rssMiB: mib(p.rssBytes) })),
  };
}

/**
 * One moment's memory, MiB: all processes' RSS (of which anonymous), the system process (RSS, of which anonymous and
 * file-backed; V8 heap used/total, external, of which ArrayBuffers) and each process it started.
 */
export function memoryLine(label: string, m: MemorySummary): string {
  const processes = m.processes.map((p) => `${p.name} ${p.rssMiB}`).join(', ');
  return (
    `${label} ${m.rssMiB} (anon ${m.anonMiB}) = main ${m.mainRssMiB} (anon ${m.mainAnonMiB}, file ${m.mainFileMiB}; ` +
    `heap ${m.heapUsedMiB}/${m.heapTotalMiB}, ext ${m.externalMiB}, ab ${m.arrayBuffersMiB})${processes ? ` + ${processes}` : ''}`
  );
}

/** After a step: how long the system is left alone (connections closed) before its idle memory is read. */
export const IDLE_SETTLE_MS = 2_000;
/**
 * The same with --gc: long enough for the sandbox's Lambda environments to give back what the step left resident
 * (they do after 15 s idle, offline/sandbox/idle-memory.ts; the bench can collect only in the system process itself).
 */
export const IDLE_SETTLE_GC_MS = 25_000;

const HARNESS_CPU_BUDGET = 0.7;
const CONNECT_CONCURRENCY = 100;
const CONNECT_TIMEOUT_MS = 15_000;
const WARMUP_LIMIT_MS = 30_000;
const WARMUP_ROUND_MS = 1_000;
const DRAIN_LIMIT_MS = 20_000;
/** A scheduled run due this soon after the measured window would end still counts as inside it (its cold start lasts seconds). */
const SCHEDULED_RUN_MARGIN_MS = 3_000;
/** How long past its due time the harness waits for a scheduled function's first run. */
const SCHEDULED_RUN_LIMIT_MS = 90_000;
const PUBLISH_SOCKETS = 64;

function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 'packed' });
}

function summarize(histogram: hdr.Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    count: histogram.totalCount,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    encoded: histogram.totalCount > 0 ? hdr.encodeIntoCompressedBase64(histogram) : '',
  };
}

const nowUs = (): number => performance.now() * 1000;

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

interface MessageTrace {
  scheduledUs: number;
  firstUs: number;
  lastUs: number;
  count: number;
}

/**
 * `BENCH_TRACE=1`: the step's ten slowest messages by their last delivery, each with its scheduled time (ms into the
 * measured phase) and, in ms after it, its acknowledgement and its first and last delivery: which messages make the
 * p99, and whether it was the way in (first) or the fan-out (last − first).
 */
function slowestMessages(system: string, label: string, trace: ReadonlyMap<number, MessageTrace>, ackTimes: ReadonlyMap<number, number>, t0Us: number): string {
  const ms = (us: number) => (us / 1000).toFixed(1);
  const rows = [...trace].sort((a, b) => b[1].lastUs - b[1].scheduledUs - (a[1].lastUs - a[1].scheduledUs)).slice(0, 10);
  const text = rows.map(([key, m]) => {
    const ack = ackTimes.get(key);
    return `@${ms(m.scheduledUs - t0Us)} ack ${ack === undefined ? '-' : ms(ack - m.scheduledUs)} first ${ms(m.firstUs - m.scheduledUs)} last ${ms(m.lastUs - m.scheduledUs)} (${m.count})`;
  });
  return `slowest of ${trace.size} messages, ${system} ${label}: ${text.join(' | ')}\n`;
}

/** Counts for the step in progress; shared by all subscribers (single-threaded). */
class Tally {
  latency = newHistogram();
  delivered = 0;
  duplicates = 0;
  reordered = 0;
  foreign = 0;
  lastDeliveryUs = 0;
  frameBytes = 0;
  frames = 0;
  counting = false;
  /** With BENCH_TRACE=1, per message (conversation × 1e8 + seq): its scheduled time and first and last delivery (µs). */
  trace: Map<number, MessageTrace> | undefined = process.env['BENCH_TRACE'] ? new Map() : undefined;
}

/** One WebSocket connection with one subscription, speaking the AppSync real-time protocol. */
class Subscriber {
  private ws: WebSocket | undefined;
  probed = false;
  /** seen[seq] for this step's data messages. */
  seen: Uint8Array = new Uint8Array(0);
  lastSeq = 0;
  errors: string[] = [];
  closedUnexpectedly = false;
  /** W6: this subscriber stopped reading; a server-side close is then an expected outcome, recorded here. */
  slow = false;
  serverClose: string | undefined;

  constructor(
    readonly index: number,
    readonly conversation: number,
    private readonly tally: Tally,
  ) {}

  async open(ready: Ready, token: string, ca: string): Promise<void> {
    assertLoopback(ready.realtimeUrl);
    const host = new URL(ready.graphqlUrl).host;
    const auth = ready.realtimeAuth ?? { Authorization: token, host };
    const ws = ready.realtimeQueryHeader
      ? new WebSocket(`${ready.realtimeUrl}?header=${Buffer.from(JSON.stringify(auth)).toString('base64')}&payload=e30=`, ['graphql-ws'], { ca, perMessageDeflate: false })
      : new WebSocket(ready.realtimeUrl, ['graphql-ws', `header-${base64Url(auth)}`], { ca, perMessageDeflate: false });
    this.ws = ws;
    const id = `s${this.index}`;
    const conversationId = ready.conversationIds[this.conversation];
    const acked = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`subscriber ${this.index}: no start_ack within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      ws.on('message', (data: Buffer) => {
        const marker = decodeMarker(data);
        if (marker) {
          this.receive(marker.conversation, marker.seq, marker.scheduledUs, data.length);
          return;
        }
        let message: { type?: string; payload?: unknown };
        try {
          message = JSON.parse(data.toString('utf8')) as typeof message;
        } catch {
          this.errors.push(`unparsable frame ${data.toString('utf8').slice(0, 100)}`);
          return;
        }
        if (message.type === 'connection_ack') {
          const query = ready.subscription === 'onMessageSent' ? ON_MESSAGE_SENT : ON_CREATE_USER_PROFILE;
          const variables = ready.subscription === 'onMessageSent' ? { conversationId } : {};
          ws.send(JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: auth } } }));
        } else if (message.type === 'start_ack') {
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'error' || message.type === 'connection_error') {
          clearTimeout(timer);
          const text = `subscriber ${this.index}: ${message.type} ${JSON.stringify(message.payload).slice(0, 300)}`;
          this.errors.push(text);
          reject(new Error(text));
        } else if (message.type === 'data') {
          // A data frame without the marker: an event this harness did not publish.
          this.errors.push(`unexpected data frame ${data.toString('utf8').slice(0, 200)}`);
        }
      });
      ws.once('open', () => ws.send('{"type":"connection_init"}'));
      ws.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      ws.once('close', (code, reason) => {
        clearTimeout(timer);
        if (this.closing) return;
        if (this.slow) {
          this.serverClose = `${code} ${reason.toString('utf8')}`;
          return;
        }
        this.closedUnexpectedly = true;
        reject(new Error(`subscriber ${this.index}: closed with ${code}`));
      });
    });
    await acked;
  }

  private closing = false;

  private receive(conversation: number, seq: number, scheduledUs: number, bytes: number): void {
    const tally = this.tally;
    if (conversation !== this.conversation) {
      tally.foreign += 1;
      return;
    }
    if (seq === 0) {
      this.probed = true;
      return;
    }
    if (!tally.counting) return;
    const now = nowUs();
    if (seq >= this.seen.length || this.seen[seq] === 1) {
      tally.duplicates += 1;
      return;
    }
    this.seen[seq] = 1;
    if (seq < this.lastSeq) tally.reordered += 1;
    else this.lastSeq = seq;
    tally.delivered += 1;
    tally.lastDeliveryUs = now;
    tally.frameBytes += bytes;
    tally.frames += 1;
    tally.latency.recordValue(Math.max(1, Math.round(now - scheduledUs)));
    if (!tally.trace) return;
    const key = conversation * 1e8 + seq;
    const entry = tally.trace.get(key);
    if (entry) {
      entry.lastUs = now;
      entry.count += 1;
    } else tally.trace.set(key, { scheduledUs, firstUs: now, lastUs: now, count: 1 });
  }

  /** W6: stop reading from the socket (the server's frames pile up in the kernel, then in its own buffer). */
  stopReading(): void {
    this.slow = true;
    this.ws?.pause();
  }

  resumeReading(): void {
    this.ws?.resume();
  }

  close(): void {
    this.closing = true;
    this.ws?.terminate();
  }
}

interface Publisher {
  body(conversation: number, seq: number, scheduledUs: number): string;
  headers(conversation: number, seq: number): Record<string, string>;
}

function publisherFor(ready: Ready, contentLength: number): Publisher {
  return {
    body(conversation, seq, scheduledUs) {
      const conversationId = ready.conversationIds[conversation];
      if (ready.publishPath === 'createUserProfile') {
        // The display name carries the marker; the schema bounds it (MAX_DISPLAY_NAME_LENGTH), so this path's payload
        // is shorter than sendMessage's (docs/benchmarks.md).
        const displayName = messageContent(conversation, seq, scheduledUs, Math.min(contentLength, MAX_DISPLAY_NAME_LENGTH));
        return JSON.stringify({ query: CREATE_USER_PROFILE, variables: { input: { id: randomUUID(), displayName } } });
      }
      const content = messageContent(conversation, seq, scheduledUs, contentLength);
      return JSON.stringify({ query: SEND_MESSAGE, variables: { input: { conversationId, content, messageType: 'TEXT' } } });
    },
    headers(conversation, seq) {
      if (ready.publishHeaders) return ready.publishHeaders;
      const tokens = ready.tokens[conversation] ?? [];
      return { authorization: tokens[seq % tokens.length] ?? '' };
    },
  };
}

function accepted(status: number, body: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 300)}`;
  if (body.includes('"errors"')) return body.slice(0, 300);
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** Samples the system's stats every 500 ms until stopped; returns the sample with the peak RSS. */
function rssSampler(system: SystemProcess): { stop(): Promise<Stats | undefined> } {
  let peak: Stats | undefined;
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && i < 10_000; i += 1) {
      // Memory only: the cpu/event-loop windows are taken by the step itself.
      const stats = await system.stats(false);
      if (!peak || stats.rssBytes > peak.rssBytes) peak = stats;
      await sleep(500);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/**
 * W4: extra connections that connect, subscribe (start_ack) and disconnect at `churnPerSecond`, scheduled like the
 * publisher (bounded in count and by the step deadline, at most 100 cycles in flight). Their deliveries are not
 * counted; a cycle's time is connect + connection_init + start → start_ack.
 */
async function churnLoop(spec: StepSpec, ready: Ready, ca: string, conversations: number, t0Us: number, deadlineUs: number): Promise<NonNullable<StepResult['churn']>> {
  const rate = spec.churnPerSecond ?? 0;
  const cycles = Math.round(rate * spec.durationS);
  const histogram = newHistogram();
  const ignored = new Tally();
  const inFlight = new Set<Promise<void>>();
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  for (let i = 0; i < cycles; i += 1) {
    const dueUs = t0Us + (i * 1e6) / rate;
    while (nowUs() < dueUs) await sleep(Math.min(5, Math.max(0, (dueUs - nowUs()) / 1000)));
    if (nowUs() > deadlineUs) break;
    while (inFlight.size >= 100 && nowUs() < deadlineUs) await Promise.race(inFlight);
    const conversation = i % conversations;
    const tokens = ready.tokens[conversation] ?? [];
    const subscriber = new Subscriber(1_000_000 + i, conversation, ignored);
    const started = nowUs();
    const cycle = subscriber
      .open(ready, tokens[i % tokens.length] ?? '', ca)
      .then(
        () => {
          completed += 1;
          histogram.recordValue(Math.max(1, Math.round(nowUs() - started)));
        },
        (error: unknown) => {
          errors += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => {
        subscriber.close();
        inFlight.delete(cycle);
      });
    inFlight.add(cycle);
  }
  await Promise.race([Promise.all(inFlight), sleep(Math.max(0, (deadlineUs - nowUs()) / 1000))]);
  const summary = summarize(histogram);
  return { cycles, completed, errors, ...(firstError ? { firstError } : {}), cycleP50Ms: summary.p50Ms, cycleP99Ms: summary.p99Ms };
}

/**
 * Open loop: request i (0 … count − 1) is issued at t0Us + i / rate whatever the state of earlier requests (bounded by
 * deadlineUs). Returns how many were issued, how far behind schedule the loop fell, and the requests still in flight.
 */
async function openLoop(
  count: number,
  rate: number,
  t0Us: number,
  deadlineUs: number,
  send: (i: number, scheduledUs: number) => Promise<void>,
): Promise<{ sent: number; maxBehindUs: number; inFlight: Set<Promise<void>> }> {
  const intervalUs = 1e6 / rate;
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let maxBehindUs = 0;
  while (sent < count && nowUs() <= deadlineUs) {
    const now = nowUs();
    while (sent < count && t0Us + sent * intervalUs <= now) {
      const scheduledUs = t0Us + sent * intervalUs;
      maxBehindUs = Math.max(maxBehindUs, now - scheduledUs);
      const tracked: Promise<void> = send(sent, scheduledUs).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      sent += 1;
    }
    await sleep(Math.max(0, Math.min((t0Us + sent * intervalUs - nowUs()) / 1000, 5)));
  }
  return { sent, maxBehindUs, inFlight };
}

/** idleMemory: read the system's memory once the step is over and it is idle (idleSettleMs, by default IDLE_SETTLE_MS, more per step). */
export async function runStep(systemName: string, system: SystemProcess, ready: Ready, spec: StepSpec, ca: string, options: { idleMemory?: boolean; idleSettleMs?: number } = {}): Promise<StepResult> {
  const conversations = Math.max(1, Math.floor(spec.connections / spec.conversationSize));
  const tally = new Tally();
  const harnessErrors: string[] = [];
  const notes = [...ready.notes];
  const agent: Agent = loopbackAgent(ca, PUBLISH_SOCKETS);
  const subscribers: Subscriber[] = [];
  const ackHistogram = newHistogram();
  const result = {} as StepResult;
  try {
    // ---- connect and subscribe ----
    const before = await system.stats(false);
    const connectStart = performance.now();
    for (let index = 0; index < conversations * spec.conversationSize; index += 1) {
      subscribers.push(new Subscriber(index, Math.floor(index / spec.conversationSize), tally));
    }
    await mapLimit(subscribers, CONNECT_CONCURRENCY, async (subscriber) => {
      const tokens = ready.tokens[subscriber.conversation] ?? [];
      await subscriber.open(ready, tokens[subscriber.index % tokens.length] ?? '', ca);
    });
    const connectMs = performance.now() - connectStart;
    const afterConnect = await system.stats(false);

    // ---- warm up: probes until every subscription has received one (start_ack is not a guarantee) ----
    const publisher = publisherFor(ready, spec.contentLength);
    let probesSent = 0;
    const warmUp = async (): Promise<number> => {
      const warmStart = performance.now();
      for (let round = 0; ; round += 1) {
        const waiting = new Set(subscribers.filter((s) => !s.probed).map((s) => s.conversation));
        if (waiting.size === 0) break;
        if (performance.now() - warmStart > WARMUP_LIMIT_MS) {
          throw new Error(`warm-up: ${subscribers.filter((s) => !s.probed).length} subscriptions received no probe within ${WARMUP_LIMIT_MS} ms`);
        }
        await mapLimit([...waiting], 32, async (conversation) => {
          probesSent += 1;
          const response = await postJson(ready.graphqlUrl, publisher.body(conversation, 0, nowUs()), publisher.headers(conversation, round), agent);
          const problem = accepted(response.status, response.body);
          if (problem) throw new Error(`warm-up probe refused: ${problem}`);
        });
        const roundEnd = performance.now() + WARMUP_ROUND_MS;
        while (performance.now() < roundEnd && subscribers.some((s) => !s.probed)) await sleep(20);
      }
      return performance.now() - warmStart;
    };
    let warmupMs = await warmUp();

    // ---- W5: drop every connection and reconnect them all as fast as the harness allows ----
    if (spec.workload === 'W5') {
      const stormStart = performance.now();
      for (const subscriber of subscribers) subscriber.close();
      const fresh = subscribers.map((old) => new Subscriber(old.index, old.conversation, tally));
      subscribers.splice(0, subscribers.length, ...fresh);
      let stormErrors = 0;
      let firstStormError: string | undefined;
      await mapLimit(subscribers, CONNECT_CONCURRENCY, async (subscriber) => {
        const tokens = ready.tokens[subscriber.conversation] ?? [];
        try {
          await subscriber.open(ready, tokens[subscriber.index % tokens.length] ?? '', ca);
        } catch (error) {
          stormErrors += 1;
          firstStormError ??= error instanceof Error ? error.message : String(error);
        }
      });
      const reconnectMs = performance.now() - stormStart;
      result.storm = {
        connections: subscribers.length,
        reconnectMs: Math.round(reconnectMs),
        reconnectsPerSecond: Math.round((subscribers.length / reconnectMs) * 1000),
        errors: stormErrors,
        ...(firstStormError ? { firstError: firstStormError } : {}),
      };
      if (stormErrors > 0) harnessErrors.push(`reconnect storm: ${stormErrors} of ${subscribers.length} failed (${firstStormError ?? ''})`);
      // Every new subscription must be live before the measured phase (which then shows nothing is lost after it).
      warmupMs += await warmUp();
    }

    // ---- timed warm-up: the step's own load for warmupS, discarded (seq 0: receivers ignore it) ----
    let warmupPublished = 0;
    const warmFor = async (seconds: number): Promise<void> => {
      const warmStart = performance.now();
      if (spec.rate <= 0) {
        await sleep(seconds * 1000);
        warmupMs += performance.now() - warmStart;
        return;
      }
      const count = Math.round(spec.rate * seconds);
      const t0 = nowUs() + 50_000;
      let problem: string | undefined;
      const loop = await openLoop(count, spec.rate, t0, t0 + seconds * 1e6 + 5e6, (i) =>
        postJson(ready.graphqlUrl, publisher.body(i % conversations, 0, nowUs()), publisher.headers(i % conversations, Math.floor(i / conversations)), agent).then(
          (response) => {
            problem ??= accepted(response.status, response.body);
          },
          (error: unknown) => {
            problem ??= String(error);
          },
        ),
      );
      // Nothing of the warm-up may still be queued in the system when the measured phase starts.
      await Promise.race([Promise.all(loop.inFlight), sleep(DRAIN_LIMIT_MS)]);
      if (loop.inFlight.size > 0) harnessErrors.push(`warm-up: ${loop.inFlight.size} of ${count} publishes unanswered after ${DRAIN_LIMIT_MS} ms`);
      if (problem) harnessErrors.push(`warm-up publish refused: ${problem}`);
      warmupPublished += loop.sent;
      warmupMs += performance.now() - warmStart;
    };
    if (spec.warmupS && spec.warmupS > 0 && spec.rate > 0) await warmFor(spec.warmupS);

    // ---- a scheduled function's first run stays out of the measured window ----
    // It cold-starts the function's environment (a Node process and its bundle: about two seconds of CPU on the
    // system's core), which the warm-up exists to keep out of the figures. When one is due before the window would
    // end, the step's load goes on (discarded) until it has run; later runs, warm, fall where they fall.
    let scheduledRunWaitMs = 0;
    for (const started = performance.now(); ; ) {
      const { pendingFirstScheduledRuns: pending } = await system.stats(false);
      const windowEnd = Date.now() + spec.durationS * 1000 + SCHEDULED_RUN_MARGIN_MS;
      if (!pending.some((run) => run.nextRunAt <= windowEnd)) break;
      if (performance.now() - started > SCHEDULED_RUN_LIMIT_MS) {
        harnessErrors.push(`warm-up: ${pending.map((run) => run.functionName).join(', ')} had not run ${SCHEDULED_RUN_LIMIT_MS} ms after being due`);
        break;
      }
      await warmFor(1);
      scheduledRunWaitMs = performance.now() - started;
    }

    // ---- W6: some subscribers stop reading ----
    const slowSubscribers: Subscriber[] = [];
    if (spec.slowFraction && spec.slowFraction > 0) {
      const count = Math.max(1, Math.round(subscribers.length * spec.slowFraction));
      const stride = subscribers.length / count;
      for (let i = 0; i < count; i += 1) slowSubscribers.push(subscribers[Math.floor(i * stride)]!);
      for (const subscriber of slowSubscribers) subscriber.stopReading();
    }

    // ---- measure ----
    const total = spec.workload === 'W1' ? 0 : Math.round(spec.rate * spec.durationS);
    let expected = 0;
    for (const subscriber of subscribers) {
      const perConversation = Math.max(0, Math.ceil((total - subscriber.conversation) / conversations));
      subscriber.seen = new Uint8Array(perConversation + 1);
      if (!subscriber.slow) expected += perConversation;
    }
    const harnessLoop = monitorEventLoopDelay({ resolution: 10 });
    harnessLoop.enable();
    const harnessCpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const sampler = rssSampler(system);
    const statsStart = await system.stats(true);
    tally.counting = true;
    const t0Us = nowUs() + 50_000;
    let sent = 0;
    let acceptedCount = 0;
    let errors = 0;
    let firstError: string | undefined;
    let maxBehindUs = 0;
    let inFlight = new Set<Promise<void>>();
    const ackTimes = new Map<number, number>();
    const stepDeadlineUs = t0Us + spec.durationS * 1e6 + 5e6;
    const churn = spec.churnPerSecond && spec.churnPerSecond > 0 ? churnLoop(spec, ready, ca, conversations, t0Us, stepDeadlineUs) : undefined;

    if (total === 0) {
      await sleep(spec.durationS * 1000);
    } else {
      const loop = await openLoop(total, spec.rate, t0Us, stepDeadlineUs, (i, scheduledUs) => {
        const conversation = i % conversations;
        const seq = Math.floor(i / conversations) + 1;
        return postJson(ready.graphqlUrl, publisher.body(conversation, seq, scheduledUs), publisher.headers(conversation, seq), agent).then(
          (response) => {
            const problem = accepted(response.status, response.body);
            if (problem) {
              errors += 1;
              firstError ??= problem;
            } else {
              acceptedCount += 1;
              ackHistogram.recordValue(Math.max(1, Math.round(nowUs() - scheduledUs)));
              if (tally.trace) ackTimes.set(conversation * 1e8 + seq, nowUs());
            }
          },
          (error: unknown) => {
            errors += 1;
            firstError ??= String(error);
          },
        );
      });
      ({ sent, maxBehindUs, inFlight } = loop);
      if (sent < total) harnessErrors.push(`publisher could not issue ${total - sent} of ${total} sends before the step deadline`);
    }
    if (churn) {
      result.churn = await churn;
      if (result.churn.completed < result.churn.cycles) {
        harnessErrors.push(`churn: ${result.churn.cycles - result.churn.completed} of ${result.churn.cycles} cycles failed or did not finish (${result.churn.firstError ?? 'deadline'})`);
      }
    }
    // ---- drain: wait for responses and deliveries, bounded ----
    const drainStart = performance.now();
    while (performance.now() - drainStart < DRAIN_LIMIT_MS && (inFlight.size > 0 || tally.delivered < expected)) await sleep(20);
    const drainMs = performance.now() - drainStart;
    await Promise.race([Promise.all(inFlight), sleep(2000)]);
    tally.counting = false;
    const statsEnd: Stats = await system.stats(true);
    const sampledPeak = await sampler.stop();
    const peakStats = sampledPeak && sampledPeak.rssBytes >= statsEnd.rssBytes ? sampledPeak : statsEnd;
    const rssPeak = peakStats.rssBytes;
    if (slowSubscribers.length > 0) {
      // Read again: a server-side close (slow consumer limit) is only seen once the socket is read.
      for (const subscriber of slowSubscribers) subscriber.resumeReading();
      const until = performance.now() + 1000;
      while (performance.now() < until && slowSubscribers.some((s) => s.serverClose === undefined)) await sleep(50);
      result.slow = {
        subscribers: slowSubscribers.length,
        disconnectedByServer: slowSubscribers.filter((s) => s.serverClose !== undefined).length,
        closeReasons: [...new Set(slowSubscribers.flatMap((s) => (s.serverClose ? [s.serverClose] : [])))].slice(0, 3),
        rssGrowthMiB: mib(rssPeak - afterConnect.rssBytes),
      };
    }
    if (tally.trace) process.stderr.write(slowestMessages(systemName, spec.label, tally.trace, ackTimes, t0Us));
    const harnessCpu = process.cpuUsage(harnessCpu0);
    const elu = performance.eventLoopUtilization(elu0);
    harnessLoop.disable();

    const endUs = total === 0 ? nowUs() : Math.max(tally.lastDeliveryUs, t0Us + spec.durationS * 1e6);
    const windowS = Math.max(0.001, (endUs - t0Us) / 1e6);
    const serverCpuUs = statsEnd.cpuUserUs + statsEnd.cpuSystemUs - (statsStart.cpuUserUs + statsStart.cpuSystemUs);
    const childCpuUs = (statsEnd.childCpuUs ?? 0) - (statsStart.childCpuUs ?? 0);
    const harnessCores = (harnessCpu.user + harnessCpu.system) / 1e6 / windowS;
    const invalidReasons: string[] = [];
    if (harnessCores > HARNESS_CPU_BUDGET) invalidReasons.push(`harness CPU ${harnessCores.toFixed(2)} cores > ${HARNESS_CPU_BUDGET}`);
    for (const subscriber of subscribers) {
      if (subscriber.closedUnexpectedly) harnessErrors.push(`subscriber ${subscriber.index} was disconnected`);
      harnessErrors.push(...subscriber.errors.slice(0, 3));
    }
    const lost = Math.max(0, expected - tally.delivered);
    Object.assign(result, {
      system: systemName,
      step: spec,
      conversations,
      harnessErrors: harnessErrors.slice(0, 20),
      valid: invalidReasons.length === 0,
      invalidReasons,
      setup: {
        connectMs: Math.round(connectMs),
        connectsPerSecond: Math.round((subscribers.length / connectMs) * 1000),
        warmupMs: Math.round(warmupMs),
        probesSent,
        ...(warmupPublished > 0 ? { warmupPublished } : {}),
        ...(scheduledRunWaitMs > 0 ? { scheduledRunWaitMs: Math.round(scheduledRunWaitMs) } : {}),
      },
      publish: {
        scheduled: total,
        accepted: acceptedCount,
        errors,
        ...(firstError ? { firstError } : {}),
        offeredRate: spec.rate,
        sentRate: total === 0 ? 0 : Math.round((sent / spec.durationS) * 10) / 10,
        maxBehindScheduleMs: Math.round(maxBehindUs / 100) / 10,
      },
      delivery: {
        expected,
        delivered: tally.delivered,
        lost,
        duplicates: tally.duplicates,
        reordered: tally.reordered,
        foreign: tally.foreign,
        deliveredPerSecond: Math.round(tally.delivered / windowS),
        drainMs: Math.round(drainMs),
      },
      latency: summarize(tally.latency),
      ackLatency: summarize(ackHistogram),
      server: {
        cpuCores: Math.round((serverCpuUs / 1e6 / windowS) * 1000) / 1000,
        cpuUsPerDelivery: tally.delivered > 0 ? Math.round((serverCpuUs / tally.delivered) * 10) / 10 : null,
        cpuUsPerMutation: acceptedCount > 0 ? Math.round(serverCpuUs / acceptedCount) : null,
        childCpuUsPerMutation: acceptedCount > 0 ? Math.round(childCpuUs / acceptedCount) : null,
        idleCpuCores: total === 0 ? Math.round((serverCpuUs / 1e6 / windowS) * 1000) / 1000 : null,
        rssBeforeMiB: mib(before.rssBytes),
        rssAfterConnectMiB: mib(afterConnect.rssBytes),
        rssPeakMiB: mib(rssPeak),
        rssPerConnectionKiB: Math.round(((afterConnect.rssBytes - before.rssBytes) / 1024 / Math.max(1, subscribers.length)) * 10) / 10,
        memory: { before: memorySummary(before), peak: memorySummary(peakStats), idleCollected: false },
        eventLoopP99Ms: statsEnd.eventLoopP99Ms,
        eventLoopMaxMs: statsEnd.eventLoopMaxMs,
        gcPauses: statsEnd.gcPauses,
        counters: statsEnd.counters,
        windowCounters: Object.fromEntries(
          Object.entries(statsEnd.counters)
            .map(([name, value]) => [name, value - (statsStart.counters[name] ?? 0)] as const)
            .filter(([, moved]) => moved > 0),
        ),
      },
      harness: {
        cpuCores: Math.round(harnessCores * 1000) / 1000,
        eventLoopP99Ms: Math.round(harnessLoop.percentile(99) / 1e4) / 100,
        eventLoopMaxMs: Math.round(harnessLoop.max / 1e4) / 100,
        utilization: Math.round(elu.utilization * 1000) / 1000,
      },
      bytesPerDataFrame: tally.frames > 0 ? Math.round(tally.frameBytes / tally.frames) : 0,
      notes,
    } satisfies Omit<StepResult, 'ok'>);
    result.ok = harnessErrors.length === 0 && lost === 0 && tally.duplicates === 0 && errors === 0;
    if (options.idleMemory === false) return result;
    // ---- idle: every connection closed, then the system's memory (after a forced collection where it may) ----
    for (const subscriber of subscribers) subscriber.close();
    agent.destroy();
    const idleSettleMs = options.idleSettleMs ?? IDLE_SETTLE_MS;
    await sleep(idleSettleMs);
    try {
      const idle = await system.collect();
      result.server.rssAfterIdleMiB = mib(idle.rssBytes);
      result.server.memory = { ...result.server.memory!, afterIdle: memorySummary(idle), idleCollected: idle.forced, idleSettleMs };
    } catch (error) {
      notes.push(`idle memory not read: ${error instanceof Error ? error.message : String(error)}`);
    }
    return result;
  } finally {
    for (const subscriber of subscribers) subscriber.close();
    agent.destroy();
  }
}

/** A result for a step that failed before it produced numbers. */
export function failedStep(systemName: string, spec: StepSpec, error: unknown): StepResult {
  const empty: LatencySummary = { count: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, encoded: '' };
  return {
    system: systemName,
    step: spec,
    conversations: Math.max(1, Math.floor(spec.connections / spec.conversationSize)),
    ok: false,
    harnessErrors: [error instanceof Error ? error.message : String(error)],
    valid: false,
    invalidReasons: ['step failed'],
    setup: { connectMs: 0, connectsPerSecond: 0, warmupMs: 0, probesSent: 0 },
    publish: { scheduled: 0, accepted: 0, errors: 0, offeredRate: spec.rate, sentRate: 0, maxBehindScheduleMs: 0 },
    delivery: { expected: 0, delivered: 0, lost: 0, duplicates: 0, reordered: 0, foreign: 0, deliveredPerSecond: 0, drainMs: 0 },
    latency: empty,
    ackLatency: empty,
    server: {
      cpuCores: 0,
      cpuUsPerDelivery: null,
      cpuUsPerMutation: null,
      childCpuUsPerMutation: null,
      idleCpuCores: null,
      rssBeforeMiB: 0,
      rssAfterConnectMiB: 0,
      rssPeakMiB: 0,
      rssPerConnectionKiB: 0,
      eventLoopP99Ms: 0,
      eventLoopMaxMs: 0,
      counters: {},
    },
    harness: { cpuCores: 0, eventLoopP99Ms: 0, eventLoopMaxMs: 0, utilization: 0 },
    bytesPerDataFrame: 0,
    notes: [],
  };
}
