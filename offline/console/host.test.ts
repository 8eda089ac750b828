import { describe, expect, it } from 'vitest';
import { loopbackOr } from './service.js';

describe("the console's address", () => {
  it('follows a loopback --host and stays on 127.0.0.1 when the sandbox is served to other machines', () => {
    expect(loopbackOr('127.0.0.1')).toBe('127.0.0.1');
    expect(loopbackOr('127.0.0.2')).toBe('127.0.0.2');
    expect(loopbackOr('::1')).toBe('::1');
    expect(loopbackOr('localhost')).toBe('localhost');
    expect(loopbackOr('0.0.0.0')).toBe('127.0.0.1');
    expect(loopbackOr('::')).toBe('127.0.0.1');
    expect(loopbackOr('192.168.1.20')).toBe('127.0.0.1');
    expect(loopbackOr('127.example.com')).toBe('127.0.0.1');
  });
});
