/** The console's Schedules API: each scheduled function with its expression and next run, and "run now". */
import type { SchedulerApi } from '../scheduler/index.js';
import { consoleNotFound } from '../errors.js';
import { ConsoleFailure, type Route } from './http.js';

export function scheduleRoutes(scheduler: SchedulerApi): Route[] {
  const list = () =>
    scheduler.current.schedules.map(({ functionName, expression }) => ({
      functionName,
      expression,
      nextRun: scheduler.current.nextRun(functionName)?.toISOString(),
    }));
  return [
    { method: 'GET', path: '/api/schedules', handler: async () => ({ schedules: list() }) },
    {
      // Runs the function as its schedule would, now; waits for a run already going to end first. Answers with the
      // run's outcome (its log lines are in the sandbox's log).
      method: 'POST',
      path: '/api/schedules/:functionName/run',
      handler: async ({ params }) => {
        const functionName = params['functionName']!;
        if (!list().some((s) => s.functionName === functionName)) throw new ConsoleFailure(consoleNotFound(`schedule of ${functionName}`));
        return { functionName, outcome: await scheduler.current.runNow(functionName, { afterCurrent: true }) };
      },
    },
  ];
}
