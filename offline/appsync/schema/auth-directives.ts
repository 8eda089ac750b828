/**
 * AppSync's multi-auth rules on the schema: which authorization modes may access a field.
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#using-additional-authorization-modes
 *
 * - A field with auth directives is accessible with exactly those modes.
 * - Otherwise the field's parent type's directives apply.
 * - A type/field with no directive is accessible with the API's default mode only.
 * - Default-mode access is NOT implied once a type or field names other modes (unless it names the default too).
 */
import type { GraphQLField, GraphQLNamedType, GraphQLSchema } from 'graphql16';
import type { AuthMode } from '../../loader/types';

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_iam: 'AWS_IAM',
  aws_api_key: 'API_KEY',
  aws_lambda: 'AWS_LAMBDA',
  aws_oidc: 'OPENID_CONNECT',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

function modesOf(node: { astNode?: { directives?: readonly { name: { value: string } }[] } | null }): AuthMode[] {
  const modes = (node.astNode?.directives ?? [])
    .map((d) => DIRECTIVE_MODES[d.name.value])
    .filter((m): m is AuthMode => m !== undefined);
  return [...new Set(modes)];
}

export class AuthDirectives {
  private readonly cache = new Map<string, readonly AuthMode[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly defaultMode: AuthMode,
  ) {}

  /** Modes allowed on `typeName.fieldName`. */
  modesFor(typeName: string, fieldName: string): readonly AuthMode[] {
    const key = `${typeName}.${fieldName}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const type = this.schema.getType(typeName) as (GraphQLNamedType & { getFields?: () => Record<string, GraphQLField<unknown, unknown>> }) | undefined;
    const field = type?.getFields?.()[fieldName];
    const fieldModes = field ? modesOf(field) : [];
    const typeModes = type ? modesOf(type) : [];
    const modes = fieldModes.length > 0 ? fieldModes : typeModes.length > 0 ? typeModes : [this.defaultMode];
    this.cache.set(key, modes);
    return modes;
  }

  allows(typeName: string, fieldName: string, mode: AuthMode): boolean {
    return this.modesFor(typeName, fieldName).includes(mode);
  }
}
