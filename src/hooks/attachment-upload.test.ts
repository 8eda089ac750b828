import { describe, expect, it } from 'vitest';
import { uploadFailureText } from './attachment-upload';

describe('uploadFailureText', () => {
  it('says the storage could not be reached for network failures (not the chat service)', () => {
    expect(uploadFailureText(Object.assign(new Error('Network Error'), { name: 'NetworkError' }))).toBe(
      'Upload failed: the file storage could not be reached. Check your connection, then Retry.',
    );
    expect(uploadFailureText(new Error('Request aborted'))).toMatch(/could not be reached/);
  });

  it('keeps what S3 said otherwise', () => {
    expect(uploadFailureText(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }))).toBe('Upload failed: Access Denied');
  });
});
