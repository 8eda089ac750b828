/**
 * Parsing VTL with `amplify-velocity-template`'s parser, once per distinct text (templates and
 * interpolated string literals are cached by content).
 */
import velocity from 'amplify-velocity-template';
import { VTL } from '../../errors.js';
import { ResolverError } from '../util/context.js';
import type { RefNode, VtlNode } from './ast.js';

const templates = new Map<string, VtlNode[]>();
const strings = new Map<string, VtlNode[]>();

export function parseTemplate(template: string): VtlNode[] {
  let ast = templates.get(template);
  if (!ast) {
    try {
      ast = velocity.parse(template) as VtlNode[];
    } catch (e) {
      throw ResolverError.of(VTL.unparsable((e as Error).message));
    }
    templates.set(template, ast);
  }
  return ast;
}

/**
 * A double-quoted string literal is itself a template. As in `amplify-velocity-template`, `#` is
 * escaped first so that text such as `"#keyCount$velocityCount"` stays literal.
 */
export function parseInterpolated(text: string): VtlNode[] {
  let ast = strings.get(text);
  if (!ast) {
    ast = velocity.parse(text.replace(/#/g, '\\#')) as VtlNode[];
    strings.set(text, ast);
  }
  return ast;
}

/** The source text of a reference, printed when it evaluates to null (Velocity semantics). */
export function referenceText(node: RefNode): string {
  return velocity.Helper.getRefText(node);
}

/** Number of distinct templates parsed so far (for tests and diagnostics). */
export function parsedTemplateCount(): number {
  return templates.size;
}
