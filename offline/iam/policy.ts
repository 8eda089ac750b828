/**
 * A small evaluator of identity-based IAM policies (the statements of a function's execution role, read by
 * offline/loader/read-role-policies.ts), following AWS's order: an explicit Deny wins, then any Allow, else the request
 * is implicitly denied. A permissions boundary, when the role has one, must allow as well.
 *
 * Matching: `Action` / `NotAction` and `Resource` / `NotResource`, with `*` (any run of characters, also none) and `?`
 * (exactly one character); action names are case-insensitive, resources (ARNs) case-sensitive.
 *
 * Whatever cannot be evaluated offline is decided in the safe direction — it may refuse what AWS would allow, never
 * allow what AWS would refuse:
 * - `Condition` blocks are not evaluated: an Allow with a condition grants nothing; a Deny with a condition denies as if
 *   its condition held.
 * - Policy variables (`${aws:username}`, …) in a resource pattern: the pattern matches for a Deny, not for an Allow.
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
}

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
    ? anyMatch(statement.resources, (p) => resourceMatches(p, request.resource))
    : statement.notResources
      ? not(anyMatch(statement.notResources, (p) => resourceMatches(p, request.resource)))
      : false;
  const condition: Match = statement.condition && Object.keys(statement.condition).length > 0 ? 'unknown' : true;
  return and(action, resource, condition);
}

function actionMatches(pattern: string, action: string): Match {
  return wildcardRegExp(pattern, true).test(action);
}

function resourceMatches(pattern: string, resource: string | undefined): Match {
  if (/^\*+$/.test(pattern)) return true;
  if (resource === undefined || pattern.includes('${')) return 'unknown';
  return wildcardRegExp(pattern, false).test(resource);
}

/** `*` → any run of characters, `?` → one character; everything else literal. */
export function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
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
