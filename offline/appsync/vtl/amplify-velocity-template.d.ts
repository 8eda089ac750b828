/**
 * Minimal typing of the untyped `amplify-velocity-template` package: only its parser and the
 * reference-text helper are used (typed precisely in `ast.ts`); evaluation is done by
 * `interpreter.ts` with Java semantics.
 */
declare module 'amplify-velocity-template' {
  const velocity: {
    parse(template: string): unknown[];
    Helper: { getRefText(node: unknown): string };
  };
  export default velocity;
}
