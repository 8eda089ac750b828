import { userIdOf } from '../chat/participants';

/** The user directory as the "New conversation" dialog searches it. */

export interface Person {
  /** The user's id (UserProfile.id = the Cognito sub). */
  readonly id: string;
  readonly displayName: string;
  readonly email?: string | null;
}

/** Lower case, accents removed, whitespace collapsed: "Zoë  Ångström" matches "zoe angstrom". */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * People other than `me` whose display name or e-mail contains every word of the query (any order),
 * sorted by display name; everyone (but `me`) for a blank query.
 */
export function searchPeople(people: readonly Person[], query: string, me: string): Person[] {
  const myId = userIdOf(me);
  const words = normalizeForSearch(query).split(' ').filter(Boolean);
  return people
    .filter((person) => person.id !== myId)
    .filter((person) => {
      if (words.length === 0) return true;
      const haystack = `${normalizeForSearch(person.displayName)} ${normalizeForSearch(person.email ?? '')}`;
      return words.every((word) => haystack.includes(word));
    })
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
}

/** Up to two initials for an avatar: "Ann Archer" → "AA", "bob" → "B", "" → "?". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : words.slice(0, 1);
  const result = letters.map((word) => [...(word ?? '')][0] ?? '').join('').toLocaleUpperCase();
  return result || '?';
}

/** A stable hue (0–359) for a user's avatar, from their id. */
export function avatarHue(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}
