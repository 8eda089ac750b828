import type { SystemRecord } from './messages';
import { sameUser } from './participants';

/**
 * The sentence a SYSTEM message shows, from what it records (amplify/shared/members.ts) and the directory: "Ann added
 * Cat and Dan", "Ann removed Cat", "Cat left", "Bob is now an owner" / "Bob is no longer an owner". The signed-in user
 * is "You" / "you".
 */
export function systemSentence(record: SystemRecord, me: string, nameOf: (userId: string) => string): string {
  const name = (userId: string, start: boolean) => (sameUser(userId, me) ? (start ? 'You' : 'you') : nameOf(userId));
  const targets = listOf(record.targets.map((t) => name(t, false)));
  const actor = name(record.actor, true);
  switch (record.action) {
    case 'ADDED':
      return `${actor} added ${targets}`;
    case 'REMOVED':
      return `${actor} removed ${targets}`;
    case 'LEFT':
      return `${name(record.targets[0] ?? record.actor, true)} left`;
    case 'ROLE_CHANGED': {
      const target = record.targets[0] ?? record.actor;
      const subject = name(target, true);
      const verb = sameUser(target, me) ? 'are' : 'is';
      if (record.role === 'MEMBER') return `${subject} ${verb} no longer an owner`;
      return `${subject} ${verb} now an owner`;
    }
  }
}

/** "Cat", "Cat and Dan", "Cat, Dan and Eve". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
