/**
 * Turns an APPSYNC_JS ES module into the body of a function that returns its handlers, so it can run
 * as a classic script in a `node:vm` context (`vm.SourceTextModule` needs a Node flag). Imports of
 * `@aws-appsync/utils[/dynamodb]` become reads of a `modules` parameter; `export` keywords are
 * dropped and the exported bindings returned. The module body is re-evaluated per invocation so
 * module-level state never leaks between requests.
 */
import { UnsupportedCodeError, type LanguageProblem } from './language-check.js';
import { childrenOf, identifierName, positionOf, type ParsedModule, type SyntaxNode } from './syntax-tree.js';
import { RUN_CHECK } from './termination.js';

export const MODULE_EXPORTS: Record<string, readonly string[]> = {
  '@aws-appsync/utils': ['util', 'extensions', 'runtime'],
  '@aws-appsync/utils/dynamodb': [
    'get',
    'put',
    'update',
    'remove',
    'query',
    'scan',
    'sync',
    'batchGet',
    'batchPut',
    'batchDelete',
    'transactGet',
    'transactWrite',
    'operations',
  ],
};

interface Edit {
  start: number;
  end: number;
  text: string;
  /** An insertion that opens or closes a wrapping, and how deep its node is: several at one position nest. */
  wrap?: { side: 'open' | 'close'; depth: number };
}

/**
 * A counted module's checks (termination.ts): `RUN_CHECK()` first in every function body and loop body. An arrow
 * function's expression body becomes `(RUN_CHECK(), body)`, a loop's single statement `{ RUN_CHECK(); statement }`.
 */
function runChecks(program: SyntaxNode): Edit[] {
  const edits: Edit[] = [];
  const call = `${RUN_CHECK}();`;
  const visit = (node: SyntaxNode, depth: number): void => {
    const isFunction = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    const isLoop = node.type === 'ForOfStatement' || node.type === 'ForInStatement';
    if (isFunction || isLoop) {
      const body = node['body'] as SyntaxNode;
      if (body.type === 'BlockStatement') edits.push({ start: body.start + 1, end: body.start + 1, text: call });
      else if (isFunction) {
        edits.push({ start: body.start, end: body.start, text: `(${RUN_CHECK}(), `, wrap: { side: 'open', depth } });
        edits.push({ start: body.end, end: body.end, text: ')', wrap: { side: 'close', depth } });
      } else {
        edits.push({ start: body.start, end: body.start, text: `{ ${call} `, wrap: { side: 'open', depth } });
        edits.push({ start: body.end, end: body.end, text: ' }', wrap: { side: 'close', depth } });
      }
    }
    for (const child of childrenOf(node)) visit(child, depth + 1);
  };
  visit(program, 0);
  return edits;
}

/**
 * Applies edits from the end of the text to its start. At one position, an edit applied later lands to the left of one
 * applied before it: so openers go first (deepest first), then closers (shallowest first), giving `(outer(inner…)inner)outer`.
 */
function applyEdits(text: string, edits: Edit[]): string {
  const rank = (e: Edit): number => (e.wrap ? (e.wrap.side === 'open' ? -1e6 - e.wrap.depth : e.wrap.depth) : 0);
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || rank(a) - rank(b))) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export interface TransformedModule {
  /** Body of `function (modules) { … }` returning `{ exportName: binding }`. */
  body: string;
  exports: string[];
}

/** An import or export name: an identifier, or (ES2022) a string literal. */
function moduleExportName(node: unknown): string {
  return identifierName(node) ?? String((node as SyntaxNode)['value']);
}

/** `countRuns`: the module's runs are counted (termination.ts), so every loop and function body gets the check. */
export function transformModule({ code, program }: ParsedModule, options: { countRuns?: boolean } = {}): TransformedModule {
  const edits: Edit[] = [];
  const exported = new Map<string, string>(); // export name → local binding
  const problems: LanguageProblem[] = [];
  const problem = (node: SyntaxNode, construct: string): void => {
    problems.push({ construct, ...positionOf(node) });
  };

  for (const statement of program['body'] as SyntaxNode[]) {
    if (statement.type === 'ImportDeclaration') {
      const spec = String((statement['source'] as SyntaxNode)['value']);
      const available = MODULE_EXPORTS[spec] ?? [];
      const bindings: string[] = [];
      for (const specifier of statement['specifiers'] as SyntaxNode[]) {
        const local = moduleExportName(specifier['local']);
        if (specifier.type === 'ImportDefaultSpecifier') problem(specifier, `default import from '${spec}'`);
        if (specifier.type === 'ImportNamespaceSpecifier') bindings.push(`const ${local} = modules[${JSON.stringify(spec)}];`);
        if (specifier.type === 'ImportSpecifier') {
          const imported = moduleExportName(specifier['imported']);
          if (!available.includes(imported)) problem(specifier, `import of '${imported}' from '${spec}' (not exported by the runtime)`);
          bindings.push(`const ${local} = modules[${JSON.stringify(spec)}][${JSON.stringify(imported)}];`);
        }
      }
      edits.push({ start: statement.start, end: statement.end, text: bindings.join(' ') });
      continue;
    }
    if (statement.type === 'ExportAllDeclaration' || (statement.type === 'ExportNamedDeclaration' && statement['source'])) {
      problem(statement, 're-export');
      edits.push({ start: statement.start, end: statement.end, text: '' });
      continue;
    }
    if (statement.type === 'ExportDefaultDeclaration') {
      problem(statement, 'export default (export named request and response functions)');
      continue;
    }
    if (statement.type !== 'ExportNamedDeclaration') continue;
    const declaration = statement['declaration'] as SyntaxNode | null;
    if (!declaration) {
      // export { a, b as c }
      for (const specifier of statement['specifiers'] as SyntaxNode[]) exported.set(moduleExportName(specifier['exported']), moduleExportName(specifier['local']));
      edits.push({ start: statement.start, end: statement.end, text: '' });
      continue;
    }
    // `export function f…` / `export const f = …`: the declaration stays, its `export` goes.
    edits.push({ start: statement.start, end: declaration.start, text: '' });
    const name = identifierName(declaration['id']);
    if (declaration.type === 'FunctionDeclaration' && name) exported.set(name, name);
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration['declarations'] as SyntaxNode[]) {
        const declared = identifierName(declarator['id']);
        if (declared) exported.set(declared, declared);
        else problem(declarator, 'destructuring export');
      }
    }
  }
  if (problems.length > 0) throw new UnsupportedCodeError(problems);

  if (options.countRuns) edits.push(...runChecks(program));
  const text = applyEdits(code, edits);
  const returned = [...exported].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  return { body: `'use strict';\n${text}\n;return { ${returned} };`, exports: [...exported.keys()] };
}
