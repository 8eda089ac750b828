/**
 * Whether an APPSYNC_JS module can run for an unbounded time, decided once from its syntax tree.
 *
 * The language check (language-check.ts) already refuses `while`, `do`, `for(;;)`, recursion and regex literals. What
 * is left that can run for an unbounded time is a `for…of` / `for…in` loop (an array that grows while it is iterated),
 * a function passed as a value (array callbacks nest: `a.map(() => b.map(…))` multiplies sizes, a function applied to
 * itself recurses; an object's methods, getters and setters count as such values), and regular expressions built from strings (`match`, `matchAll`, `search`, `RegExp`,
 * `util.matches`: catastrophic backtracking). A module with none of these is straight-line code: each statement runs at
 * most once per handler call and every built-in it calls finishes in time polynomial in the data it is given.
 *
 * Only modules that may run for an unbounded time are run under a watchdog (`vm`'s `timeout`, which starts a thread for
 * every run): the sandbox cannot hang on them, and straight-line modules — the common case, Amplify's generated
 * resolvers included — do not pay for one. See docs/offline-fidelity.md.
 */
import { isFunctionValue, moduleFunctions, walk, type ParsedModule, type SyntaxNode } from './syntax-tree.js';

/**
 * Names through which a string becomes a regular expression, and those that call a function reached indirectly
 * (`f.call(…)` of a method read as a value).
 */
const REGEX_ENTRY_POINTS: ReadonlySet<string> = new Set(['RegExp', 'match', 'matchAll', 'search', 'matches', 'call', 'apply', 'bind']);

/** True when the module may run for an unbounded time (see above): run it under a watchdog. */
export function mayRunUnbounded({ program }: ParsedModule): boolean {
  // Module functions: declarations, and top-level `const f = (…) => …` (how Amplify writes its generated handlers).
  const functions = moduleFunctions(program, { constOnly: true });
  const declaredFunctions = new Set(functions.map((f) => f.name));
  const moduleFunctionValues = new Set(functions.filter((f) => f.value).map((f) => f.fn));
  let unbounded = false;
  walk(program, (node, parent) => {
    if (unbounded) return false;
    if (node.type === 'ForOfStatement' || node.type === 'ForInStatement' || (isFunctionValue(node) && !moduleFunctionValues.has(node))) {
      unbounded = true;
      return false;
    }
    if (node.type === 'Identifier') {
      const name = node['name'] as string;
      if (REGEX_ENTRY_POINTS.has(name)) unbounded = true;
      // A module function used as a value (a callback, stored, returned) rather than called or declared.
      else if (declaredFunctions.has(name) && !isCalleeOrDeclaration(node, parent)) unbounded = true;
      return false;
    }
    if (node.type === 'MemberExpression' && node['computed']) {
      const property = node['property'] as SyntaxNode;
      const literal = property.type === 'Literal' ? property['value'] : undefined;
      if (typeof literal === 'string' && REGEX_ENTRY_POINTS.has(literal)) {
        unbounded = true; // s['match'](…)
        return false;
      }
      // s[name](…) with a computed name: which method it calls is not known here.
      if (parent?.type === 'CallExpression' && parent['callee'] === node && typeof literal !== 'string' && typeof literal !== 'number') {
        unbounded = true;
        return false;
      }
    }
    return true;
  });
  return unbounded;
}

function isCalleeOrDeclaration(node: SyntaxNode, parent: SyntaxNode | undefined): boolean {
  if (!parent) return false;
  if ((parent.type === 'FunctionDeclaration' || parent.type === 'VariableDeclarator') && parent['id'] === node) return true;
  if (parent.type === 'CallExpression' && parent['callee'] === node) return true;
  // `export { request }` / `export { request as response }`
  return parent.type === 'ExportSpecifier';
}
