/**
 * Whether an APPSYNC_JS module can run for an unbounded time, decided once from its syntax tree.
 *
 * The language check (language-check.ts) already refuses `while`, `do`, `for(;;)`, recursion and regex literals. What
 * is left that can run for an unbounded time is a `for…of` / `for…in` loop (an array that grows while it is iterated),
 * a function passed as a value (array callbacks nest: `a.map(() => b.map(…))` multiplies sizes, a function applied to
 * itself recurses), and regular expressions built from strings (`match`, `matchAll`, `search`, `RegExp`,
 * `util.matches`: catastrophic backtracking). A module with none of these is straight-line code: each statement runs at
 * most once per handler call and every built-in it calls finishes in time polynomial in the data it is given.
 *
 * Only modules that may run for an unbounded time are run under a watchdog (`vm`'s `timeout`, which starts a thread for
 * every run): the sandbox cannot hang on them, and straight-line modules — the common case, Amplify's generated
 * resolvers included — do not pay for one. See docs/offline-fidelity.md.
 */
import ts from 'typescript';

/**
 * Names through which a string becomes a regular expression, and those that call a function reached indirectly
 * (`f.call(…)` of a method read as a value).
 */
const REGEX_ENTRY_POINTS: ReadonlySet<string> = new Set(['RegExp', 'match', 'matchAll', 'search', 'matches', 'call', 'apply', 'bind']);

/** True when the module may run for an unbounded time (see above): run it under a watchdog. */
export function mayRunUnbounded(source: ts.SourceFile): boolean {
  // Module functions: declarations, and top-level `const f = (…) => …` (how Amplify writes its generated handlers).
  const declaredFunctions = new Set<string>();
  const moduleFunctionValues = new Set<ts.Node>();
  source.forEachChild(function collect(node) {
    if (ts.isFunctionDeclaration(node) && node.name) declaredFunctions.add(node.name.text);
    if (ts.isVariableStatement(node) && node.declarationList.flags & ts.NodeFlags.Const) {
      for (const declaration of node.declarationList.declarations) {
        const value = declaration.initializer;
        if (ts.isIdentifier(declaration.name) && value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) {
          declaredFunctions.add(declaration.name.text);
          moduleFunctionValues.add(value);
        }
      }
    }
  });
  let unbounded = false;
  const visit = (node: ts.Node): void => {
    if (unbounded) return;
    const functionValue = (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && !moduleFunctionValues.has(node);
    if (ts.isForOfStatement(node) || ts.isForInStatement(node) || functionValue) {
      unbounded = true;
      return;
    }
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      if (REGEX_ENTRY_POINTS.has(node.text)) unbounded = true;
      // A module function used as a value (a callback, stored, returned) rather than called or declared.
      else if (declaredFunctions.has(node.text) && !isCalleeOrDeclaration(node)) unbounded = true;
      return;
    }
    if (ts.isStringLiteral(node) && REGEX_ENTRY_POINTS.has(node.text) && ts.isElementAccessExpression(node.parent)) {
      unbounded = true; // s['match'](…)
      return;
    }
    // s[name](…) with a computed name: which method it calls is not known here.
    if (ts.isCallExpression(node) && ts.isElementAccessExpression(node.expression) && !ts.isStringLiteral(node.expression.argumentExpression) && !ts.isNumericLiteral(node.expression.argumentExpression)) {
      unbounded = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return unbounded;
}

function isCalleeOrDeclaration(node: ts.Identifier | ts.PrivateIdentifier): boolean {
  const parent = node.parent;
  if (ts.isFunctionDeclaration(parent) && parent.name === node) return true;
  if (ts.isVariableDeclaration(parent) && parent.name === node) return true;
  if (ts.isCallExpression(parent) && parent.expression === node) return true;
  // `export { request }` / `export { request as response }`
  return ts.isExportSpecifier(parent);
}
