/**
 * Load-time rejection of what the APPSYNC_JS 1.0.0 runtime does not support (AppSync's
 * "supported features" page and `@aws-appsync/eslint-plugin` rules), on the module's syntax tree
 * (syntax-tree.ts). AppSync refuses such code when the function is created or evaluated; the sandbox
 * refuses it when the module is loaded, naming the construct and position.
 *
 * Enforced: try/catch/finally, throw, while, do-while, for(;;), continue, labels, classes,
 * generators/yield, async/await, Promise, `++` `--` `~`, `in`, `instanceof`, regex literals, `this`,
 * `eval`/`Function`, dynamic `import()`/`import.meta`, recursion (cycles among module functions),
 * reassigning `ctx` or its top-level properties in exported handlers, the deny-listed built-in
 * methods, imports other than `@aws-appsync/utils[/dynamodb]`.
 * Not enforced (lint-only "recommended" rules, see report): passing/returning/reassigning functions.
 */
import { ModuleSyntaxError, identifierName, isFunctionValue, moduleFunctions, parseModule, positionOf, unexported, walk, type ParsedModule, type SyntaxNode } from './syntax-tree.js';

export interface LanguageProblem {
  construct: string;
  line: number;
  column: number;
}

export class UnsupportedCodeError extends Error {
  constructor(readonly problems: LanguageProblem[]) {
    super(
      `The code contains one or more errors: ${problems.map((p) => `${p.construct} is not supported by the APPSYNC_JS runtime (line ${p.line}, column ${p.column})`).join('; ')}`,
    );
    this.name = 'UnsupportedCodeError';
  }
}

export const ALLOWED_IMPORTS: ReadonlySet<string> = new Set(['@aws-appsync/utils', '@aws-appsync/utils/dynamodb']);

const STATIC_DENY: Record<string, ReadonlySet<string>> = {
  Array: new Set(['from', 'of']),
  Object: new Set([
    'create',
    'defineProperty',
    'defineProperties',
    'freeze',
    'getOwnPropertyDescriptor',
    'getOwnPropertyDescriptors',
    'getOwnPropertyNames',
    'getOwnPropertySymbols',
    'getPrototypeOf',
    'setPrototypeOf',
    'isExtensible',
    'isFrozen',
    'isSealed',
    'preventExtensions',
    'seal',
  ]),
  String: new Set(['fromCharCode', 'fromCodePoint', 'raw']),
};
const METHOD_DENY: ReadonlySet<string> = new Set([
  'copyWithin',
  'charCodeAt',
  'padStart',
  'padEnd',
  'repeat',
  'search',
  'matchAll',
  'localeCompare',
  'setDate',
  'setFullYear',
  'setHours',
  'setMilliseconds',
  'setMinutes',
  'setMonth',
  'setSeconds',
  'setTime',
  'setUTCDate',
  'setUTCFullYear',
  'setUTCHours',
  'setUTCMilliseconds',
  'setUTCMinutes',
  'setUTCMonth',
  'setUTCSeconds',
  'setYear',
  'toLocaleDateString',
  'toLocaleString',
  'toLocaleTimeString',
]);
/** `arr.keys()/values()/entries()` are denied, `Object.keys/values/entries` are allowed. */
const ITERATOR_METHODS: ReadonlySet<string> = new Set(['keys', 'values', 'entries']);

function findRecursion(program: SyntaxNode): { name: string; node: SyntaxNode }[] {
  const functions = new Map(moduleFunctions(program).map(({ name, fn }) => [name, fn['body'] as SyntaxNode]));
  const calls = new Map<string, { callee: string; node: SyntaxNode }[]>();
  for (const [name, body] of functions) {
    const list: { callee: string; node: SyntaxNode }[] = [];
    walk(body, (n) => {
      const callee = n.type === 'CallExpression' ? identifierName(n['callee']) : undefined;
      if (callee !== undefined && functions.has(callee)) list.push({ callee, node: n });
    });
    calls.set(name, list);
  }
  const found: { name: string; node: SyntaxNode }[] = [];
  for (const start of functions.keys()) {
    const seen = new Set<string>();
    const stack = [...(calls.get(start) ?? [])];
    while (stack.length > 0) {
      const call = stack.pop()!;
      if (call.callee === start) {
        found.push({ name: start, node: call.node });
        break;
      }
      if (seen.has(call.callee)) continue;
      seen.add(call.callee);
      stack.push(...(calls.get(call.callee) ?? []));
    }
  }
  return found;
}

/** Parameter names of the exported handlers (the `ctx` they must not reassign). */
function handlerContextNames(program: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const add = (fn: SyntaxNode): void => {
    const first = identifierName((fn['params'] as SyntaxNode[])[0]);
    if (first !== undefined) names.add(first);
  };
  for (const statement of program['body'] as SyntaxNode[]) {
    if (statement.type !== 'ExportNamedDeclaration') continue;
    const declaration = unexported(statement);
    if (declaration.type === 'FunctionDeclaration') add(declaration);
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration['declarations'] as SyntaxNode[]) if (isFunctionValue(declarator['init'])) add(declarator['init']);
    }
  }
  return names;
}

const STATEMENTS: Readonly<Record<string, string>> = {
  TryStatement: 'try/catch/finally',
  ThrowStatement: 'throw',
  WhileStatement: 'while loop',
  DoWhileStatement: 'do-while loop',
  ForStatement: 'for(;;) loop (use for-of or for-in)',
  ContinueStatement: 'continue',
  LabeledStatement: 'label',
  ClassDeclaration: 'class',
  ClassExpression: 'class',
  YieldExpression: 'yield',
  AwaitExpression: 'await',
  ThisExpression: 'this',
  WithStatement: 'with',
  MetaProperty: 'import.meta / new.target',
  ImportExpression: 'dynamic import()',
};

/** A member access `x.name` (not computed): its object and name. */
function memberOf(node: unknown): { object: SyntaxNode; name: string } | undefined {
  const n = node as SyntaxNode | undefined;
  if (n?.type !== 'MemberExpression' || n['computed']) return undefined;
  const name = identifierName(n['property']);
  return name === undefined ? undefined : { object: n['object'] as SyntaxNode, name };
}

export function checkLanguage(code: string): ParsedModule {
  let parsed: ParsedModule;
  try {
    parsed = parseModule(code);
  } catch (error) {
    if (error instanceof ModuleSyntaxError) throw new UnsupportedCodeError([{ construct: `syntax error (${error.detail})`, line: error.line, column: error.column }]);
    throw error;
  }
  const { program } = parsed;
  const problems: LanguageProblem[] = [];
  const report = (node: SyntaxNode, construct: string): void => {
    problems.push({ construct, ...positionOf(node) });
  };
  const contextNames = handlerContextNames(program);
  const isContextRef = (n: unknown): boolean => {
    const name = identifierName(n);
    return name !== undefined && contextNames.has(name);
  };

  walk(program, (node) => {
    const statement = STATEMENTS[node.type];
    if (statement) report(node, statement);
    if (node.type === 'Literal' && node['regex']) report(node, 'regex literal (use util.matches)');
    const isFunction = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    if (isFunction && node['generator']) report(node, 'generator function');
    if (isFunction && node['async']) report(node, 'async function');
    if (node.type === 'Identifier') {
      const name = node['name'] as string;
      if (name === 'Promise') report(node, 'Promise');
      if (name === 'eval' || name === 'Function') report(node, `${name} (dynamic code)`);
    }
    if (node.type === 'UpdateExpression') report(node, node['operator'] === '++' ? '++ operator' : '-- operator');
    if (node.type === 'UnaryExpression' && node['operator'] === '~') report(node, '~ operator');
    if (node.type === 'BinaryExpression') {
      if (node['operator'] === 'in') report(node, 'in operator (use Object.hasOwn)');
      if (node['operator'] === 'instanceof') report(node, 'instanceof operator');
    }
    if (node.type === 'AssignmentExpression') {
      const left = node['left'] as SyntaxNode;
      if (isContextRef(left)) report(node, 'reassigning ctx');
      else if (left.type === 'MemberExpression' && isContextRef(left['object'])) report(node, 'modifying a top-level ctx property');
    }
    if (node.type === 'UnaryExpression' && node['operator'] === 'delete') {
      const target = node['argument'] as SyntaxNode;
      if (target.type === 'MemberExpression' && isContextRef(target['object'])) report(node, 'deleting a top-level ctx property');
    }
    if (node.type === 'CallExpression') {
      const callee = memberOf(node['callee']);
      if (callee) {
        const staticName = identifierName(callee.object);
        if (staticName && STATIC_DENY[staticName]?.has(callee.name)) report(node, `${staticName}.${callee.name}`);
        else if (METHOD_DENY.has(callee.name)) report(node, `.${callee.name}()`);
        else if (ITERATOR_METHODS.has(callee.name) && staticName !== 'Object') report(node, `.${callee.name}() (use Object.${callee.name})`);
      }
    }
    if (node.type === 'ImportDeclaration') {
      const specifier = (node['source'] as SyntaxNode)['value'];
      if (typeof specifier === 'string' && !ALLOWED_IMPORTS.has(specifier)) {
        report(node, `import from '${specifier}' (only @aws-appsync/utils can be imported; bundle other code)`);
      }
    }
  });
  for (const r of findRecursion(program)) report(r.node, `recursion (${r.name})`);
  if (problems.length > 0) throw new UnsupportedCodeError(problems);
  return parsed;
}
