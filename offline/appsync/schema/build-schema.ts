/**
 * The deployed AppSync SDL → an executable graphql-js 16 schema. AppSync's schema text relies on
 * built-in scalars and directives it does not declare; they are declared here.
 */
import { buildSchema, type GraphQLSchema, GraphQLScalarType } from 'graphql16';
import { APPSYNC_SCALARS } from './scalars';

export const APPSYNC_DIRECTIVES = `
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_iam on OBJECT | FIELD_DEFINITION | INPUT_OBJECT | INTERFACE | UNION | ENUM
directive @aws_api_key on OBJECT | FIELD_DEFINITION | INPUT_OBJECT | INTERFACE | UNION | ENUM
directive @aws_lambda on OBJECT | FIELD_DEFINITION | INPUT_OBJECT | INTERFACE | UNION | ENUM
directive @aws_oidc on OBJECT | FIELD_DEFINITION | INPUT_OBJECT | INTERFACE | UNION | ENUM
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION | INPUT_OBJECT | INTERFACE | UNION | ENUM
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
`;

export function buildAppSyncSchema(sdl: string): GraphQLSchema {
  const scalarDeclarations = APPSYNC_SCALARS.filter((s) => !new RegExp(`\\bscalar\\s+${s.name}\\b`).test(sdl))
    .map((s) => `scalar ${s.name}`)
    .join('\n');
  const schema = buildSchema(`${APPSYNC_DIRECTIVES}\n${scalarDeclarations}\n${sdl}`);
  // Give the declared scalars AppSync's behaviour.
  for (const scalar of APPSYNC_SCALARS) {
    const declared = schema.getType(scalar.name);
    if (declared instanceof GraphQLScalarType) {
      declared.serialize = scalar.serialize;
      declared.parseValue = scalar.parseValue;
      declared.parseLiteral = scalar.parseLiteral;
    }
  }
  return schema;
}
