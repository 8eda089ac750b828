/**
 * Runs one resolver: UNIT (request → data source → response) or PIPELINE (before → each function's
 * request → data source → response → after), in VTL or APPSYNC_JS
 * (context as in https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html).
 *
 * - One `stash` and one `arguments` object per resolver call, shared by every step (the engines mutate them in place).
 * - `ctx.prev.result` = the before handler's output for function 1, then each function's response output; the after
 *   handler sees the last one.
 * - `ctx.result` / `ctx.error` are set for response handlers only; a data-source failure sets `ctx.error = {type, message}`
 *   and `ctx.result` to the error's data (or null). As in AppSync, the error only surfaces if the handler raises it.
 * - VTL `#return` in a function's request template skips its data source and response template (`prev.result` = the value);
 *   in the before template it ends the whole resolver with that value. JS `runtime.earlyReturn(v, {skipTo})`: 'NEXT' (default)
 *   continues with the next function, 'END' jumps to the after handler.
 * - `util.error` / `util.unauthorized` abort with a `ResolverError` carrying every error appended so far in this call.
 */
import type { PipelineFunctionDescription, ResolverCode, ResolverDescription } from '../../loader/index.js';
import { PIPELINE } from '../../errors.js';
import { evaluateJs } from '../js/index.js';
import {
  ResolverError,
  type EarlyReturn,
  type InvalidationRequest,
  type ResolverContext,
  type ResolverErrorInfo,
  type ResolverOutcome,
  type SubscriptionFilter,
} from '../util/index.js';
import { renderVtlJson } from '../vtl/index.js';
import { invokeDataSource, type DataSourceDependencies } from './data-sources.js';
import type { BackendDescription, DataSourceDescription } from '../../loader/index.js';
import { boundedCopy, type TraceResolver, type TraceStep } from '../../sandbox/events.js';

export type ResolverCallContext = Omit<ResolverContext, 'stash' | 'prev' | 'result' | 'error'>;

export interface ResolverRun {
  value: unknown;
  /** `util.appendError` entries of every step, in order. */
  errors: ResolverErrorInfo[];
  subscriptionFilter?: SubscriptionFilter;
  subscriptionInvalidationFilter?: SubscriptionFilter;
  invalidations: InvalidationRequest[];
}

interface StepResult {
  value: unknown;
  earlyReturn?: EarlyReturn;
}

export class ResolverRunner {
  constructor(
    private readonly description: BackendDescription,
    private readonly deps: DataSourceDependencies,
  ) {}

  /** Runs `resolver`; with `trace`, what each step sent to its data source and got back is recorded in it. */
  async run(resolver: ResolverDescription, call: ResolverCallContext, trace?: TraceResolver): Promise<ResolverRun> {
    const run: ResolverRun = { value: null, errors: [], invalidations: [] };
    const ctx: ResolverContext = { ...call, stash: {}, prev: { result: null } };
    const label = `${resolver.typeName}.${resolver.fieldName}`;
    try {
      if (resolver.kind === 'UNIT') {
        const source = this.dataSource(resolver.dataSourceName, label);
        run.value = await this.unitStep(resolver.code, source, ctx, run, label, trace);
        return run;
      }
      const before = this.handler(resolver.code, 'request', ctx, run, label, {});
      if (before.earlyReturn) {
        trace?.steps.push({ handler: 'before', runtime: resolver.code.runtime, earlyReturn: true, result: boundedCopy(before.earlyReturn.value), durationMs: 0 });
        run.value = before.earlyReturn.value;
        return run;
      }
      let prev = before.value;
      for (const id of resolver.functions) {
        const fn = this.pipelineFunction(id, label);
        ctx.prev = { result: prev };
        delete ctx.result;
        delete ctx.error;
        const request = this.handler(fn.code, 'request', ctx, run, `${label}/${fn.name}`, undefined);
        if (request.earlyReturn) {
          trace?.steps.push({ function: fn.name, runtime: fn.code.runtime, earlyReturn: true, result: boundedCopy(request.earlyReturn.value), durationMs: 0 });
          prev = request.earlyReturn.value;
          if (request.earlyReturn.skipTo === 'END') break;
          continue;
        }
        prev = await this.dataSourceAndResponse(fn, request.value, ctx, run, label, trace);
      }
      ctx.prev = { result: prev };
      delete ctx.result;
      delete ctx.error;
      run.value = this.handler(resolver.code, 'response', ctx, run, label, prev).value;
      return run;
    } catch (error) {
      if (error instanceof ResolverError) {
        error.appendedErrors = [...run.errors, ...error.appendedErrors];
      }
      throw error;
    }
  }

  private async unitStep(code: ResolverCode, source: DataSourceDescription, ctx: ResolverContext, run: ResolverRun, label: string, trace: TraceResolver | undefined): Promise<unknown> {
    let requestObject: unknown;
    if (code.runtime === 'VTL' && code.request === undefined && source.type === 'AWS_LAMBDA') {
      // Direct Lambda resolver: AppSync sends the whole context
      // (arguments, identity, source, request, prev, info, stash).
      requestObject = { operation: 'Invoke', payload: { arguments: ctx.arguments, identity: ctx.identity, source: ctx.source, request: ctx.request, prev: ctx.prev, info: ctx.info, stash: ctx.stash } };
    } else {
      const request = this.handler(code, 'request', ctx, run, label, undefined);
      if (request.earlyReturn) {
        trace?.steps.push({ runtime: code.runtime, earlyReturn: true, result: boundedCopy(request.earlyReturn.value), durationMs: 0 });
        return request.earlyReturn.value;
      }
      requestObject = request.value;
    }
    const outcome = await this.callDataSource(source, requestObject, label, trace && { runtime: code.runtime }, trace);
    if (outcome.ok) ctx.result = outcome.result;
    else {
      ctx.result = outcome.data;
      ctx.error = outcome.error;
    }
    return this.handler(code, 'response', ctx, run, label, ctx.result).value;
  }

  private async dataSourceAndResponse(fn: PipelineFunctionDescription, request: unknown, ctx: ResolverContext, run: ResolverRun, label: string, trace: TraceResolver | undefined): Promise<unknown> {
    const outcome = await this.callDataSource(this.dataSource(fn.dataSourceName, label), request, label, trace && { function: fn.name, runtime: fn.code.runtime }, trace);
    if (outcome.ok) ctx.result = outcome.result;
    else {
      ctx.result = outcome.data;
      ctx.error = outcome.error;
    }
    return this.handler(fn.code, 'response', ctx, run, `${label}/${fn.name}`, ctx.result).value;
  }

  /** Calls the data source; with a trace, records the call as one step (`step` says whose). */
  private async callDataSource(source: DataSourceDescription, request: unknown, label: string, step: Pick<TraceStep, 'function' | 'runtime'> | undefined, trace: TraceResolver | undefined) {
    if (!trace || !step) return invokeDataSource(source, request, this.deps, label);
    const started = performance.now();
    const recorded: TraceStep = { ...step, dataSource: { name: source.name, type: source.type }, request: boundedCopy(request), durationMs: 0 };
    trace.steps.push(recorded);
    try {
      const outcome = await invokeDataSource(source, request, this.deps, label);
      if (outcome.ok) recorded.result = boundedCopy(outcome.result);
      else recorded.error = { type: outcome.error.type, message: outcome.error.message };
      return outcome;
    } catch (error) {
      recorded.error = { message: (error as Error).message ?? String(error) };
      throw error;
    } finally {
      recorded.durationMs = Math.round((performance.now() - started) * 10) / 10;
    }
  }

  /** Evaluates one handler; `missing` is the value of an absent VTL template (undefined: required). */
  private handler(code: ResolverCode, which: 'request' | 'response', ctx: ResolverContext, run: ResolverRun, label: string, missing: unknown): StepResult {
    let outcome: ResolverOutcome<unknown>;
    let value: unknown;
    if (code.runtime === 'VTL') {
      const template = which === 'request' ? code.request : code.response;
      if (template === undefined) {
        if (missing === undefined) throw ResolverError.of(PIPELINE.noMappingTemplate(label, which));
        return { value: missing };
      }
      const rendered = renderVtlJson(template, ctx);
      outcome = rendered;
      value = rendered.json;
    } else {
      outcome = evaluateJs(code.code, which, ctx, { filename: `${label}.js` });
      value = outcome.earlyReturn ? outcome.earlyReturn.value : outcome.value;
    }
    run.errors.push(...outcome.errors);
    if (outcome.subscriptionFilter) run.subscriptionFilter = outcome.subscriptionFilter;
    if (outcome.subscriptionInvalidationFilter) run.subscriptionInvalidationFilter = outcome.subscriptionInvalidationFilter;
    run.invalidations.push(...outcome.invalidations);
    return outcome.earlyReturn ? { value, earlyReturn: outcome.earlyReturn } : { value: value === undefined ? null : value };
  }

  private dataSource(name: string | undefined, label: string) {
    const source = name === undefined ? undefined : this.description.dataSources[name];
    if (!source) throw ResolverError.of(PIPELINE.unknownDataSource(label, String(name)));
    return source;
  }

  private pipelineFunction(id: string, label: string): PipelineFunctionDescription {
    const fn = this.description.functions[id];
    if (!fn) throw ResolverError.of(PIPELINE.unknownFunction(label, id));
    return fn;
  }
}
