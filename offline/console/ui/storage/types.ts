import type { ConsoleBucket, ConsoleObject, ConsoleObjectPage } from '../../api-types';

/** What the Storage API answers (defined once, for the routes and the pages: offline/console/api-types.ts). */
export type { ConsoleBucket, ConsoleObject, ConsoleObjectPage };

/** The API path of one object (`download` asks for it as an attachment). */
export function objectUrl(bucket: string, key: string, download = false): string {
  return `/api/buckets/${encodeURIComponent(bucket)}/object?key=${encodeURIComponent(key)}${download ? '&download=1' : ''}`;
}

/** Sizes as people read them (1 KiB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Types the Storage API serves inline (the page shows them as an image). */
export const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
