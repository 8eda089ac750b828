import { describe, expect, it } from 'vitest';
import { createLogFeed, type LogEntry } from './log.js';

describe('createLogFeed', () => {
  it('passes every line to the sink, keeps the latest `keep` oldest first, and tells listeners until they stop', () => {
    const sunk: string[] = [];
    const { log, feed } = createLogFeed((line, level) => sunk.push(`${level ?? 'info'} ${line}`), 3);
    const heard: LogEntry[] = [];
    const stop = feed.subscribe((entry) => heard.push(entry));
    for (const n of [1, 2]) log(`line ${n}`);
    expect(feed.recent().map((e) => e.line)).toEqual(['line 1', 'line 2']);
    for (const n of [3, 4, 5]) log(`line ${n}`, n === 5 ? 'warn' : 'debug');
    expect(feed.recent().map((e) => e.line)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(feed.recent().map((e) => e.level)).toEqual(['debug', 'debug', 'warn']);
    expect(sunk).toEqual(['info line 1', 'info line 2', 'debug line 3', 'debug line 4', 'warn line 5']);
    expect(heard.map((e) => e.line)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    stop();
    log('line 6');
    expect(heard).toHaveLength(5);
    expect(feed.recent().map((e) => e.line)).toEqual(['line 4', 'line 5', 'line 6']);
  });

  it('drops a listener that throws and keeps logging', () => {
    const { log, feed } = createLogFeed(() => undefined);
    let calls = 0;
    feed.subscribe(() => {
      calls++;
      throw new Error('broken watcher');
    });
    log('a');
    log('b');
    expect(calls).toBe(1);
    expect(feed.recent()).toHaveLength(2);
  });
});
