import { ownerEntryUserId } from '../../amplify/shared/owner';

/**
 * User ids in owner fields. Entries are stored as `"<sub>::<username>"` and read back through AppSync
 * as the bare text after the last `::`; the app signs in with e-mail, where the username *is* the sub
 * (docs/data-model.md), so both forms designate the user id `<sub>`.
 */

/** The user id designated by an owner-field entry (`"<sub>::<username>"` or bare `"<sub>"`). */
export function userIdOf(entry: string): string {
  return ownerEntryUserId(entry.trim());
}

/** True when two owner-field entries (in either form) designate the same user. */
export function sameUser(a: string, b: string): boolean {
  return userIdOf(a) === userIdOf(b);
}

/** Normalized, de-duplicated user ids of a participants list, in their first order; blanks dropped. */
export function participantIds(participants: readonly (string | null | undefined)[] | null | undefined): string[] {
  const ids = new Set<string>();
  for (const entry of participants ?? []) {
    if (!entry) continue;
    const id = userIdOf(entry);
    if (id) ids.add(id);
  }
  return [...ids];
}
