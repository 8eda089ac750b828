/**
 * The people of the browser tests and their windows: one password, the chat features' three people (Ann Archer, Bob
 * Baker, Cat Cooper) made anew for each scenario, the windows a scenario opens (closed when its `describe` is done),
 * and the sign-up of several people through the app, in order.
 *
 * Scenarios that share one sandbox stay apart by giving each its own people: the same names (what the assertions and
 * screenshots read) with e-mail addresses of the scenario's own (`ann.<scenario>@example.com`). The directory then
 * lists several "Bob Baker"s; a person picks the right one by the e-mail shown under the name, and so does
 * `ChatUser.startConversation` when given a `Person`.
 */
import { afterAll } from 'vitest';
import { ChatUser, type Person } from './chat-user';
import type { Stack } from './stack';

export const PASSWORD = 'Correct-Horse-9';

export type ChatPeople = Record<'ann' | 'bob' | 'cat', Person>;

/** Ann, Bob and Cat for one scenario: their usual names, e-mail addresses no other scenario uses. */
export function chatPeople(scenario: string): ChatPeople {
  if (!/^[a-z][a-z0-9-]*$/.test(scenario)) throw new Error(`a scenario tag is lower case letters, digits and dashes: ${scenario}`);
  const person = (first: string, displayName: string): Person => ({ email: `${first}.${scenario}@example.com`, displayName, password: PASSWORD });
  return { ann: person('ann', 'Ann Archer'), bob: person('bob', 'Bob Baker'), cat: person('cat', 'Cat Cooper') };
}

/**
 * The windows a scenario opens (chat users, consoles), closed once its `describe` is done: call it inside the
 * `describe`, then `keep(window)` each one.
 */
export function windowsOfScenario(): <T extends { close(): Promise<void> }>(window: T) => T {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const window of opened) await window.close();
  });
  return (window) => {
    opened.push(window);
    return window;
  };
}

export type KeepWindow = ReturnType<typeof windowsOfScenario>;

export interface SignUpOptions {
  /** Runs on each new window before its sign-up (e.g. to grant a permission and install an init script). */
  prepare?(user: ChatUser): Promise<void>;
}

/** A chat window for each person, signed up through the app with the code the sandbox's pool sent, in order. */
export function signedUp<const P extends readonly Person[]>(stack: Stack, keep: KeepWindow, ...people: P): Promise<{ [K in keyof P]: ChatUser }> {
  return signedUpWith({}, stack, keep, ...people);
}

/** `signedUp`, with `options.prepare` run on each window first. */
export async function signedUpWith<const P extends readonly Person[]>(
  options: SignUpOptions,
  stack: Stack,
  keep: KeepWindow,
  ...people: P
): Promise<{ [K in keyof P]: ChatUser }> {
  const users: ChatUser[] = [];
  for (const person of people) {
    const user = keep(await ChatUser.open(stack.browser, stack.appUrl, person));
    await options.prepare?.(user);
    await user.signUp((email) => stack.env.sandbox.userPool.lastCodeFor(email));
    users.push(user);
  }
  return users as { [K in keyof P]: ChatUser };
}
