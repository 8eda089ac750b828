/** Schedules of the app functions (EventBridge `rate(...)` and `cron(...)` expressions), run locally. */
export { schedulerService, type SchedulerApi } from './service.js';
export { Scheduler, type RunOutcome, type ScheduledEvent, type SchedulerClock, type SchedulerOptions } from './scheduler.js';
export { parseScheduleExpression, ScheduleExpressionError, type ScheduleExpression } from './schedule-expression.js';
