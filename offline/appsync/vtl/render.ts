/**
 * `renderVtl(template, ctx)`: renders an AppSync mapping template.
 *
 * Globals: `$ctx` / `$context` (a Map view over the caller's context: `arguments` and `args` are the
 * caller's arguments object, `stash` the caller's stash, so `#set($ctx.args.filter = …)` and
 * `$ctx.stash.put(…)` are visible to later pipeline steps), `$util` / `$utils`, `$extensions`.
 */
import { VTL } from '../../errors.js';
import { ResolverError, type ResolverContext, type VtlOutcome } from '../util/context.js';
import { Effects } from '../util/effects.js';
import type { Clock } from '../util/time.js';
import { createExtensions, createUtil } from '../util/util-object.js';
import { Interpreter } from './interpreter.js';
import { parseTemplate } from './parse.js';

export interface RenderOptions {
  clock?: Clock;
}

function contextMap(ctx: ResolverContext): Record<string, unknown> {
  return {
    arguments: ctx.arguments,
    args: ctx.arguments,
    source: ctx.source,
    identity: ctx.identity,
    stash: ctx.stash,
    prev: ctx.prev,
    result: ctx.result,
    error: ctx.error ?? null,
    request: ctx.request,
    info: ctx.info,
    env: ctx.env ?? {},
  };
}

/**
 * Renders `template`. Throws `ResolverError` when the template aborts (`$util.error`,
 * `$util.unauthorized`, errorType `MappingTemplate` for template faults); the error carries the
 * errors appended before the abort in `appendedErrors`.
 */
export function renderVtl(template: string, ctx: ResolverContext, options: RenderOptions = {}): VtlOutcome {
  const ast = parseTemplate(template);
  const effects = new Effects();
  const util = createUtil({ info: ctx.info, authType: ctx.authType, clock: options.clock }, effects, 'VTL');
  const context = contextMap(ctx);
  const interpreter = new Interpreter({ ctx: context, context, util, utils: util, extensions: createExtensions(effects, 'VTL') });
  let result;
  try {
    result = interpreter.render(ast);
  } catch (e) {
    if (e instanceof ResolverError) {
      if (e.appendedErrors.length === 0) e.appendedErrors = [...effects.errors];
      throw e;
    }
    throw effects.abort(ResolverError.of(VTL.renderFailed((e as Error).message)));
  }
  if (result.returned) effects.earlyReturn = { value: result.returned.value };
  return effects.outcome(result.text);
}

export interface VtlJsonOutcome extends VtlOutcome {
  /** The parsed output (or, after `#return($x)`, `$x` itself). */
  json: unknown;
}

/**
 * Renders a template whose output must be JSON (request templates, and response templates whose
 * output becomes the field value). A non-JSON output is the `MappingTemplate` error AppSync raises,
 * with an excerpt of the output.
 */
export function renderVtlJson(template: string, ctx: ResolverContext, options: RenderOptions = {}): VtlJsonOutcome {
  const outcome = renderVtl(template, ctx, options);
  if (outcome.earlyReturn) return { ...outcome, json: outcome.earlyReturn.value };
  const text = outcome.value.trim();
  try {
    return { ...outcome, json: text === '' ? null : (JSON.parse(text) as unknown) };
  } catch (e) {
    const excerpt = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    const error = ResolverError.of(VTL.renderedNotJson((e as Error).message, excerpt));
    error.appendedErrors = outcome.errors;
    throw error;
  }
}
