/**
 * The sandbox's scheduler service: EventBridge-style schedules (`rate(...)`, `cron(...)`) of the app functions,
 * invoked through the Lambda service. A reload that changes them re-arms the schedules.
 */
import type { LambdaRunner } from '../lambda/index.js';
import type { BackendDescription } from '../loader/index.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import { Scheduler } from './scheduler.js';

export interface SchedulerApi {
  /** The schedules being served (a reload that changes them replaces the scheduler). */
  readonly current: Scheduler;
}

const schedulesOf = (d: BackendDescription) => JSON.stringify(d.lambdas.map((fn) => [fn.name, fn.schedules]));

export const schedulerService: ServiceDefinition<'scheduler', SchedulerApi, { lambda: LambdaRunner }, { changed: boolean }> = {
  name: 'scheduler',
  label: 'schedules',
  dependsOn: ['lambda'],
  async start({ lambda }, context) {
    const arm = (d: BackendDescription): Scheduler => {
      const started = new Scheduler({
        functions: d.lambdas.filter((fn) => fn.appFunction && fn.schedules.length > 0),
        invoke: (name, event, schedule) => lambda.invoke(name, event, { kind: 'schedule', schedule }),
        region: d.region,
        accountId: d.accountId,
        logger: context.log,
        events: context.events,
      });
      started.start();
      return started;
    };
    let description = context.description;
    let scheduler = arm(description);
    return {
      api: {
        get current() {
          return scheduler;
        },
      },
      urls: {},
      summary: scheduler.schedules.map((e) => `${e.functionName} ${e.expression}`).join(', ') || 'none',
      prepareReload: async (next) => () => {
        const changed = schedulesOf(next) !== schedulesOf(description);
        description = next;
        if (changed) {
          scheduler.close();
          scheduler = arm(next);
        }
        return { changed };
      },
      close: () => scheduler.close(),
    };
  },
};
