/** What the Auth API answers (offline/console/auth-api.ts). */
export interface ConsoleUser {
  username: string;
  sub: string | undefined;
  email: string | undefined;
  status: string;
  enabled: boolean;
  attributes: Record<string, string>;
  groups: string[];
  created: string;
  updated: string;
  lastCode: string | undefined;
  lastCodeKind: 'signUp' | 'forgotPassword' | 'email' | 'used' | undefined;
}

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
