import { MAX_DISPLAY_NAME_LENGTH } from '../../shared/limits';

/** Builds a user's directory entry (UserProfile) from their Cognito attributes. */

export interface UserProfileRecord {
  /** The user's id: the Cognito sub. */
  id: string;
  /** `<sub>::<username>`: lets the user edit their own display name. */
  owner: string;
  displayName: string;
  email: string | null;
}

export interface ProfileStore {
  /** Creates the profile unless it exists; returns false when it already existed. */
  createIfAbsent(profile: UserProfileRecord): Promise<boolean>;
}

/** Control characters and invisible formatting characters are not part of a display name. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

export function displayNameFrom(attributes: Record<string, string | undefined>): string {
  const candidates = [attributes['preferred_username'], attributes['name'], attributes['email']?.split('@')[0]];
  for (const candidate of candidates) {
    const cleaned = candidate?.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
    if (cleaned) return [...cleaned].slice(0, MAX_DISPLAY_NAME_LENGTH).join('');
  }
  return 'New user';
}

export function profileFromAttributes(
  username: string,
  attributes: Record<string, string | undefined>,
): UserProfileRecord {
  const sub = attributes['sub'];
  if (!sub) throw new Error('post-confirmation event has no sub attribute');
  return {
    id: sub,
    owner: `${sub}::${username}`,
    displayName: displayNameFrom(attributes),
    email: attributes['email']?.trim().toLowerCase() || null,
  };
}

/** Post-confirmation fires for sign-up and for forgotten-password confirmations: only the former creates a profile. */
export const PROFILE_TRIGGER_SOURCES = ['PostConfirmation_ConfirmSignUp'] as const;

export async function ensureProfile(
  store: ProfileStore,
  triggerSource: string,
  username: string,
  attributes: Record<string, string | undefined>,
): Promise<'created' | 'exists' | 'skipped'> {
  if (!(PROFILE_TRIGGER_SOURCES as readonly string[]).includes(triggerSource)) return 'skipped';
  return (await store.createIfAbsent(profileFromAttributes(username, attributes))) ? 'created' : 'exists';
}
