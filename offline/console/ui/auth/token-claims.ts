/** What a JWT says (its payload, not verified: the pool made it), for showing its expiry. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims: unknown = JSON.parse(json);
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function expiryOf(token: string): string {
  const exp = jwtClaims(token)?.['exp'];
  return typeof exp === 'number' ? new Date(exp * 1000).toLocaleString() : 'unknown';
}
