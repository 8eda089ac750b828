/**
 * What the durability test checks, as pure functions of what was sent and what was read back: every acknowledged
 * send is stored exactly once with what was sent; nothing is stored twice (by id or by clientMessageId); nothing is
 * stored that was not sent, or whose send was refused. Sends without an answer (in flight at the kill) may or may not
 * be stored — once at most.
 */
import type { SendOutcome, SentMessage } from '../load/chat-client';

export interface Attempt {
  senderSub: string;
  conversationId: string;
  clientMessageId: string;
  content: string;
  /** Undefined while in flight. */
  outcome?: SendOutcome;
}

export type AttemptState = 'acknowledged' | 'refused' | 'unknown';

/** Acknowledged: data.sendMessage and no errors. Refused: an answer with errors. Unknown: no answer (or none yet). */
export function stateOf(attempt: Attempt): AttemptState {
  if (attempt.outcome?.message) return 'acknowledged';
  if (attempt.outcome && !attempt.outcome.transport) return 'refused';
  return 'unknown';
}

export interface Audit {
  /** Acknowledged sends whose message (by the id the answer carried) was not read back. */
  missing: string[];
  /** Ids read back more than once. */
  duplicateIds: string[];
  /** clientMessageIds read back more than once. */
  duplicateClientMessageIds: string[];
  /** Messages read back that no attempt sent, or whose send was refused. */
  unexpected: string[];
  /** Messages read back whose fields differ from the send (or from its acknowledgement). */
  mismatched: string[];
  /** How many of the unknown attempts were read back (each once). */
  unknownFound: number;
}

function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const value of values) (seen.has(value) ? twice : seen).add(value);
  return [...twice];
}

export function audit(attempts: readonly Attempt[], found: readonly SentMessage[]): Audit {
  const byClientId = new Map(attempts.map((attempt) => [attempt.clientMessageId, attempt]));
  const foundIds = new Set(found.map((message) => message.id));
  const result: Audit = {
    missing: [],
    duplicateIds: repeated(found.map((message) => message.id)),
    duplicateClientMessageIds: repeated(found.map((message) => message.clientMessageId ?? '<none>')),
    unexpected: [],
    mismatched: [],
    unknownFound: 0,
  };
  for (const attempt of attempts) {
    const acknowledged = attempt.outcome?.message;
    if (acknowledged && !foundIds.has(acknowledged.id)) result.missing.push(`${acknowledged.id} (clientMessageId ${attempt.clientMessageId})`);
  }
  for (const message of found) {
    const attempt = message.clientMessageId === null ? undefined : byClientId.get(message.clientMessageId);
    if (!attempt || stateOf(attempt) === 'refused') {
      result.unexpected.push(`${message.id} (clientMessageId ${message.clientMessageId})`);
      continue;
    }
    if (stateOf(attempt) === 'unknown') result.unknownFound += 1;
    const acknowledged = attempt.outcome?.message;
    const differs =
      message.conversationId !== attempt.conversationId ||
      message.sender !== attempt.senderSub ||
      message.content !== attempt.content ||
      (acknowledged !== undefined && (acknowledged.id !== message.id || acknowledged.createdAt !== message.createdAt));
    if (differs) result.mismatched.push(`${message.id}: read ${JSON.stringify(message)}, sent ${JSON.stringify({ ...attempt, outcome: acknowledged })}`);
  }
  return result;
}
