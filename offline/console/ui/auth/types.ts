import type { ConsoleUser } from '../../api-types';

/** What the Auth API answers (defined once, for the routes and the pages: offline/console/api-types.ts). */
export type { ConsoleUser };

export interface Tokens {
  IdToken: string;
  AccessToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: string;
}

/** How the console names a user: their e-mail where they have one. */
export function userLabel(user: ConsoleUser): string {
  return user.email ?? user.username;
}

export function userPath(user: ConsoleUser, action?: string): string {
  return `/api/users/${encodeURIComponent(user.username)}${action ? `/${action}` : ''}`;
}

const CODE_KINDS: Record<NonNullable<ConsoleUser['lastCodeKind']>, string> = {
  signUp: 'sign-up confirmation',
  forgotPassword: 'password reset',
  email: 'e-mail verification',
  used: 'used or replaced',
};

export function codeKindLabel(kind: ConsoleUser['lastCodeKind']): string {
  return kind === undefined ? '' : CODE_KINDS[kind];
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
