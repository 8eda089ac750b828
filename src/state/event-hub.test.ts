import { describe, expect, it } from 'vitest';
import { createEventHub } from './event-hub';

describe('createEventHub', () => {
  it('delivers every event to every listener, in the order they started listening', () => {
    const hub = createEventHub<number>();
    const seen: string[] = [];
    hub.listen((n) => seen.push(`a${n}`));
    hub.listen((n) => seen.push(`b${n}`));
    hub.publish(1);
    hub.publish(2);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('stops delivering to a listener that stopped, and only to it', () => {
    const hub = createEventHub<number>();
    const a: number[] = [];
    const b: number[] = [];
    const stopA = hub.listen((n) => a.push(n));
    hub.listen((n) => b.push(n));
    hub.publish(1);
    stopA();
    stopA();
    hub.publish(2);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });

  it('treats the same function listening twice as two listeners', () => {
    const hub = createEventHub<number>();
    const seen: number[] = [];
    const listener = (n: number) => seen.push(n);
    const stopFirst = hub.listen(listener);
    hub.listen(listener);
    stopFirst();
    hub.publish(7);
    expect(seen).toEqual([7]);
  });

  it('delivers to the other listeners when one throws, then throws its error', () => {
    const hub = createEventHub<number>();
    const seen: number[] = [];
    const failure = new Error('listener failed');
    hub.listen(() => {
      throw failure;
    });
    hub.listen((n) => seen.push(n));
    expect(() => hub.publish(3)).toThrow(failure);
    expect(seen).toEqual([3]);
  });

  it('does not deliver an event to a listener added while it is being delivered', () => {
    const hub = createEventHub<number>();
    const late: number[] = [];
    hub.listen(() => {
      hub.listen((n) => late.push(n));
    });
    hub.publish(1);
    expect(late).toEqual([]);
    hub.publish(2);
    expect(late).toEqual([2]);
  });
});
