/**
 * What amplify/seed/seed.ts creates: three demo users and three conversations with a short history. Pure data (no
 * side effects), so tests and tools can import it; docs/seed.md lists the same accounts and password.
 */

/** The demo accounts' password. It satisfies the default policy (8+ characters, upper, lower, digit). */
export const DEMO_PASSWORD = 'DemoChat-2468';

export const DEMO_USERS = [
  { key: 'ann', email: 'ann@example.com', displayName: 'Ann Archer' },
  { key: 'bob', email: 'bob@example.com', displayName: 'Bob Baker' },
  { key: 'cat', email: 'cat@example.com', displayName: 'Cat Cooper' },
] as const;

export type DemoUser = (typeof DEMO_USERS)[number];
export type DemoUserKey = DemoUser['key'];

export interface DemoMessage {
  from: DemoUserKey;
  text: string;
}

export interface DemoConversation {
  /** Stable key: part of every message's clientMessageId, so a second run recognises what it sent. */
  key: string;
  /** Conversations are found again by name and participants. */
  name: string;
  /** Who creates the conversation (and looks for it on later runs). */
  creator: DemoUserKey;
  participants: readonly DemoUserKey[];
  /** Sent in this order through sendMessage, each as its sender. */
  messages: readonly DemoMessage[];
}

export const DEMO_CONVERSATIONS: readonly DemoConversation[] = [
  {
    key: 'weekend-hike',
    name: 'Weekend hike',
    creator: 'ann',
    participants: ['ann', 'bob'],
    messages: [
      { from: 'ann', text: 'Are we still on for the hike on Saturday?' },
      { from: 'bob', text: 'Yes! Meet at the trailhead at 8?' },
      { from: 'ann', text: 'Perfect. I will bring snacks.' },
      { from: 'bob', text: 'Great, see you there 🥾' },
    ],
  },
  {
    key: 'launch-planning',
    name: 'Launch planning',
    creator: 'bob',
    participants: ['bob', 'ann', 'cat'],
    messages: [
      { from: 'bob', text: 'Kick-off for the launch: what is left before Friday?' },
      { from: 'cat', text: 'Release notes are drafted, I need one more review.' },
      { from: 'ann', text: 'I can review them this afternoon.' },
      { from: 'bob', text: 'Thanks! I will book the demo room.' },
      { from: 'cat', text: 'Sounds good, I will share the slides tomorrow.' },
    ],
  },
  {
    key: 'coffee',
    name: 'Coffee?',
    creator: 'cat',
    participants: ['cat', 'bob'],
    messages: [
      { from: 'cat', text: 'Coffee at 3?' },
      { from: 'bob', text: 'Make it 3:15 and I am in.' },
      { from: 'cat', text: 'Deal ☕' },
    ],
  },
];

/** The deterministic clientMessageId of a conversation's n-th message (0-based): sendMessage is idempotent on it. */
export function clientMessageIdFor(conversation: Pick<DemoConversation, 'key'>, index: number): string {
  return `seed:${conversation.key}:${index + 1}`;
}

export interface PasswordPolicy {
  min_length?: number;
  require_numbers?: boolean;
  require_lowercase?: boolean;
  require_uppercase?: boolean;
  require_symbols?: boolean;
}

/** What `password` lacks under `policy` (amplify_outputs.json's auth.password_policy); empty when it conforms. */
export function passwordProblems(password: string, policy: PasswordPolicy | undefined): string[] {
  if (!policy) return [];
  const problems: string[] = [];
  if (policy.min_length !== undefined && [...password].length < policy.min_length) problems.push(`at least ${policy.min_length} characters`);
  if (policy.require_numbers && !/\d/.test(password)) problems.push('a number');
  if (policy.require_lowercase && !/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (policy.require_uppercase && !/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (policy.require_symbols && !/[^A-Za-z0-9\s]/.test(password)) problems.push('a symbol');
  return problems;
}
