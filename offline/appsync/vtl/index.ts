/** VTL engine: AppSync mapping templates with Java/Velocity 1.7 semantics. */
export { renderVtl, renderVtlJson, type RenderOptions, type VtlJsonOutcome } from './render.js';
export { parseTemplate, parsedTemplateCount } from './parse.js';
