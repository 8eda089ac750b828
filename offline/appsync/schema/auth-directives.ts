/**
 * AppSync's authorization rules on the schema: which authorization modes — and, for Cognito user pools, which
 * groups — may access a field. AWS AppSync developer guide, "Configuring authorization and authentication to secure
 * your GraphQL APIs": https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html (sections "Amazon
 * Cognito user pools authorization" and "Using additional authorization modes").
 *
 * Modes:
 * - A field with auth directives is accessible with exactly those modes.
 * - Otherwise the field's parent type's directives apply.
 * - A type/field with no directive is accessible with the API's default mode only.
 * - Default-mode access is NOT implied once a type or field names other modes (unless it names the default too).
 *
 * Cognito groups (`@aws_cognito_user_pools(cognito_groups: [...])`, and the older `@aws_auth(cognito_groups: [...])`,
 * in place of which the guide says `@aws_cognito_user_pools` can be used "using the same arguments"):
 * - The directives that decide the modes decide the groups too: a field's own directives override its type's entirely
 *   (a field with a bare `@aws_cognito_user_pools` on a type restricted to groups is open to every user-pool caller;
 *   a field restricted to groups on an unrestricted type is restricted).
 * - A user-pool directive without `cognito_groups` (or with `cognito_groups: null`) allows every user-pool caller.
 * - With a list, a user-pool caller passes only if its token's `cognito:groups` claim (`ctx.identity.groups`) holds at
 *   least one listed group (exact, case-sensitive names). A caller without groups never passes. An empty list is
 *   taken literally: nobody (AppSync's handling of it is unpublished).
 * - Several user-pool directives on one field (`@aws_auth` next to `@aws_cognito_user_pools`) allow the union; one
 *   without groups opens the field to every user-pool caller (as Amplify's own directive generator assumes).
 * - Groups restrict user-pool callers only: an IAM, API-key, OIDC or Lambda caller is judged on its mode alone.
 * - A field without any directive, accessible through the default mode, is open to every user-pool caller (the API's
 *   user-pool `DefaultAction: ALLOW`, which Amplify always synthesizes; the loader does not read `DefaultAction`, so a
 *   `DENY` template is not modelled).
 * A refusal is AppSync's field error (errorType `Unauthorized`, "Not Authorized to access <field> on type <Type>"),
 * the same as for a mode the field does not allow; the callers build it (executor, subscription start).
 *
 * Stricter than AWS, on purpose: the guide meant `@aws_auth` for APIs whose only mode is user pools, and AppSync is
 * reported to enforce its groups on top-level fields only (an AWS answer on re:Post, "field level access control in
 * schema": it "only works for top level fields"); here it is a user-pool directive enforced wherever it appears.
 *
 * Per field, the modes and the parsed group set are computed once and cached (bounded by the schema); a check is then
 * a mode lookup and, for a group-restricted field, a set lookup per caller group.
 */
import { Kind, type ConstDirectiveNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql16';
import type { AuthMode } from '../../loader/index.js';

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_iam: 'AWS_IAM',
  aws_api_key: 'API_KEY',
  aws_lambda: 'AWS_LAMBDA',
  aws_oidc: 'OPENID_CONNECT',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

/** What one field allows. */
export interface FieldAuthRule {
  readonly modes: readonly AuthMode[];
  /** For user-pool callers: null = every one; otherwise only members of at least one of these groups. */
  readonly userPoolGroups: ReadonlySet<string> | null;
}

type DirectiveHolder = { astNode?: { directives?: readonly ConstDirectiveNode[] } | null };

/** The groups of one user-pool directive: null when it has no (or a null) `cognito_groups` argument. */
function groupsArgument(directive: ConstDirectiveNode): string[] | null {
  const value = directive.arguments?.find((a) => a.name.value === 'cognito_groups')?.value;
  if (value === undefined || value.kind === Kind.NULL) return null;
  // `cognito_groups: "A"` is `["A"]` by GraphQL's list input coercion.
  const items = value.kind === Kind.LIST ? value.values : [value];
  return items.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}

/** The rule a type's or field's own directives state, or undefined when it has none. */
function ruleOf(node: DirectiveHolder): FieldAuthRule | undefined {
  const modes = new Set<AuthMode>();
  let groups: Set<string> | null | undefined; // undefined: no user-pool directive seen yet
  for (const directive of node.astNode?.directives ?? []) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (mode === undefined) continue;
    modes.add(mode);
    if (mode !== 'AMAZON_COGNITO_USER_POOLS' || groups === null) continue;
    const listed = groupsArgument(directive);
    groups = listed === null ? null : new Set([...(groups ?? []), ...listed]);
  }
  if (modes.size === 0) return undefined;
  return { modes: [...modes], userPoolGroups: groups ?? null };
}

interface TypeRules {
  type: (GraphQLNamedType & { getFields?: () => Record<string, GraphQLField<unknown, unknown>> }) | undefined;
  /** The type's own rule, else the default mode's. */
  fallback: FieldAuthRule;
  fields: Map<string, FieldAuthRule>;
}

export class AuthDirectives {
  /** Per type name: its rule and its fields' rules, each parsed once. */
  private readonly cache = new Map<string, TypeRules>();
  private readonly defaultRule: FieldAuthRule;

  constructor(
    private readonly schema: GraphQLSchema,
    defaultMode: AuthMode,
  ) {
    this.defaultRule = { modes: [defaultMode], userPoolGroups: null };
  }

  /** The rule of `typeName.fieldName`: the field's directives, else its type's, else the default mode. */
  ruleFor(typeName: string, fieldName: string): FieldAuthRule {
    let rules = this.cache.get(typeName);
    const cached = rules?.fields.get(fieldName);
    if (cached) return cached;
    if (!rules) {
      const type = this.schema.getType(typeName) as TypeRules['type'];
      rules = { type, fallback: (type && ruleOf(type)) ?? this.defaultRule, fields: new Map() };
      this.cache.set(typeName, rules);
    }
    const field = rules.type?.getFields?.()[fieldName];
    const rule = (field && ruleOf(field)) ?? rules.fallback;
    rules.fields.set(fieldName, rule);
    return rule;
  }

  /** Modes allowed on `typeName.fieldName`. */
  modesFor(typeName: string, fieldName: string): readonly AuthMode[] {
    return this.ruleFor(typeName, fieldName).modes;
  }

  /**
   * May a caller of `mode` access `typeName.fieldName`? `groups` are the caller's Cognito groups (the verified token's
   * `cognito:groups`); they matter only for user-pool callers, and none given means none held.
   */
  allows(typeName: string, fieldName: string, mode: AuthMode, groups?: readonly string[] | null): boolean {
    const rule = this.ruleFor(typeName, fieldName);
    if (!rule.modes.includes(mode)) return false;
    if (mode !== 'AMAZON_COGNITO_USER_POOLS' || rule.userPoolGroups === null) return true;
    const allowed = rule.userPoolGroups;
    return groups?.some((group) => allowed.has(group)) ?? false;
  }
}
