/**
 * Who a tab of the explorer calls AppSync as: nobody, the API key, the console's IAM principal, or a user of the pool
 * (kept per GraphiQL tab: tab-callers.ts).
 */
import type { ConsoleUser } from '../auth/types';

export type CallerChoice = { kind: 'none' } | { kind: 'apiKey' } | { kind: 'iam' } | { kind: 'user'; username: string };

/** What `GET /api/graphql` answers: the callers this API can authorize. */
export interface ApiCallers {
  userPool: boolean;
  apiKey: boolean;
  iam: boolean;
  defaultAuthMode: string;
}

/** The `as` of the console's GraphQL route and subscription socket. */
export function asOf(choice: CallerChoice): Record<string, unknown> | undefined {
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'apiKey':
      return { apiKey: true };
    case 'iam':
      return { iam: true };
    case 'user':
      return { user: choice.username };
  }
}

/** A choice as the value of an `<option>`. */
export function choiceValue(choice: CallerChoice): string {
  return choice.kind === 'user' ? `user:${choice.username}` : choice.kind;
}

export function choiceFromValue(value: string): CallerChoice {
  if (value.startsWith('user:')) return { kind: 'user', username: value.slice('user:'.length) };
  if (value === 'apiKey' || value === 'iam') return { kind: value };
  return { kind: 'none' };
}

/** How the page names a caller (a user by their e-mail where the list has it). */
export function choiceLabel(choice: CallerChoice, users: readonly ConsoleUser[] = []): string {
  switch (choice.kind) {
    case 'none':
      return 'No credentials';
    case 'apiKey':
      return 'API key';
    case 'iam':
      return 'IAM (the console)';
    case 'user': {
      const user = users.find((candidate) => candidate.username === choice.username);
      return `User ${user?.email ?? choice.username}`;
    }
  }
}

export function isChoice(value: unknown): value is CallerChoice {
  if (value === null || typeof value !== 'object') return false;
  const { kind, username } = value as { kind?: unknown; username?: unknown };
  return kind === 'none' || kind === 'apiKey' || kind === 'iam' || (kind === 'user' && typeof username === 'string' && username !== '');
}

/** The caller a new tab starts with: the console's IAM principal where the API takes IAM, else nobody. */
export function defaultChoice(api: ApiCallers | undefined): CallerChoice {
  return api?.iam === false ? { kind: 'none' } : { kind: 'iam' };
}
