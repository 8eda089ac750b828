/**
 * Turns an APPSYNC_JS ES module into the body of a function that returns its handlers, so it can run
 * as a classic script in a `node:vm` context (`vm.SourceTextModule` needs a Node flag). Imports of
 * `@aws-appsync/utils[/dynamodb]` become reads of a `modules` parameter; `export` keywords are
 * dropped and the exported bindings returned. The module body is re-evaluated per invocation so
 * module-level state never leaks between requests.
 */
import ts from 'typescript';
import { UnsupportedCodeError, type LanguageProblem } from './language-check.js';

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
}

export interface TransformedModule {
  /** Body of `function (modules) { … }` returning `{ exportName: binding }`. */
  body: string;
  exports: string[];
}

export function transformModule(source: ts.SourceFile): TransformedModule {
  const edits: Edit[] = [];
  const exported = new Map<string, string>(); // export name → local binding
  const problems: LanguageProblem[] = [];
  const problem = (node: ts.Node, construct: string): void => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    problems.push({ construct, line: line + 1, column: character + 1 });
  };
  const removeExportKeyword = (node: ts.Node): void => {
    for (const m of ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []) {
      if (m.kind === ts.SyntaxKind.ExportKeyword) edits.push({ start: m.getStart(source), end: m.getEnd(), text: '' });
      if (m.kind === ts.SyntaxKind.DefaultKeyword) problem(m, 'export default (export named request and response functions)');
    }
  };

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const spec = (statement.moduleSpecifier as ts.StringLiteral).text;
      const available = MODULE_EXPORTS[spec] ?? [];
      const bindings: string[] = [];
      const clause = statement.importClause;
      if (clause?.name) problem(clause, `default import from '${spec}'`);
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.push(`const ${named.name.text} = modules[${JSON.stringify(spec)}];`);
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (!available.includes(imported)) problem(el, `import of '${imported}' from '${spec}' (not exported by the runtime)`);
          bindings.push(`const ${el.name.text} = modules[${JSON.stringify(spec)}][${JSON.stringify(imported)}];`);
        }
      }
      edits.push({ start: statement.getStart(source), end: statement.getEnd(), text: bindings.join(' ') });
      continue;
    }
    if (ts.isExportDeclaration(statement)) {
      if (statement.moduleSpecifier || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) {
        problem(statement, 're-export');
      } else {
        for (const el of statement.exportClause.elements) exported.set(el.name.text, (el.propertyName ?? el.name).text);
      }
      edits.push({ start: statement.getStart(source), end: statement.getEnd(), text: '' });
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      problem(statement, 'export default (export named request and response functions)');
      continue;
    }
    const isExported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!isExported) continue;
    removeExportKeyword(statement);
    if (ts.isFunctionDeclaration(statement) && statement.name) exported.set(statement.name.text, statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) exported.set(d.name.text, d.name.text);
        else problem(d, 'destructuring export');
      }
    }
  }
  if (problems.length > 0) throw new UnsupportedCodeError(problems);

  let text = source.getFullText();
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  const returned = [...exported].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  return { body: `'use strict';\n${text}\n;return { ${returned} };`, exports: [...exported.keys()] };
}
