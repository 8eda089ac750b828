/**
 * Load-time rejection of what the APPSYNC_JS 1.0.0 runtime does not support (AppSync's
 * "supported features" page and `@aws-appsync/eslint-plugin` rules), using the TypeScript
 * compiler's JavaScript parser. AppSync refuses such code when the function is created or
 * evaluated; the sandbox refuses it when the module is loaded, naming the construct and position.
 *
 * Enforced: try/catch/finally, throw, while, do-while, for(;;), continue, labels, classes,
 * generators/yield, async/await, Promise, `++` `--` `~`, `in`, `instanceof`, regex literals, `this`,
 * `eval`/`Function`, dynamic `import()`/`import.meta`, recursion (cycles among module functions),
 * reassigning `ctx` or its top-level properties in exported handlers, the deny-listed built-in
 * methods, imports other than `@aws-appsync/utils[/dynamodb]`.
 * Not enforced (lint-only "recommended" rules, see report): passing/returning/reassigning functions.
 */
import ts from 'typescript';

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

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Names of module-level functions (declarations and `const f = () => …`) and their bodies. */
function moduleFunctions(source: ts.SourceFile): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) out.set(statement.name.text, statement.body);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) out.set(d.name.text, d.initializer.body);
      }
    }
  }
  return out;
}

function findRecursion(source: ts.SourceFile): { name: string; node: ts.Node }[] {
  const functions = moduleFunctions(source);
  const calls = new Map<string, { callee: string; node: ts.Node }[]>();
  for (const [name, body] of functions) {
    const list: { callee: string; node: ts.Node }[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && functions.has(n.expression.text)) list.push({ callee: n.expression.text, node: n });
      ts.forEachChild(n, visit);
    };
    visit(body);
    calls.set(name, list);
  }
  const found: { name: string; node: ts.Node }[] = [];
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

/** Parameter names of the exported `request` / `response` handlers (the `ctx` they must not reassign). */
function handlerContextNames(source: ts.SourceFile): Set<ts.Node> {
  const params = new Set<ts.Node>();
  const add = (fn: ts.SignatureDeclarationBase): void => {
    const first = fn.parameters[0];
    if (first && ts.isIdentifier(first.name)) params.add(first.name);
  };
  for (const s of source.statements) {
    if (!hasModifier(s, ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isFunctionDeclaration(s)) add(s);
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) add(d.initializer);
      }
    }
  }
  return params;
}

export function checkLanguage(code: string, fileName = 'resolver.js'): ts.SourceFile {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const problems: LanguageProblem[] = [];
  const report = (node: ts.Node, construct: string): void => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    problems.push({ construct, line: line + 1, column: character + 1 });
  };
  const diagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  for (const d of diagnostics) {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
    problems.push({ construct: `syntax error (${ts.flattenDiagnosticMessageText(d.messageText, ' ')})`, line: line + 1, column: character + 1 });
  }
  const contextParams = handlerContextNames(source);
  const contextNames = new Set([...contextParams].map((n) => (n as ts.Identifier).text));

  const isContextRef = (n: ts.Expression): boolean => ts.isIdentifier(n) && contextNames.has(n.text);

  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.TryStatement:
        report(node, 'try/catch/finally');
        break;
      case ts.SyntaxKind.ThrowStatement:
        report(node, 'throw');
        break;
      case ts.SyntaxKind.WhileStatement:
        report(node, 'while loop');
        break;
      case ts.SyntaxKind.DoStatement:
        report(node, 'do-while loop');
        break;
      case ts.SyntaxKind.ForStatement:
        report(node, 'for(;;) loop (use for-of or for-in)');
        break;
      case ts.SyntaxKind.ContinueStatement:
        report(node, 'continue');
        break;
      case ts.SyntaxKind.LabeledStatement:
        report(node, 'label');
        break;
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        report(node, 'class');
        break;
      case ts.SyntaxKind.YieldExpression:
        report(node, 'yield');
        break;
      case ts.SyntaxKind.AwaitExpression:
        report(node, 'await');
        break;
      case ts.SyntaxKind.RegularExpressionLiteral:
        report(node, 'regex literal (use util.matches)');
        break;
      case ts.SyntaxKind.ThisKeyword:
        report(node, 'this');
        break;
      case ts.SyntaxKind.WithStatement:
        report(node, 'with');
        break;
      case ts.SyntaxKind.MetaProperty:
        report(node, 'import.meta / new.target');
        break;
    }
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken) report(node, 'generator function');
    if ((ts.isFunctionLike(node) || ts.isArrowFunction(node)) && hasModifier(node, ts.SyntaxKind.AsyncKeyword)) report(node, 'async function');
    if (ts.isIdentifier(node)) {
      if (node.text === 'Promise') report(node, 'Promise');
      if (node.text === 'eval' || node.text === 'Function') report(node, `${node.text} (dynamic code)`);
    }
    if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
      if (node.operator === ts.SyntaxKind.PlusPlusToken) report(node, '++ operator');
      if (node.operator === ts.SyntaxKind.MinusMinusToken) report(node, '-- operator');
      if (node.operator === ts.SyntaxKind.TildeToken) report(node, '~ operator');
    }
    if (ts.isBinaryExpression(node)) {
      if (node.operatorToken.kind === ts.SyntaxKind.InKeyword) report(node, 'in operator (use Object.hasOwn)');
      if (node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) report(node, 'instanceof operator');
      const assignment = node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
      if (assignment) {
        const left = node.left;
        if (isContextRef(left)) report(node, 'reassigning ctx');
        else if ((ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && isContextRef(left.expression)) report(node, 'modifying a top-level ctx property');
      }
    }
    if (ts.isDeleteExpression(node)) {
      const target = node.expression;
      if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && isContextRef(target.expression)) report(node, 'deleting a top-level ctx property');
    }
    if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) report(node, 'dynamic import()');
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        const receiver = callee.expression;
        const staticName = ts.isIdentifier(receiver) ? receiver.text : undefined;
        if (staticName && STATIC_DENY[staticName]?.has(method)) report(node, `${staticName}.${method}`);
        else if (METHOD_DENY.has(method)) report(node, `.${method}()`);
        else if (ITERATOR_METHODS.has(method) && staticName !== 'Object') report(node, `.${method}() (use Object.${method})`);
      }
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !ALLOWED_IMPORTS.has(node.moduleSpecifier.text)) {
      report(node, `import from '${node.moduleSpecifier.text}' (only @aws-appsync/utils can be imported; bundle other code)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const r of findRecursion(source)) report(r.node, `recursion (${r.name})`);
  if (problems.length > 0) throw new UnsupportedCodeError(problems);
  return source;
}
