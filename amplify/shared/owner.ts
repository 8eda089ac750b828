/**
 * Amplify's owner-field conventions (see docs/data-model.md).
 *
 * Owner fields store `"<sub>::<username>"`. AppSync's generated auth also accepts the bare `"<sub>"`
 * and bare `"<username>"` forms, and reading an owner field through AppSync returns the text after
 * the last `::`. With email sign-in the Cognito username *is* the `sub`.
 */

export interface CallerIdentity {
  /** Cognito `sub` claim. */
  sub: string;
  /** Cognito username (`username` in access tokens, `cognito:username` in ID tokens). */
  username: string;
}

export function ownerValue(identity: CallerIdentity): string {
  return `${identity.sub}::${identity.username}`;
}

/** True when an owner-field entry designates the caller, in any of the forms AppSync accepts. */
export function ownerEntryMatches(entry: string, identity: CallerIdentity): boolean {
  return entry === ownerValue(identity) || entry === identity.sub || entry === identity.username;
}

/** True when any entry of an owner list designates the caller. */
export function isListedOwner(entries: readonly (string | null)[] | null | undefined, identity: CallerIdentity): boolean {
  return (entries ?? []).some((entry) => entry !== null && ownerEntryMatches(entry, identity));
}

/**
 * Brings an owner entry to the stored `"<sub>::<username>"` form. Entries read back through AppSync
 * are bare usernames; with email sign-in username = sub, so `"<u>"` becomes `"<u>::<u>"`.
 */
export function canonicalOwnerEntry(entry: string): string {
  return entry.includes('::') ? entry : `${entry}::${entry}`;
}

/** The user id (sub) designated by an owner entry in canonical or bare form. */
export function ownerEntryUserId(entry: string): string {
  const at = entry.indexOf('::');
  return at === -1 ? entry : entry.slice(0, at);
}
