/**
 * A small evaluator of identity-based IAM policies (the statements of a function's execution role, read by
 * offline/loader/read-role-policies.ts), following AWS's order: an explicit Deny wins, then any Allow, else the request
 * is implicitly denied. A permissions boundary, when the role has one, must allow as well.
 *
 * Matching: `Action` / `NotAction` and `Resource` / `NotResource`, with `*` (any run of characters, also none) and `?`
 * (exactly one character); action names are case-insensitive, resources (ARNs) case-sensitive.
 *
 * A request may carry its context (`IamRequest.context`: the values of the keys the caller models, e.g. an identity
 * pool's `cognito-identity.amazonaws.com:sub` and S3's `s3:prefix`). With it, policy variables (`${key}`) in
 * resources and condition values are replaced by those values
 * ([policy variables](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)), and
 * `Condition` blocks with the string operators are evaluated
 * ([condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)):
 * `StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`, `StringLike`,
 * `StringNotLike`, each with `…IfExists` and the `ForAnyValue:` / `ForAllValues:` set qualifiers; `Null`. Every block
 * must hold, every key of a block must hold, any value of a key may match.
 *
 * Whatever cannot be evaluated offline is decided in the safe direction — it may refuse what AWS would allow, never
 * allow what AWS would refuse:
 * - A condition on a key the request's context does not model, or with another operator, is unknown: an Allow with it
 *   grants nothing; a Deny with it denies as if its condition held.
 * - A policy variable the context does not model, in a resource pattern or a condition value: the pattern matches for a
 *   Deny, not for an Allow.
 * - A request whose resource is not known (`resource: undefined`, e.g. an operation the caller does not model) is only
 *   allowed by a statement whose Resource is all-wildcard (`*`), and matched by every Deny that matches the action.
 * - A permissions boundary whose statements are unknown allows nothing.
 */
import type { IamStatement, RolePolicyDescription } from '../loader/index.js';

export interface IamRequest {
  /** e.g. `dynamodb:UpdateItem`. */
  action: string;
  /** The resource ARN; `undefined` when it cannot be determined. */
  resource: string | undefined;
  /**
   * The request context the caller models: condition key → its value(s), or `null` when the key is modelled and absent
   * from this request (e.g. `s3:prefix` on a listing without a prefix). Keys not listed are unknown.
   */
  context?: IamContext;
}

export type IamContext = Readonly<Record<string, string | readonly string[] | null>>;

export type IamDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** `explicit`: a Deny statement matched; `implicit`: no Allow did; `boundary`: the permissions boundary refused. */
      reason: 'explicit' | 'implicit' | 'boundary';
      statement?: IamStatement;
    };

/** true / false, or `unknown` when the offline evaluator cannot tell (resolved per effect, in the safe direction). */
type Match = boolean | 'unknown';

/** Evaluates one request against a list of identity-based statements. */
export function evaluateStatements(statements: readonly IamStatement[], request: IamRequest): IamDecision {
  for (const statement of statements) {
    // Deny: applies when it matches or might match.
    if (statement.effect === 'Deny' && statementMatches(statement, request) !== false) {
      return { allowed: false, reason: 'explicit', statement };
    }
  }
  const allowing = statements.find((s) => s.effect === 'Allow' && statementMatches(s, request) === true);
  return allowing ? { allowed: true } : { allowed: false, reason: 'implicit' };
}

/** The role's identity-based policy and, when it has one, its permissions boundary. */
export function evaluateRolePolicy(policy: RolePolicyDescription | undefined, request: IamRequest): IamDecision {
  const identity = evaluateStatements(policy?.statements ?? [], request);
  if (!identity.allowed || !policy?.permissionsBoundary) return identity;
  const boundary = evaluateStatements(policy.permissionsBoundary.statements ?? [], request);
  if (boundary.allowed) return boundary;
  return { allowed: false, reason: boundary.reason === 'explicit' ? 'explicit' : 'boundary', ...(boundary.statement ? { statement: boundary.statement } : {}) };
}

/** Every request must be allowed; the first refusal is returned with its request. */
export function evaluateAll(
  policy: RolePolicyDescription | undefined,
  requests: readonly IamRequest[],
): { allowed: true } | { allowed: false; request: IamRequest; decision: Extract<IamDecision, { allowed: false }> } {
  for (const request of requests) {
    const decision = evaluateRolePolicy(policy, request);
    if (!decision.allowed) return { allowed: false, request, decision };
  }
  return { allowed: true };
}

function statementMatches(statement: IamStatement, request: IamRequest): Match {
  const action = statement.actions
    ? anyMatch(statement.actions, (p) => actionMatches(p, request.action))
    : statement.notActions
      ? not(anyMatch(statement.notActions, (p) => actionMatches(p, request.action)))
      : false;
  const resource = statement.resources
    ? anyMatch(statement.resources, (p) => resourceMatches(p, request.resource, request.context))
    : statement.notResources
      ? not(anyMatch(statement.notResources, (p) => resourceMatches(p, request.resource, request.context)))
      : false;
  const condition: Match = statement.condition ? conditionHolds(statement.condition, request.context) : true;
  return and(action, resource, condition);
}

/** `${key}` → its value from the context (literal), `${*}` `${?}` `${$}` → the character; undefined when a key is not modelled or absent. */
function substituteVariables(pattern: string, context: IamContext | undefined): { pattern: string; literal: boolean[] } | undefined {
  let out = '';
  const literal: boolean[] = [];
  let index = 0;
  for (const match of pattern.matchAll(/\$\{([^}]*)\}/g)) {
    for (const char of pattern.slice(index, match.index)) {
      out += char;
      literal.push(false);
    }
    index = match.index + match[0].length;
    const name = match[1] ?? '';
    const special = name === '*' || name === '?' || name === '$' ? name : undefined;
    const value = special ?? context?.[name];
    if (typeof value !== 'string') return undefined;
    for (const char of value) {
      out += char;
      literal.push(true);
    }
  }
  for (const char of pattern.slice(index)) {
    out += char;
    literal.push(false);
  }
  return { pattern: out, literal };
}

/** A pattern with policy variables replaced: wildcards in it, literal characters from the variables' values. */
function patternRegExp(pattern: string, context: IamContext | undefined, ignoreCase: boolean, wildcards: boolean): RegExp | undefined {
  const substituted = substituteVariables(pattern, context);
  if (!substituted) return undefined;
  const body = [...substituted.pattern]
    .map((char, i) => (wildcards && !substituted.literal[i] && char === '*' ? '.*' : wildcards && !substituted.literal[i] && char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}*?]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

const STRING_OPERATORS: Record<string, { like: boolean; ignoreCase: boolean; negated: boolean }> = {
  StringEquals: { like: false, ignoreCase: false, negated: false },
  StringNotEquals: { like: false, ignoreCase: false, negated: true },
  StringEqualsIgnoreCase: { like: false, ignoreCase: true, negated: false },
  StringNotEqualsIgnoreCase: { like: false, ignoreCase: true, negated: true },
  StringLike: { like: true, ignoreCase: false, negated: false },
  StringNotLike: { like: true, ignoreCase: false, negated: true },
};

/** Every operator block and every key in it must hold. */
function conditionHolds(condition: Record<string, unknown>, context: IamContext | undefined): Match {
  const results: Match[] = [];
  for (const [rawOperator, block] of Object.entries(condition)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) return 'unknown';
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      results.push(keyHolds(rawOperator, key, expected, context));
    }
  }
  return and(...results);
}

function keyHolds(rawOperator: string, key: string, expected: unknown, context: IamContext | undefined): Match {
  const qualifier = /^(ForAnyValue|ForAllValues):/.exec(rawOperator)?.[1];
  let operator = qualifier ? rawOperator.slice(qualifier.length + 1) : rawOperator;
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const expectedValues = (Array.isArray(expected) ? expected : [expected]).map((value) => (typeof value === 'boolean' ? String(value) : value));
  if (!expectedValues.every((value): value is string => typeof value === 'string')) return 'unknown';
  if (context === undefined || !(key in context)) return 'unknown';
  const actual = context[key];
  const present = actual !== null && actual !== undefined && !(Array.isArray(actual) && actual.length === 0);
  if (operator === 'Null' && !qualifier && !ifExists) {
    // `"Null": {"key": "true"}` holds when the key is absent.
    return expectedValues.every((value) => value === 'true') ? !present : expectedValues.every((value) => value === 'false') ? present : 'unknown';
  }
  const spec = STRING_OPERATORS[operator];
  if (!spec) return 'unknown';
  if (!present) {
    if (ifExists) return true;
    // A missing key: the positive operators do not hold; negated ones do; ForAllValues holds on an empty set.
    if (qualifier === 'ForAllValues') return true;
    return spec.negated;
  }
  const patterns = expectedValues.map((value) => patternRegExp(value, context, spec.ignoreCase, spec.like));
  if (patterns.includes(undefined)) return 'unknown';
  const values: readonly string[] = typeof actual === 'string' ? [actual] : (actual as readonly string[]);
  const matchesAny = (value: string) => patterns.some((pattern) => pattern!.test(value));
  const each = (value: string) => (spec.negated ? !matchesAny(value) : matchesAny(value));
  if (qualifier === 'ForAllValues') return values.every(each);
  if (qualifier === 'ForAnyValue') return values.some(each);
  // A single-valued key: a multi-valued context value is unknown without a qualifier.
  if (values.length !== 1) return 'unknown';
  return each(values[0]!);
}

function actionMatches(pattern: string, action: string): Match {
  return wildcardRegExp(pattern, true).test(action);
}

function resourceMatches(pattern: string, resource: string | undefined, context: IamContext | undefined): Match {
  if (/^\*+$/.test(pattern)) return true;
  if (resource === undefined) return 'unknown';
  if (!pattern.includes('${')) return wildcardRegExp(pattern, false).test(resource);
  const regExp = patternRegExp(pattern, context, false, true);
  return regExp ? regExp.test(resource) : 'unknown';
}

/**
 * Compiled wildcard patterns: a backend's policies name a fixed set of actions and resources, evaluated on every AWS
 * call of every function. Bounded in case patterns come from elsewhere (emptied when full).
 */
const compiledWildcards = new Map<string, RegExp>();
const MAX_COMPILED_WILDCARDS = 2_000;

/** `*` → any run of characters, `?` → one character; everything else literal. */
export function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regExp = compiledWildcards.get(key);
  if (!regExp) {
    if (compiledWildcards.size >= MAX_COMPILED_WILDCARDS) compiledWildcards.clear();
    compiledWildcards.set(key, (regExp = compileWildcards(pattern, ignoreCase)));
  }
  return regExp;
}

function compileWildcards(pattern: string, ignoreCase: boolean): RegExp {
  const body = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

function anyMatch(patterns: readonly string[], match: (pattern: string) => Match): Match {
  let result: Match = false;
  for (const pattern of patterns) {
    const one = match(pattern);
    if (one === true) return true;
    if (one === 'unknown') result = 'unknown';
  }
  return result;
}

function not(match: Match): Match {
  return match === 'unknown' ? 'unknown' : !match;
}

function and(...matches: Match[]): Match {
  if (matches.includes(false)) return false;
  return matches.includes('unknown') ? 'unknown' : true;
}
