/**
 * Reading resolver code out of a synthesized cloud assembly: FunctionConfiguration templates are
 * S3 assets (`s3://…/<hash>.vtl|.js`) whose files sit in the assembly directory as
 * `asset.<hash>.<ext>`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

function nestedTemplates(directory: string): Record<string, CfnResource>[] {
  return readdirSync(directory)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => (JSON.parse(readFileSync(join(directory, f), 'utf8')) as { Resources?: Record<string, CfnResource> }).Resources ?? {});
}

function assetText(directory: string, location: unknown): string | undefined {
  const match = /\/([0-9a-f]{64})\.(vtl|js)/.exec(JSON.stringify(location ?? ''));
  return match ? readFileSync(join(directory, `asset.${match[1]}.${match[2]}`), 'utf8') : undefined;
}

export interface ResolverFunctionCode {
  request?: string;
  response?: string;
  code?: string;
  runtime?: unknown;
}

/** The code of the AppSync pipeline function with this name (e.g. `MutationupdateUserProfileauth0Function`). */
export function pipelineFunction(directory: string, name: string): ResolverFunctionCode {
  for (const resources of nestedTemplates(directory)) {
    for (const resource of Object.values(resources)) {
      const p = resource.Properties ?? {};
      if (resource.Type !== 'AWS::AppSync::FunctionConfiguration' || p['Name'] !== name) continue;
      return {
        request: assetText(directory, p['RequestMappingTemplateS3Location']),
        response: assetText(directory, p['ResponseMappingTemplateS3Location']),
        code: assetText(directory, p['CodeS3Location']),
        runtime: p['Runtime'],
      };
    }
  }
  throw new Error(`no pipeline function named ${name} in ${directory}`);
}

/** The GraphQL schema (SDL) of the API. */
export function graphqlSchema(directory: string): string {
  const file = readdirSync(directory).find((f) => f.endsWith('.graphql'));
  if (!file) throw new Error(`no schema asset in ${directory}`);
  return readFileSync(join(directory, file), 'utf8');
}

/** The body of `type <name> … { … }` in an SDL document, one field per array entry. */
export function typeFields(sdl: string, typeName: string): string[] {
  const match = new RegExp(`(?:^|\\n)(?:type|input|enum) ${typeName}\\b[^{]*\\{([^}]*)\\}`).exec(sdl);
  if (!match) throw new Error(`type ${typeName} not in schema`);
  return match[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export function typeHeader(sdl: string, typeName: string): string {
  const match = new RegExp(`(?:^|\\n)(type [^\\n{]*${typeName}\\b[^{]*)\\{`).exec(sdl);
  if (!match) throw new Error(`type ${typeName} not in schema`);
  return match[1]!.trim();
}
