/**
 * A small CloudFormation intrinsic-function evaluator.
 *
 * CloudFormation resolves `Ref`, `Fn::GetAtt`, `Fn::Sub`, … at deploy time, when physical ids exist. Offline there is no
 * deployment, so the caller supplies an {@link IntrinsicScope} that answers the questions CloudFormation would answer:
 * parameter values, pseudo parameters, and the (fake but stable) physical ids and attributes of resources. This module
 * only knows the semantics of the functions themselves and is independent of cdk.out.
 *
 * Supported: `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub` (string and `[string, variables]` forms), `Fn::Select`,
 * `Fn::Split`, `Fn::If`, `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition` (inside conditions), `Fn::GetAZs`,
 * `Fn::FindInMap`, `Fn::Base64`. `Fn::ImportValue` and any other `Fn::*` raise an {@link IntrinsicError}.
 */

/**
 * `{"Ref": "AWS::NoValue"}`: CloudFormation removes the property (or list element) that evaluates to it. Returned by
 * {@link resolveIntrinsics} only when the value as a whole is "no value"; inside objects and arrays it is dropped.
 */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type NoValue = typeof NO_VALUE;

/** Values of CloudFormation's pseudo parameters (`AWS::Region`, …) for one stack. */
export interface PseudoParameters {
  region: string;
  accountId: string;
  partition: string;
  urlSuffix: string;
  stackName: string;
  stackId: string;
}

/** What the evaluator needs to know about the stack a value lives in. */
export interface IntrinsicScope {
  /** Name of the stack (for error messages). */
  readonly stackName: string;
  readonly pseudo: PseudoParameters;
  /** Raw `Conditions` section of the template. */
  readonly conditions: Readonly<Record<string, unknown>>;
  /** Raw `Mappings` section of the template. */
  readonly mappings: Readonly<Record<string, unknown>>;
  /** `{ value }` for a template parameter, `undefined` when the template declares no such parameter. */
  parameter(name: string): { value: unknown } | undefined;
  /** Whether the template declares a resource with this logical id. */
  hasResource(logicalId: string): boolean;
  /** `Ref` of a resource (its physical id, name or ARN depending on the type). */
  resourceRef(logicalId: string): unknown;
  /** `Fn::GetAtt` of a resource, e.g. `Arn`, `ApiId`, or `Outputs.<name>` of a nested stack. */
  resourceAttribute(logicalId: string, attribute: string): unknown;
}

/**
 * An intrinsic that cannot be evaluated. `path` is the location in the template, e.g.
 * `['Resources', 'MessageTable', 'Properties', 'tableName', 'Fn::Join', '1', '1']`.
 */
export class IntrinsicError extends Error {
  readonly stackName: string;
  readonly path: readonly string[];
  readonly reason: string;
  /** Locations whose evaluation needed this one, innermost first. */
  readonly requiredBy: readonly string[];

  constructor(stackName: string, path: readonly string[], reason: string, requiredBy: readonly string[] = []) {
    super(
      `Cannot resolve CloudFormation intrinsic: ${reason} (${describeLocation(stackName, path)})` +
        requiredBy.map((location) => `\n  required by ${location}`).join(''),
    );
    this.name = 'IntrinsicError';
    this.stackName = stackName;
    this.path = path;
    this.reason = reason;
    this.requiredBy = requiredBy;
  }
}

/** Human-readable location: stack, logical id and property path. */
export function describeLocation(stackName: string, path: readonly string[]): string {
  const [section, name, ...rest] = path;
  const property = rest.length > 0 ? `, property path ${rest.join('.')}` : '';
  if (section === 'Resources' && name !== undefined) return `stack ${stackName}, resource ${name}${property}`;
  if (section === 'Outputs' && name !== undefined) return `stack ${stackName}, output ${name}${property}`;
  if (section === 'Conditions' && name !== undefined) return `stack ${stackName}, condition ${name}${property}`;
  return `stack ${stackName}, path ${path.join('.') || '(template root)'}`;
}

const PSEUDO_PARAMETERS: Record<string, (pseudo: PseudoParameters) => unknown> = {
  'AWS::Region': (p) => p.region,
  'AWS::AccountId': (p) => p.accountId,
  'AWS::Partition': (p) => p.partition,
  'AWS::URLSuffix': (p) => p.urlSuffix,
  'AWS::StackName': (p) => p.stackName,
  'AWS::StackId': (p) => p.stackId,
  'AWS::NoValue': () => NO_VALUE,
  // Only meaningful for SNS-notifying stacks; an empty list is what a stack without notifications sees.
  'AWS::NotificationARNs': () => [],
};

/** Evaluate every intrinsic in `value`. `path` locates `value` in the template (for errors). */
export function resolveIntrinsics(value: unknown, scope: IntrinsicScope, path: readonly string[]): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, index) => {
      const resolved = resolveIntrinsics(item, scope, [...path, String(index)]);
      if (resolved !== NO_VALUE) out.push(resolved);
    });
    return out;
  }
  if (!isPlainObject(value)) return value;

  const keys = Object.keys(value);
  const onlyKey = keys.length === 1 ? keys[0] : undefined;
  if (onlyKey !== undefined && isIntrinsicName(onlyKey)) {
    return evaluateFunction(onlyKey, value[onlyKey], scope, [...path, onlyKey]);
  }

  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const resolved = resolveIntrinsics(value[key], scope, [...path, key]);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** Evaluate a named condition of the template's `Conditions` section. */
export function evaluateCondition(name: string, scope: IntrinsicScope, path: readonly string[]): boolean {
  return evaluateConditionNamed(name, scope, path, []);
}

function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function evaluateFunction(name: string, args: unknown, scope: IntrinsicScope, path: readonly string[]): unknown {
  switch (name) {
    case 'Ref':
      return evaluateRef(args, scope, path);
    case 'Fn::GetAtt':
      return evaluateGetAtt(args, scope, path);
    case 'Fn::Join':
      return evaluateJoin(args, scope, path);
    case 'Fn::Sub':
      return evaluateSub(args, scope, path);
    case 'Fn::Select':
      return evaluateSelect(args, scope, path);
    case 'Fn::Split':
      return evaluateSplit(args, scope, path);
    case 'Fn::If':
      return evaluateIf(args, scope, path);
    case 'Fn::Equals':
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
      return evaluateConditionExpression({ [name]: args }, scope, path.slice(0, -1), []);
    case 'Fn::GetAZs':
      return evaluateGetAZs(args, scope, path);
    case 'Fn::FindInMap':
      return evaluateFindInMap(args, scope, path);
    case 'Fn::Base64':
      return Buffer.from(
        expectString(resolveIntrinsics(args, scope, path), scope, path, 'Fn::Base64'),
        'utf8',
      ).toString('base64');
    case 'Fn::ImportValue': {
      const exportName = safeDescribe(() => resolveIntrinsics(args, scope, path));
      throw new IntrinsicError(
        scope.stackName,
        path,
        `Fn::ImportValue ${exportName} is not supported offline: it reads an export of another deployed stack, which the ` +
          `synthesized assembly does not contain`,
      );
    }
    default:
      throw new IntrinsicError(scope.stackName, path, `unsupported intrinsic function ${name}`);
  }
}

function evaluateRef(args: unknown, scope: IntrinsicScope, path: readonly string[]): unknown {
  if (typeof args !== 'string') throw new IntrinsicError(scope.stackName, path, 'Ref expects a name');
  return refByName(args, scope, path);
}

/** `Ref` semantics: pseudo parameter, then template parameter, then resource. */
function refByName(name: string, scope: IntrinsicScope, path: readonly string[]): unknown {
  const pseudo = PSEUDO_PARAMETERS[name];
  if (pseudo) return pseudo(scope.pseudo);
  const parameter = callScope(scope, path, () => scope.parameter(name));
  if (parameter) return parameter.value;
  if (scope.hasResource(name)) return callScope(scope, path, () => scope.resourceRef(name));
  throw new IntrinsicError(scope.stackName, path, `Ref to ${name}, which is neither a parameter nor a resource`);
}

function evaluateGetAtt(args: unknown, scope: IntrinsicScope, path: readonly string[]): unknown {
  let logicalId: unknown;
  let attribute: unknown;
  if (typeof args === 'string') {
    // Short form "LogicalId.Attribute"; the attribute may itself contain dots (Outputs.Name).
    const dot = args.indexOf('.');
    [logicalId, attribute] = dot < 0 ? [args, undefined] : [args.slice(0, dot), args.slice(dot + 1)];
  } else if (Array.isArray(args) && args.length === 2) {
    logicalId = args[0];
    // The attribute name may be computed with Ref (CloudFormation allows that for the second element only).
    attribute = resolveIntrinsics(args[1], scope, [...path, '1']);
  }
  if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
    throw new IntrinsicError(scope.stackName, path, 'Fn::GetAtt expects [logicalId, attributeName]');
  }
  return getAtt(logicalId, attribute, scope, path);
}

function getAtt(logicalId: string, attribute: string, scope: IntrinsicScope, path: readonly string[]): unknown {
  if (!scope.hasResource(logicalId)) {
    throw new IntrinsicError(scope.stackName, path, `Fn::GetAtt on ${logicalId}, which is not a resource of the stack`);
  }
  return callScope(scope, path, () => scope.resourceAttribute(logicalId, attribute));
}

function evaluateJoin(args: unknown, scope: IntrinsicScope, path: readonly string[]): string {
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
    throw new IntrinsicError(scope.stackName, path, 'Fn::Join expects [delimiter, list]');
  }
  const list = resolveIntrinsics(args[1], scope, [...path, '1']);
  if (!Array.isArray(list)) throw new IntrinsicError(scope.stackName, path, 'Fn::Join expects a list to join');
  return list
    .map((item, index) => expectString(item, scope, [...path, '1', String(index)], 'Fn::Join element'))
    .join(args[0]);
}

/**
 * `Fn::Sub`: `${Name}` is a Ref (parameter, pseudo parameter or resource), `${Logical.Attr}` a GetAtt, `${!Text}` the
 * literal `${Text}`. The long form `[template, { Var: value }]` adds variables that take precedence.
 */
function evaluateSub(args: unknown, scope: IntrinsicScope, path: readonly string[]): string {
  let template: unknown = args;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(args)) {
    if (args.length !== 2 || !isPlainObject(args[1])) {
      throw new IntrinsicError(scope.stackName, path, 'Fn::Sub expects a string or [string, { variables }]');
    }
    template = args[0];
    const resolved = resolveIntrinsics(args[1], scope, [...path, '1']);
    variables = isPlainObject(resolved) ? resolved : {};
  }
  if (typeof template !== 'string')
    throw new IntrinsicError(scope.stackName, path, 'Fn::Sub expects a template string');

  return template.replace(/\$\{([^}]*)\}/g, (_match, rawName: string) => {
    if (rawName.startsWith('!')) return `\${${rawName.slice(1)}}`;
    const name = rawName.trim();
    let value: unknown;
    if (Object.prototype.hasOwnProperty.call(variables, name)) {
      value = variables[name];
    } else if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      value = getAtt(name.slice(0, dot), name.slice(dot + 1), scope, path);
    } else {
      value = refByName(name, scope, path);
    }
    return expectString(value, scope, path, `Fn::Sub variable \${${name}}`);
  });
}

function evaluateSelect(args: unknown, scope: IntrinsicScope, path: readonly string[]): unknown {
  if (!Array.isArray(args) || args.length !== 2) {
    throw new IntrinsicError(scope.stackName, path, 'Fn::Select expects [index, list]');
  }
  const index = Number(resolveIntrinsics(args[0], scope, [...path, '0']));
  const list = resolveIntrinsics(args[1], scope, [...path, '1']);
  if (!Array.isArray(list)) throw new IntrinsicError(scope.stackName, path, 'Fn::Select expects a list');
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    throw new IntrinsicError(
      scope.stackName,
      path,
      `Fn::Select index ${String(args[0])} is out of range (list of ${list.length})`,
    );
  }
  return list[index];
}

function evaluateSplit(args: unknown, scope: IntrinsicScope, path: readonly string[]): string[] {
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
    throw new IntrinsicError(scope.stackName, path, 'Fn::Split expects [delimiter, string]');
  }
  const source = expectString(resolveIntrinsics(args[1], scope, [...path, '1']), scope, path, 'Fn::Split source');
  return source.split(args[0]);
}

function evaluateIf(args: unknown, scope: IntrinsicScope, path: readonly string[]): unknown {
  if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
    throw new IntrinsicError(scope.stackName, path, 'Fn::If expects [conditionName, valueIfTrue, valueIfFalse]');
  }
  const branch = evaluateCondition(args[0], scope, [...path, '0']) ? 1 : 2;
  return resolveIntrinsics(args[branch], scope, [...path, String(branch)]);
}

/** `Fn::GetAZs`: three fake availability zones of the requested (or current) region. */
function evaluateGetAZs(args: unknown, scope: IntrinsicScope, path: readonly string[]): string[] {
  const requested = resolveIntrinsics(args, scope, path);
  const region = typeof requested === 'string' && requested !== '' ? requested : scope.pseudo.region;
  return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
}

function evaluateFindInMap(args: unknown, scope: IntrinsicScope, path: readonly string[]): unknown {
  if (!Array.isArray(args) || args.length < 3) {
    throw new IntrinsicError(scope.stackName, path, 'Fn::FindInMap expects [mapName, topLevelKey, secondLevelKey]');
  }
  const [mapName, topKey, secondKey] = [0, 1, 2].map((i) =>
    expectString(resolveIntrinsics(args[i], scope, [...path, String(i)]), scope, path, 'Fn::FindInMap key'),
  );
  const map = scope.mappings[mapName ?? ''];
  const top = isPlainObject(map) ? map[topKey ?? ''] : undefined;
  const found = isPlainObject(top) ? top[secondKey ?? ''] : undefined;
  if (found === undefined) {
    throw new IntrinsicError(scope.stackName, path, `Fn::FindInMap: no entry ${mapName}.${topKey}.${secondKey}`);
  }
  return found;
}

function evaluateConditionNamed(
  name: string,
  scope: IntrinsicScope,
  path: readonly string[],
  evaluating: readonly string[],
): boolean {
  if (evaluating.includes(name)) {
    throw new IntrinsicError(scope.stackName, path, `circular condition ${[...evaluating, name].join(' -> ')}`);
  }
  if (!Object.prototype.hasOwnProperty.call(scope.conditions, name)) {
    throw new IntrinsicError(scope.stackName, path, `unknown condition ${name}`);
  }
  return evaluateConditionExpression(scope.conditions[name], scope, ['Conditions', name], [...evaluating, name]);
}

/**
 * Condition functions. Inside `Conditions`, `{"Condition": "Other"}` refers to another condition; `Fn::Equals`
 * compares the resolved values as strings (CloudFormation compares parameter strings, so `5` equals `"5"`).
 */
function evaluateConditionExpression(
  expression: unknown,
  scope: IntrinsicScope,
  path: readonly string[],
  evaluating: readonly string[],
): boolean {
  if (typeof expression === 'boolean') return expression;
  if (expression === 'true' || expression === 'false') return expression === 'true';
  if (!isPlainObject(expression) || Object.keys(expression).length !== 1) {
    throw new IntrinsicError(scope.stackName, path, 'a condition must be a single condition function');
  }
  const [name, args] = Object.entries(expression)[0] as [string, unknown];
  const here = [...path, name];
  const operands = (min: number, max: number): unknown[] => {
    if (!Array.isArray(args) || args.length < min || args.length > max) {
      throw new IntrinsicError(
        scope.stackName,
        here,
        `${name} expects ${min === max ? min : `${min}-${max}`} operands`,
      );
    }
    return args;
  };
  const operand = (value: unknown, index: number): boolean =>
    evaluateConditionExpression(value, scope, [...here, String(index)], evaluating);

  switch (name) {
    case 'Fn::Equals': {
      const [left, right] = operands(2, 2).map((v, i) => resolveIntrinsics(v, scope, [...here, String(i)]));
      return comparable(left) === comparable(right);
    }
    case 'Fn::Not':
      return !operand(operands(1, 1)[0], 0);
    case 'Fn::And':
      return operands(2, 10).every(operand);
    case 'Fn::Or':
      return operands(2, 10).some(operand);
    case 'Condition':
      if (typeof args !== 'string')
        throw new IntrinsicError(scope.stackName, here, 'Condition expects a condition name');
      return evaluateConditionNamed(args, scope, here, evaluating);
    default: {
      // Any other intrinsic (e.g. a Ref to a boolean-valued parameter) must produce "true"/"false".
      const value = resolveIntrinsics(expression, scope, path);
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw new IntrinsicError(scope.stackName, here, `${name} is not a condition function`);
    }
  }
}

function comparable(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** CloudFormation string context: numbers and booleans are stringified, anything else is an error. */
function expectString(value: unknown, scope: IntrinsicScope, path: readonly string[], what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new IntrinsicError(scope.stackName, path, `${what} must be a string, got ${safeDescribe(() => value)}`);
}

function safeDescribe(get: () => unknown): string {
  try {
    const value = get();
    return value === NO_VALUE ? 'AWS::NoValue' : (JSON.stringify(value) ?? String(value));
  } catch {
    return '(unresolvable)';
  }
}

/**
 * Run a scope callback; an error raised while resolving *another* location (e.g. the properties of a referenced resource)
 * is re-thrown with the location that needed it, so the chain stays visible.
 */
function callScope<T>(scope: IntrinsicScope, path: readonly string[], call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (!(error instanceof IntrinsicError)) {
      throw new IntrinsicError(scope.stackName, path, error instanceof Error ? error.message : String(error));
    }
    if (error.stackName === scope.stackName && samePath(error.path, path)) throw error;
    const here = describeLocation(scope.stackName, path);
    throw new IntrinsicError(error.stackName, error.path, error.reason, [...error.requiredBy, here]);
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}
