import { describe, expect, it } from 'vitest';
import type { BackendDescription } from '../loader/types.js';
import type { DataDirectory } from './data-directory.js';
import { createLogFeed } from './log.js';
import { startServices, type ServiceDefinition } from './service.js';

const logs = createLogFeed(() => undefined).feed;

const description = { api: { id: 'first' } } as unknown as BackendDescription;
const data: DataDirectory = { root: '/nowhere', dynamodb: '/nowhere/d', cognito: '/nowhere/c', lambda: '/nowhere/l' };

/** A service that records what happens to it in `events`, and refuses reloads to a description named `refuse-<name>`. */
function recorder<Name extends string>(name: Name, events: string[], dependsOn: string[] = [], options: { failStart?: boolean } = {}): ServiceDefinition<Name, { name: Name; serving: () => string }, object, string> {
  return {
    name,
    label: name,
    dependsOn: dependsOn as never[],
    async start(deps, context) {
      if (options.failStart) throw new Error(`${name} cannot start`);
      events.push(`start ${name} with ${Object.keys(deps).join(',') || 'nothing'}`);
      let serving = (context.description.api as { id: string }).id;
      return {
        api: { name, serving: () => serving },
        urls: { self: `http://${name}` },
        summary: `${name} summary`,
        prepareReload: async (next) => {
          const id = (next.api as { id: string }).id;
          events.push(`prepare ${name}`);
          if (id === `refuse-${name}`) throw new Error(`${name} refuses ${id}`);
          return () => {
            events.push(`switch ${name}`);
            serving = id;
            return `${name} now ${id}`;
          };
        },
        close: () => {
          events.push(`close ${name}`);
        },
      };
    },
  };
}

describe('startServices', () => {
  it('starts in list order with the dependencies, reports URLs, reloads in two phases and closes in reverse, once', async () => {
    const events: string[] = [];
    const log: string[] = [];
    const services = await startServices([recorder('a', events), recorder('b', events, ['a']), recorder('c', events, ['a', 'b'])], {
      description,
      data,
      host: '127.0.0.1',
      logs,
      log: (line) => log.push(line),
    });
    expect(events).toEqual(['start a with nothing', 'start b with a', 'start c with a,b']);
    expect(log).toEqual(['[sandbox] a… ok (a summary)', '[sandbox] b… ok (b summary)', '[sandbox] c… ok (c summary)']);
    expect(services.urls).toEqual({ a: { self: 'http://a' }, b: { self: 'http://b' }, c: { self: 'http://c' } });
    expect(services.apis.b.name).toBe('b');

    events.length = 0;
    const reports = await services.reload({ api: { id: 'second' } } as unknown as BackendDescription);
    expect(events).toEqual(['prepare a', 'prepare b', 'prepare c', 'switch a', 'switch b', 'switch c']);
    expect(reports).toEqual({ a: 'a now second', b: 'b now second', c: 'c now second' });

    // A refusal by the last service switches nothing: every service keeps serving the previous description.
    events.length = 0;
    await expect(services.reload({ api: { id: 'refuse-c' } } as unknown as BackendDescription)).rejects.toThrow('c refuses refuse-c');
    expect(events).toEqual(['prepare a', 'prepare b', 'prepare c']);
    expect([services.apis.a.serving(), services.apis.b.serving(), services.apis.c.serving()]).toEqual(['second', 'second', 'second']);

    events.length = 0;
    await Promise.all([services.close(), services.close()]);
    expect(events).toEqual(['close c', 'close b', 'close a']);
  });

  it('refuses a service listed before one it depends on, closing what had started', async () => {
    const events: string[] = [];
    const start = startServices([recorder('a', events), recorder('b', events, ['c']), recorder('c', events)], { description, data, host: '127.0.0.1', logs, log: () => undefined });
    await expect(start).rejects.toThrow('The b service needs c started before it: reorder the services');
    expect(events).toEqual(['start a with nothing', 'close a']);
  });

  it('closes the services already started when one fails to start, and gives later services to earlier ones once they run', async () => {
    const events: string[] = [];
    await expect(
      startServices([recorder('a', events), recorder('b', events, [], { failStart: true })], { description, data, host: '127.0.0.1', logs, log: () => undefined }),
    ).rejects.toThrow('b cannot start');
    expect(events).toEqual(['start a with nothing', 'close a']);

    let seen: (() => unknown) | undefined;
    const early: ServiceDefinition<'early', null> = {
      name: 'early',
      label: 'early',
      dependsOn: [],
      async start(_deps, context) {
        seen = context.later('late');
        expect(seen()).toBeUndefined();
        expect(() => context.later('missing')).toThrow('No service named missing in this sandbox');
        return { api: null, urls: {}, summary: '', prepareReload: async () => () => undefined, close: () => undefined };
      },
    };
    const services = await startServices([early, recorder('late', [])], { description, data, host: '127.0.0.1', logs, log: () => undefined });
    expect((seen?.() as { name: string }).name).toBe('late');
    await services.close();
  });
});
