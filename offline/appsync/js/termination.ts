/**
 * How the runs of an APPSYNC_JS module are bounded in time, decided once from its syntax tree.
 *
 * The language check (language-check.ts) already refuses `while`, `do`, `for(;;)`, recursion and regex literals. What
 * is left that can run for an unbounded time is a `for…of` / `for…in` loop (an array that grows while it is iterated),
 * a function passed as a value (array callbacks nest: `a.map(() => b.map(…))` multiplies sizes, a function applied to
 * itself recurses; an object's methods, getters and setters count as such values), and regular expressions built from
 * strings (`match`, `matchAll`, `search`, `RegExp`, `util.matches`: catastrophic backtracking). A module with none of
 * these is straight-line code: each statement runs at most once per handler call and every built-in it calls finishes
 * in time polynomial in the data it is given.
 *
 * - `none`: straight-line code (the common case, Amplify's generated resolvers included) runs unbounded.
 * - `counted`: loops and function values only. The module transform puts a check at the top of every loop body and
 *   function body (module-transform.ts) that ends the run once its time budget is spent (sandbox.ts): between two
 *   checks the code is straight-line again.
 * - `watchdog`: a regular expression built from a string, or a method called by a computed name (which may be one),
 *   can run long inside a single built-in call, where no check runs: the run is timed by `vm`'s `timeout`, which starts
 *   a thread for every run. So is a module that names the check itself.
 *
 * Either way the sandbox cannot hang on a runaway resolver. See docs/offline-fidelity.md.
 */
import { isFunctionValue, moduleFunctions, walk, type ParsedModule, type SyntaxNode } from './syntax-tree.js';

/**
 * Names through which a string becomes a regular expression, and those that call a function reached indirectly
 * (`f.call(…)` of a method read as a value).
 */
const REGEX_ENTRY_POINTS: ReadonlySet<string> = new Set(['RegExp', 'match', 'matchAll', 'search', 'matches', 'call', 'apply', 'bind']);

/** The name of the check the module transform puts in counted modules (sandbox.ts defines it in the realm). */
export const RUN_CHECK = '__appsyncRunCheck__';

export type RunBound = 'none' | 'counted' | 'watchdog';

/** How runs of the module are bounded (see above). */
export function runBoundOf({ code, program }: ParsedModule): RunBound {
  if (code.includes(RUN_CHECK)) return 'watchdog';
  // Module functions: declarations, and top-level `const f = (…) => …` (how Amplify writes its generated handlers).
  const functions = moduleFunctions(program, { constOnly: true });
  const declaredFunctions = new Set(functions.map((f) => f.name));
  const moduleFunctionValues = new Set(functions.filter((f) => f.value).map((f) => f.fn));
  let bound: RunBound = 'none';
  walk(program, (node, parent) => {
    if (bound === 'watchdog') return false;
    if (node.type === 'ForOfStatement' || node.type === 'ForInStatement' || (isFunctionValue(node) && !moduleFunctionValues.has(node))) bound = 'counted';
    if (node.type === 'Identifier') {
      const name = node['name'] as string;
      if (REGEX_ENTRY_POINTS.has(name)) bound = 'watchdog';
      // A module function used as a value (a callback, stored, returned) rather than called or declared.
      else if (declaredFunctions.has(name) && !isCalleeOrDeclaration(node, parent)) bound = 'counted';
      return false;
    }
    if (node.type === 'MemberExpression' && node['computed']) {
      const property = node['property'] as SyntaxNode;
      const literal = property.type === 'Literal' ? property['value'] : undefined;
      // s['match'](…)
      if (typeof literal === 'string' && REGEX_ENTRY_POINTS.has(literal)) bound = 'watchdog';
      // s[name](…) with a computed name: which method it calls is not known here.
      if (parent?.type === 'CallExpression' && parent['callee'] === node && typeof literal !== 'string' && typeof literal !== 'number') bound = 'watchdog';
    }
    return true;
  });
  return bound;
}

/** True when the module may run for an unbounded time: its runs are bounded by counting or by a watchdog. */
export function mayRunUnbounded(module: ParsedModule): boolean {
  return runBoundOf(module) !== 'none';
}

function isCalleeOrDeclaration(node: SyntaxNode, parent: SyntaxNode | undefined): boolean {
  if (!parent) return false;
  if ((parent.type === 'FunctionDeclaration' || parent.type === 'VariableDeclarator') && parent['id'] === node) return true;
  if (parent.type === 'CallExpression' && parent['callee'] === node) return true;
  // `export { request }` / `export { request as response }`
  return parent.type === 'ExportSpecifier';
}
