/**
 * Where the app's API lives, for messages that must name it: the host of the GraphQL URL, and the optional
 * `custom.connectionHelp` text an outputs file may carry (a local sandbox writes one saying what to do about its
 * certificate). Set once by `configureAmplify`.
 */
export interface ApiTarget {
  readonly host: string;
  readonly help?: string;
}

let current: ApiTarget | undefined;

export function setApiTarget(target: ApiTarget | undefined): void {
  current = target;
}

export function apiTarget(): ApiTarget | undefined {
  return current;
}

/** The API target an outputs object describes (undefined when it has no usable GraphQL URL). */
export function apiTargetOf(outputs: { data?: { url?: unknown }; custom?: { connectionHelp?: unknown } }): ApiTarget | undefined {
  const url = outputs.data?.url;
  if (typeof url !== 'string') return undefined;
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return undefined;
  }
  const help = outputs.custom?.connectionHelp;
  return typeof help === 'string' && help.trim() !== '' ? { host, help } : { host };
}

/** What to say when a request could not reach the API at all. */
export function unreachableText(target: ApiTarget | undefined = current): string {
  const where = target ? ` at ${target.host}` : '';
  return `Couldn't reach the chat service${where}. ${target?.help ?? 'Check your connection and try again.'}`;
}
