/**
 * One bucket's objects on disk, under `<data>/s3/<bucket>/`: each object's bytes in `objects/<sha256 of key>.data`
 * and its metadata in `<…>.json` (key, size, ETag, content type and the other stored headers, user metadata, CRC32),
 * each written atomically, the metadata last — so a crash leaves the previous object or the new one, never a torn
 * one. Multipart uploads in progress live in `uploads/<upload id>/` (their description and one file per part) until
 * completed (the parts joined into the object) or aborted. The key index is read once at start and kept in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../sandbox/atomic-file.js';

export interface ObjectMetadata {
  key: string;
  size: number;
  /** Quoted, as S3 sends it: the MD5 of the bytes, or `<md5 of the parts' md5s>-<part count>` for a multipart upload. */
  etag: string;
  lastModified: string;
  contentType: string;
  /** `content-disposition`, `content-encoding`, `content-language`, `cache-control`, `expires` when given. */
  headers: Record<string, string>;
  /** `x-amz-meta-*` (names lower-case, without the prefix). */
  metadata: Record<string, string>;
  /** Base64 CRC32 of the whole object (a full-object checksum). */
  checksumCRC32: string;
}

export interface UploadDescription {
  uploadId: string;
  key: string;
  initiated: string;
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
}

export interface PartDescription {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  checksumCRC32: string;
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');
export const crc32Base64 = (data: Buffer): string => {
  const value = crc32(data);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
};

export class BucketStore {
  private readonly objectsDir: string;
  private readonly uploadsDir: string;
  /** key → metadata, sorted on demand (keys compare as UTF-8 bytes, as S3 lists them). */
  private readonly index = new Map<string, ObjectMetadata>();

  constructor(
    readonly name: string,
    folder: string,
  ) {
    this.objectsDir = join(folder, 'objects');
    this.uploadsDir = join(folder, 'uploads');
    mkdirSync(this.objectsDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.uploadsDir, { recursive: true, mode: 0o700 });
    for (const file of readdirSync(this.objectsDir)) {
      if (!file.endsWith('.json')) continue;
      const metadata = JSON.parse(readFileSync(join(this.objectsDir, file), 'utf8')) as ObjectMetadata;
      if (existsSync(this.dataFile(metadata.key))) this.index.set(metadata.key, metadata);
    }
  }

  head(key: string): ObjectMetadata | undefined {
    return this.index.get(key);
  }

  read(key: string): { metadata: ObjectMetadata; body: Buffer } | undefined {
    const metadata = this.index.get(key);
    if (!metadata) return undefined;
    return { metadata, body: readFileSync(this.dataFile(key)) };
  }

  put(key: string, body: Buffer, details: Pick<ObjectMetadata, 'contentType' | 'headers' | 'metadata'>, etag = `"${md5(body)}"`): ObjectMetadata {
    const metadata: ObjectMetadata = {
      key,
      size: body.length,
      etag,
      lastModified: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
      ...details,
      checksumCRC32: crc32Base64(body),
    };
    writeFileAtomic(this.dataFile(key), body);
    writeFileAtomic(this.metadataFile(key), JSON.stringify(metadata));
    this.index.set(key, metadata);
    return metadata;
  }

  delete(key: string): void {
    rmSync(this.metadataFile(key), { force: true });
    rmSync(this.dataFile(key), { force: true });
    this.index.delete(key);
  }

  /** Every key in S3's listing order. */
  keys(): string[] {
    return [...this.index.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  createUpload(key: string, details: Pick<UploadDescription, 'contentType' | 'headers' | 'metadata'>): UploadDescription {
    const upload: UploadDescription = { uploadId: randomBytes(24).toString('base64url'), key, initiated: new Date().toISOString(), ...details };
    mkdirSync(this.uploadDir(upload.uploadId), { recursive: true, mode: 0o700 });
    writeFileAtomic(join(this.uploadDir(upload.uploadId), 'upload.json'), JSON.stringify(upload));
    return upload;
  }

  upload(uploadId: string): UploadDescription | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) return undefined;
    const file = join(this.uploadDir(uploadId), 'upload.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as UploadDescription) : undefined;
  }

  putPart(uploadId: string, partNumber: number, body: Buffer): PartDescription {
    const part: PartDescription = { partNumber, etag: `"${md5(body)}"`, size: body.length, lastModified: new Date().toISOString(), checksumCRC32: crc32Base64(body) };
    writeFileAtomic(join(this.uploadDir(uploadId), `part-${partNumber}.data`), body);
    writeFileAtomic(join(this.uploadDir(uploadId), `part-${partNumber}.json`), JSON.stringify(part));
    return part;
  }

  parts(uploadId: string): PartDescription[] {
    return readdirSync(this.uploadDir(uploadId))
      .filter((file) => /^part-\d+\.json$/.test(file))
      .map((file) => JSON.parse(readFileSync(join(this.uploadDir(uploadId), file), 'utf8')) as PartDescription)
      .sort((a, b) => a.partNumber - b.partNumber);
  }

  partBody(uploadId: string, partNumber: number): Buffer {
    return readFileSync(join(this.uploadDir(uploadId), `part-${partNumber}.data`));
  }

  /** Every multipart upload in progress. */
  uploads(): UploadDescription[] {
    return readdirSync(this.uploadsDir).flatMap((id) => {
      const upload = this.upload(id);
      return upload ? [upload] : [];
    });
  }

  removeUpload(uploadId: string): void {
    rmSync(this.uploadDir(uploadId), { recursive: true, force: true });
  }

  private base(key: string): string {
    return createHash('sha256').update(key).digest('hex');
  }

  private dataFile(key: string): string {
    return join(this.objectsDir, `${this.base(key)}.data`);
  }

  private metadataFile(key: string): string {
    return join(this.objectsDir, `${this.base(key)}.json`);
  }

  private uploadDir(uploadId: string): string {
    return join(this.uploadsDir, uploadId);
  }
}

/** The ETag of a completed multipart upload: the MD5 of the parts' binary MD5s, then `-<count>`. */
export function multipartEtag(partEtags: readonly string[]): string {
  const digests = Buffer.concat(partEtags.map((etag) => Buffer.from(etag.replace(/"/g, ''), 'hex')));
  return `"${md5(digests)}-${partEtags.length}"`;
}
