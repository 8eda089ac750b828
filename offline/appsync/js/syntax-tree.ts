/**
 * The syntax tree of an APPSYNC_JS module (ESTree, parsed by acorn as an ES2022 module: strict mode, as AppSync's
 * runtime evaluates it), and the few walks the language check, the module transform and the termination analysis
 * share. Positions are 1-based lines and columns, as the sandbox reports problems.
 */
import { parse, type Node as AcornNode, type Program } from 'acorn';

/** Any node of the tree, with the fields of every ESTree node type readable by name. */
export interface SyntaxNode {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number } } | null;
  [field: string]: unknown;
}

export interface ParsedModule {
  code: string;
  program: SyntaxNode;
}

/** A syntax error where acorn stopped: its message without acorn's trailing "(line:column)". */
export class ModuleSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(detail);
    this.name = 'ModuleSyntaxError';
  }
}

export function parseModule(code: string): ParsedModule {
  let program: Program;
  try {
    program = parse(code, { ecmaVersion: 2022, sourceType: 'module', locations: true });
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    if (!(e instanceof SyntaxError) || !e.loc) throw error;
    throw new ModuleSyntaxError(e.message.replace(/\s*\(\d+:\d+\)$/, ''), e.loc.line, e.loc.column + 1);
  }
  return { code, program: program as unknown as SyntaxNode };
}

export function positionOf(node: SyntaxNode | AcornNode): { line: number; column: number } {
  const start = (node as SyntaxNode).loc?.start;
  return start ? { line: start.line, column: start.column + 1 } : { line: 1, column: 1 };
}

function isNode(value: unknown): value is SyntaxNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The node's children in source order (every field that holds a node or a list of nodes). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

/** Visits `node` and everything under it, depth first, each with its parent; `visit` returning false skips a subtree. */
export function walk(node: SyntaxNode, visit: (node: SyntaxNode, parent: SyntaxNode | undefined) => boolean | void, parent?: SyntaxNode): void {
  if (visit(node, parent) === false) return;
  for (const child of childrenOf(node)) walk(child, visit, node);
}

/** A top-level statement without its `export` (the declaration of `export function …` / `export const …`). */
export function unexported(statement: SyntaxNode): SyntaxNode {
  return statement.type === 'ExportNamedDeclaration' && isNode(statement['declaration']) ? statement['declaration'] : statement;
}

export function isFunctionValue(node: unknown): node is SyntaxNode {
  return isNode(node) && (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression');
}

export function identifierName(node: unknown): string | undefined {
  return isNode(node) && node.type === 'Identifier' ? (node['name'] as string) : undefined;
}

/** Module-level functions: `function f(…) {…}` and `const f = (…) => …` / `const f = function (…) {…}`, exported or not. */
export function moduleFunctions(program: SyntaxNode, options: { constOnly?: boolean } = {}): { name: string; fn: SyntaxNode; value: boolean }[] {
  const out: { name: string; fn: SyntaxNode; value: boolean }[] = [];
  for (const statement of program['body'] as SyntaxNode[]) {
    const declaration = unexported(statement);
    const name = identifierName(declaration['id']);
    if (declaration.type === 'FunctionDeclaration' && name) out.push({ name, fn: declaration, value: false });
    if (declaration.type === 'VariableDeclaration' && (!options.constOnly || declaration['kind'] === 'const')) {
      for (const declarator of declaration['declarations'] as SyntaxNode[]) {
        const declared = identifierName(declarator['id']);
        if (declared && isFunctionValue(declarator['init'])) out.push({ name: declared, fn: declarator['init'], value: true });
      }
    }
  }
  return out;
}
