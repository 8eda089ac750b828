import { describe, expect, it } from 'vitest';
import { createStartQueue } from './start-queue';

/** A queue whose tasks run when the test says (each `runTask` is one task of the page). */
function manualQueue() {
  const tasks: (() => void)[] = [];
  const queue = createStartQueue((callback) => tasks.push(callback));
  return {
    queue,
    tasks,
    runTask() {
      const task = tasks.shift();
      if (!task) throw new Error('no task scheduled');
      task();
    },
  };
}

describe('createStartQueue', () => {
  it('runs nothing synchronously, then one piece per task in the order asked (a subscription asked first starts first)', () => {
    const { queue, tasks, runTask } = manualQueue();
    const started: string[] = [];
    queue.start(() => void started.push('subscribe onMyConversations'));
    queue.start(() => void started.push('list conversations'));
    queue.start(() => void started.push('list read points'));
    expect(started).toEqual([]);
    expect(queue.pending()).toBe(3);
    runTask();
    expect(started).toEqual(['subscribe onMyConversations']);
    runTask();
    expect(started).toEqual(['subscribe onMyConversations', 'list conversations']);
    runTask();
    expect(started).toEqual(['subscribe onMyConversations', 'list conversations', 'list read points']);
    expect(tasks).toHaveLength(0);
    expect(queue.pending()).toBe(0);
  });

  it('runs a piece asked for while others wait after them', () => {
    const { queue, runTask } = manualQueue();
    const started: string[] = [];
    queue.start(() => {
      started.push('first');
      queue.start(() => void started.push('asked by first'));
    });
    queue.start(() => void started.push('second'));
    runTask();
    runTask();
    runTask();
    expect(started).toEqual(['first', 'second', 'asked by first']);
  });

  it('never runs a piece cancelled before its task (an effect cleaned up at once), and the next one still runs', () => {
    const { queue, runTask } = manualQueue();
    const started: string[] = [];
    const cancel = queue.start(() => void started.push('cancelled'));
    queue.start(() => void started.push('kept'));
    cancel();
    expect(queue.pending()).toBe(1);
    runTask();
    expect(started).toEqual(['kept']);
  });

  it('stops what a piece started when cancelled after it ran, once', () => {
    const { queue, runTask } = manualQueue();
    let stops = 0;
    const cancel = queue.start(() => () => void (stops += 1));
    runTask();
    expect(stops).toBe(0);
    cancel();
    cancel();
    expect(stops).toBe(1);
  });

  it('goes on with the next piece after one throws', () => {
    const { queue, runTask } = manualQueue();
    const started: string[] = [];
    queue.start(() => {
      throw new Error('broken');
    });
    queue.start(() => void started.push('next'));
    expect(() => runTask()).toThrow('broken');
    runTask();
    expect(started).toEqual(['next']);
  });

  it('schedules a task again once it is idle', () => {
    const { queue, tasks, runTask } = manualQueue();
    const started: string[] = [];
    queue.start(() => void started.push('a'));
    runTask();
    expect(tasks).toHaveLength(0);
    queue.start(() => void started.push('b'));
    expect(tasks).toHaveLength(1);
    runTask();
    expect(started).toEqual(['a', 'b']);
  });
});
