/**
 * Evaluates a parsed VTL template with Velocity 1.7 semantics, the Velocity AppSync runs (generated
 * templates still use `$velocityCount`, removed in Velocity 2):
 * - `#if` truthiness: false only for null and `false` (empty strings, 0 and empty lists are true);
 * - `==` compares numbers numerically, collections structurally, mixed classes by `toString()`;
 *   integer arithmetic truncates (`5 / 2` is 2), division by zero yields null;
 * - a reference that evaluates to null renders as its own source text (`$!ref` renders nothing);
 * - void methods render nothing; `#foreach` over a Map iterates its values, exposes
 *   `$velocityCount` and `$foreach.{count,index,hasNext(),first,last}` and restores the previous
 *   values afterwards; `#break` leaves the innermost loop; `#return` / `#return($x)` stop rendering.
 * Evaluation errors (bad method arguments, invalid JSON passed to parseJson, …) are AppSync
 * `MappingTemplate` errors; `ResolverError`s from `$util.error` pass through unchanged.
 */
import { VTL } from '../../errors.js';
import { ResolverError } from '../util/context.js';
import { isPlainMap, javaEquals, javaString } from '../util/values.js';
import type { Block, ExprNode, RefNode, Statement, VtlNode } from './ast.js';
import { assign, getIndex, getProperty, invokeMethod, NO_METHOD } from './java-methods.js';
import { parseInterpolated, referenceText } from './parse.js';

export interface RenderResult {
  text: string;
  /** Set when `#return` ran; `value` is null for a bare `#return`. */
  returned?: { value: unknown };
}

class Stop {
  constructor(readonly value: unknown) {}
}

function isTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

export class Interpreter {
  private readonly vars = new Map<string, unknown>();
  private breaking = false;

  constructor(globals: Record<string, unknown>) {
    for (const [k, v] of Object.entries(globals)) this.vars.set(k, v);
  }

  render(ast: VtlNode[]): RenderResult {
    try {
      return { text: this.renderNodes(ast) };
    } catch (e) {
      if (e instanceof Stop) return { text: '', returned: { value: e.value } };
      throw e;
    }
  }

  private renderNodes(nodes: readonly VtlNode[]): string {
    let out = '';
    for (const node of nodes) {
      if (this.breaking) break;
      if (typeof node === 'string') out += node;
      else if (Array.isArray(node)) out += this.renderBlock(node);
      else out += this.renderStatement(node as RefNode | Statement);
    }
    return out;
  }

  private renderStatement(node: RefNode | Statement): string {
    switch (node.type) {
      case 'references': {
        const value = this.evalRef(node);
        if (value === null || value === undefined) return node.leader === '$!' ? '' : referenceText(node);
        return javaString(value);
      }
      case 'set':
        this.set(node.equal[0], this.evalExpr(node.equal[1]));
        return '';
      case 'break':
        this.breaking = true;
        return '';
      case 'return':
        throw new Stop(node.value ? this.evalExpr(node.value) : null);
      case 'raw':
        return node.value;
      case 'comment':
      case 'elseif':
      case 'else':
        return '';
      case 'macro_call':
        if (node.id === 'stop') throw new Stop(null);
        throw ResolverError.of(VTL.unsupportedDirective(node.id));
    }
  }

  private renderBlock(block: Block): string {
    const [header, ...body] = block;
    if (header.type === 'if') {
      let active = isTruthy(this.evalExpr(header.condition));
      let taken = active;
      const chosen: VtlNode[] = [];
      for (const node of body) {
        if (typeof node === 'object' && !Array.isArray(node) && (node.type === 'elseif' || node.type === 'else')) {
          if (taken) {
            active = false;
          } else {
            active = node.type === 'else' || isTruthy(this.evalExpr(node.condition));
            taken = active;
          }
          continue;
        }
        if (active) chosen.push(node);
      }
      return this.renderNodes(chosen);
    }
    if (header.type === 'foreach') return this.renderForeach(header.to, this.evalExpr(header.from), body);
    if (header.type === 'noescape') return this.renderNodes(body);
    // AppSync does not support macros or #define.
    throw ResolverError.of(VTL.unsupportedDirective(header.type));
  }

  private renderForeach(variable: string, source: unknown, body: VtlNode[]): string {
    const items = Array.isArray(source) ? [...source] : isPlainMap(source) ? Object.values(source) : [];
    const saved = ['velocityCount', 'foreach', variable].map((k) => [k, this.vars.has(k), this.vars.get(k)] as const);
    let out = '';
    try {
      for (let i = 0; i < items.length; i++) {
        this.vars.set(variable, items[i]);
        this.vars.set('velocityCount', i + 1);
        this.vars.set('foreach', { count: i + 1, index: i, first: i === 0, last: i === items.length - 1, hasNext: () => i + 1 < items.length });
        out += this.renderNodes(body);
        if (this.breaking) {
          this.breaking = false;
          break;
        }
      }
    } finally {
      for (const [k, had, v] of saved) {
        if (had) this.vars.set(k, v);
        else this.vars.delete(k);
      }
    }
    return out;
  }

  private evalRef(node: RefNode): unknown {
    let value = this.vars.get(node.id);
    for (const step of node.path ?? []) {
      if (value === null || value === undefined) return undefined;
      if (step.type === 'property') value = getProperty(value, step.id);
      else if (step.type === 'index') value = getIndex(value, this.evalExpr(step.id));
      else {
        const args = step.args ? step.args.map((a) => this.evalExpr(a)) : [];
        const result = this.call(value, step.id, args);
        value = result === NO_METHOD ? undefined : result;
      }
    }
    return value;
  }

  private call(target: unknown, name: string, args: unknown[]): unknown {
    try {
      return invokeMethod(target, name, args);
    } catch (e) {
      if (e instanceof ResolverError || e instanceof Stop) throw e;
      throw ResolverError.of(VTL.methodFailed(name, (e as Error).message));
    }
  }

  private set(ref: RefNode, value: unknown): void {
    const path = ref.path ?? [];
    if (path.length === 0) {
      this.vars.set(ref.id, value);
      return;
    }
    const last = path[path.length - 1]!;
    const target = this.evalRef({ ...ref, path: path.slice(0, -1) });
    if (last.type === 'property') assign(target, last.id, value);
    else if (last.type === 'index') assign(target, this.evalExpr(last.id), value);
  }

  evalExpr(node: ExprNode): unknown {
    switch (node.type) {
      case 'references':
        return this.evalRef(node);
      case 'string':
        return node.isEval && /[$#]/.test(node.value) ? this.renderNodes(parseInterpolated(node.value)) : node.value;
      case 'integer':
        return typeof node.value === 'number' ? node.value : parseInt(node.value, 10);
      case 'decimal':
        return node.value;
      case 'bool':
        return node.value === 'true' ? true : node.value === 'false' ? false : null;
      case 'array':
        if (node.isRange) {
          const [from, to] = node.value.map((v) => (typeof v === 'object' ? this.evalExpr(v) : Number(v)));
          const a = Number(from);
          const b = Number(to);
          if (!Number.isInteger(a) || !Number.isInteger(b)) return [];
          const out: number[] = [];
          for (let i = a; a <= b ? i <= b : i >= b; i += a <= b ? 1 : -1) out.push(i);
          return out;
        }
        return node.value.map((v) => (typeof v === 'object' ? this.evalExpr(v) : v));
      case 'map': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(node.value ?? {})) out[k] = this.evalExpr(v);
        return out;
      }
      case 'math':
        return this.evalMath(node.operator, node.expression);
    }
  }

  private evalMath(operator: string, operands: ExprNode[]): unknown {
    const [left, right] = operands;
    const l = (): unknown => this.evalExpr(left!);
    const r = (): unknown => this.evalExpr(right!);
    switch (operator) {
      case '&&':
        return isTruthy(l()) && isTruthy(r());
      case '||':
        return isTruthy(l()) || isTruthy(r());
      case 'not':
        return !isTruthy(l());
      case 'parenthesis':
        return l();
      case '==':
        return javaEquals(l(), r());
      case '!=':
        return !javaEquals(l(), r());
      case 'minus': {
        const v = l();
        return typeof v === 'number' ? -v : null;
      }
    }
    const a = l();
    const b = r();
    if (['>', '<', '>=', '<='].includes(operator)) {
      const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
      if (!comparable) return false;
      const x = a as number | string;
      const y = b as number | string;
      return operator === '>' ? x > y : operator === '<' ? x < y : operator === '>=' ? x >= y : x <= y;
    }
    if (typeof a !== 'number' || typeof b !== 'number') return null;
    const integers = Number.isInteger(a) && Number.isInteger(b);
    switch (operator) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) return null;
        return integers ? Math.trunc(a / b) : a / b;
      case '%':
        if (b === 0) return null;
        return a % b;
      default:
        throw ResolverError.of(VTL.unsupportedOperator(operator));
    }
  }
}
