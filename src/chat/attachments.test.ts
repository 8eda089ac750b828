import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_NAME_LENGTH } from '../../amplify/shared/limits';
import { attachmentName, checkFile, contentTypeOf, fileKindOf, humanSize, percentOf, previewBox, uploadPathFor } from './attachments';

describe('checkFile', () => {
  it('sends the four raster image types as IMAGE', () => {
    for (const [type, name] of [['image/png', 'a.png'], ['image/jpeg', 'b.jpg'], ['image/gif', 'c.gif'], ['image/webp', 'd.webp']] as const) {
      expect(checkFile({ name, size: 10, type })).toEqual({ ok: true, name, contentType: type, messageType: 'IMAGE' });
    }
  });

  it('sends other allowed types as FILE', () => {
    expect(checkFile({ name: 'report.pdf', size: 2048, type: 'application/pdf' })).toEqual({ ok: true, name: 'report.pdf', contentType: 'application/pdf', messageType: 'FILE' });
    expect(checkFile({ name: 'notes.txt', size: 5, type: 'text/plain' })).toMatchObject({ ok: true, messageType: 'FILE' });
  });

  it('refuses SVG (a document that can run script), HEIC and executables, naming what may be sent', () => {
    const svg = checkFile({ name: 'logo.svg', size: 10, type: 'image/svg+xml' });
    expect(svg).toMatchObject({ ok: false });
    expect(svg.ok ? '' : svg.reason).toMatch(/^“logo.svg” can’t be sent: image\/svg\+xml files are not allowed\. You can send images \(PNG/);
    expect(checkFile({ name: 'photo.heic', size: 10, type: 'image/heic' }).ok).toBe(false);
    expect(checkFile({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' }).ok).toBe(false);
    expect(checkFile({ name: 'noext', size: 10, type: '' }).ok).toBe(false);
  });

  it('refuses empty files and files over the limit with their size', () => {
    expect(checkFile({ name: 'e.txt', size: 0, type: 'text/plain' })).toEqual({ ok: false, reason: '“e.txt” is empty.' });
    expect(checkFile({ name: 'big.zip', size: MAX_ATTACHMENT_BYTES, type: 'application/zip' }).ok).toBe(true);
    expect(checkFile({ name: 'big.zip', size: MAX_ATTACHMENT_BYTES + 1, type: 'application/zip' })).toEqual({
      ok: false,
      reason: '“big.zip” is 25 MB; files can be at most 25 MB.',
    });
    expect(checkFile({ name: 'huge.mp4', size: 40 * 1024 * 1024, type: 'video/mp4' })).toEqual({ ok: false, reason: '“huge.mp4” is 40 MB; files can be at most 25 MB.' });
  });

  it('types vaguely typed files by their allowed extension', () => {
    expect(contentTypeOf({ name: 'data.csv', size: 1, type: 'application/vnd.ms-excel' })).toBe('text/csv');
    expect(contentTypeOf({ name: 'data.JSON', size: 1, type: '' })).toBe('application/json');
    expect(contentTypeOf({ name: 'x.png', size: 1, type: 'image/png; charset=binary' })).toBe('image/png');
    expect(checkFile({ name: 'photo.JPG', size: 3, type: '' })).toMatchObject({ ok: true, contentType: 'image/jpeg', messageType: 'IMAGE' });
  });
});

describe('attachmentName', () => {
  it('replaces path separators and control characters', () => {
    expect(attachmentName('../a/b\\c\u0007.txt')).toBe('.._a_b_c_.txt');
    expect(attachmentName('  spaced   name.pdf ')).toBe('spaced name.pdf');
  });

  it('falls back when nothing is left', () => {
    expect(attachmentName('', 'image.png')).toBe('image.png');
    expect(attachmentName('..', 'file')).toBe('file');
  });

  it('cuts long names to the limit, keeping the extension', () => {
    const name = attachmentName(`${'x'.repeat(500)}.pdf`);
    expect([...name]).toHaveLength(MAX_ATTACHMENT_NAME_LENGTH);
    expect(name.endsWith('….pdf')).toBe(true);
  });

  it('gives a pasted image without a name one from its type', () => {
    expect(checkFile({ name: '', size: 5, type: 'image/png' })).toMatchObject({ ok: true, name: 'image.png' });
    expect(checkFile({ name: '', size: 5, type: 'image/jpeg' })).toMatchObject({ ok: true, name: 'image.jpg' });
  });
});

describe('humanSize', () => {
  it('reads as people write sizes', () => {
    expect(humanSize(0)).toBe('0 B');
    expect(humanSize(1023)).toBe('1023 B');
    expect(humanSize(1024)).toBe('1 KB');
    expect(humanSize(1536)).toBe('1.5 KB');
    expect(humanSize(5 * 1024 * 1024 + 300 * 1024)).toBe('5.3 MB');
    expect(humanSize(250 * 1024 * 1024)).toBe('250 MB');
  });
});

describe('fileKindOf', () => {
  it('picks the card icon by type, then extension', () => {
    expect(fileKindOf('application/pdf')).toBe('pdf');
    expect(fileKindOf('text/csv')).toBe('spreadsheet');
    expect(fileKindOf('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('document');
    expect(fileKindOf('application/octet-stream', 'deck.pptx')).toBe('presentation');
    expect(fileKindOf('application/zip')).toBe('archive');
    expect(fileKindOf('application/json')).toBe('text');
    expect(fileKindOf('audio/mpeg')).toBe('audio');
    expect(fileKindOf('application/octet-stream')).toBe('file');
  });
});

describe('previewBox', () => {
  it('scales large images down to fit, keeping the aspect ratio, and never scales up', () => {
    expect(previewBox(1600, 800)).toEqual({ width: 320, height: 160 });
    expect(previewBox(400, 1200)).toEqual({ width: 107, height: 320 });
    expect(previewBox(50, 20)).toEqual({ width: 50, height: 20 });
  });

  it('uses a default box when the dimensions are unknown', () => {
    expect(previewBox(null, undefined)).toEqual({ width: 240, height: 180 });
  });
});

describe('uploadPathFor and percentOf', () => {
  it('stages under the identity', () => {
    expect(uploadPathFor('us-east-1:abc', 'u-1', 'a b.png')).toBe('uploads/us-east-1:abc/u-1/a b.png');
  });

  it('reports whole percentages, 0 without a total', () => {
    expect(percentOf(512, 1024)).toBe(50);
    expect(percentOf(1023, 1024)).toBe(99);
    expect(percentOf(2048, 1024)).toBe(100);
    expect(percentOf(10, undefined)).toBe(0);
  });
});
