/**
 * S3's REST XML: the error document every S3 answer uses (for the storage endpoint and the functions' introspection
 * GetObject alike) and the few result documents the storage endpoint writes, in the 2006-03-01 namespace.
 */
import type { S3Error } from '../errors.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** `<name>text</name>` for each entry with a value (undefined ones are left out). */
export function elements(entries: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(entries)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${xmlEscape(String(value))}</${name}>`)
    .join('');
}

export function xmlDocument(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}

/** S3's error document: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`. */
export function s3Error(status: number, code: string, message: string, requestId: string, extra: Record<string, string> = {}): S3Response {
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${elements(extra)}<RequestId>${requestId}</RequestId><HostId>offline-sandbox</HostId></Error>`,
  };
}

/** The catalogue's error as S3's answer. */
export const s3ErrorResponse = (error: S3Error, requestId: string): S3Response => s3Error(error.status, error.errorType, error.message, requestId, error.fields);

/** The text of every `<name>…</name>` element directly inside `xml` (no nesting of the same name), unescaped. */
export function elementTexts(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => unescapeXml(match[1] ?? ''));
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot|#\d+|#x[0-9a-f]+);/gi, (entity, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
    if (named[name.toLowerCase()]) return named[name.toLowerCase()]!;
    const code = name.startsWith('#x') || name.startsWith('#X') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : entity;
  });
}
