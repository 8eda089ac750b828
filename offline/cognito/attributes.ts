/**
 * User attribute validation against the pool schema, as Cognito applies it to SignUp, UpdateUserAttributes
 * and the admin APIs.
 *
 * Every pool has all OIDC standard attributes (the schema can only make them required or immutable); custom
 * attributes exist only if declared and are named `custom:<name>`. App clients may not write `sub` or the
 * `*_verified` flags ("A client attempted to write unauthorized attribute"); admins may set the flags.
 */
import type { UserPoolDescription } from '../loader/index.js';
import { STANDARD_ATTRIBUTES } from '../loader/index.js';
import { invalidEmailFormat, maxLength, MUST_NOT_BE_NULL, nonMutableAttribute, notABooleanAttribute, requiredAttributeMissing, unauthorizedAttributeWrite, unknownAttributeType, validationError, wrongJsonType } from '../errors.js';

/** Attributes an app client (SignUp, UpdateUserAttributes) may never write. */
const CLIENT_READ_ONLY = new Set(['sub', 'email_verified', 'phone_number_verified']);

export interface AttributeSchema {
  /** Declared name (custom ones with the `custom:` prefix) → flags. */
  byName: Map<string, { required: boolean; mutable: boolean }>;
}

export function attributeSchema(description: UserPoolDescription): AttributeSchema {
  const byName = new Map<string, { required: boolean; mutable: boolean }>();
  for (const attr of description.attributes) {
    const name = STANDARD_ATTRIBUTES.has(attr.name) || attr.name.startsWith('custom:') ? attr.name : `custom:${attr.name}`;
    byName.set(name, { required: attr.required, mutable: attr.mutable });
  }
  // With e-mail sign-in Cognito requires the e-mail (Amplify marks it required; be explicit in any case).
  if (description.usernameAttributes.includes('email') && !byName.has('email')) byName.set('email', { required: true, mutable: true });
  return { byName };
}

export interface AttributeType {
  Name: string;
  Value: string;
}

/** Parses an `AttributeType[]` input member, with AWS's validation messages. */
export function parseAttributeList(input: unknown, member: string): AttributeType[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw wrongJsonType('list', member);
  return input.map((item: unknown, index) => {
    const { Name, Value } = (item ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string') throw validationError(`${member}.${index + 1}.member.name`, MUST_NOT_BE_NULL);
    if (Value !== undefined && Value !== null && typeof Value !== 'string') {
      throw wrongJsonType('string', `${member}.${index + 1}.member.value`);
    }
    const value = typeof Value === 'string' ? Value : '';
    if (Name.length < 1 || Name.length > 32) {
      throw validationError(`${member}.${index + 1}.member.name`, maxLength(32), Name);
    }
    if (value.length > 2048) {
      throw validationError(`${member}.${index + 1}.member.value`, maxLength(2048));
    }
    return { Name, Value: value };
  });
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface AttributeWriteOptions {
  /** `client` = SignUp/UpdateUserAttributes (app client permissions); `admin` = Admin* APIs. */
  caller: 'client' | 'admin';
  /** Whether this creates the user (immutable attributes may only be set then). */
  creating: boolean;
}

/** Validates attribute writes and returns them as a name → value map (later duplicates win). */
export function validateAttributeWrites(
  schema: AttributeSchema,
  attributes: AttributeType[],
  options: AttributeWriteOptions,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Name, Value } of attributes) {
    const declared = schema.byName.get(Name);
    if (!STANDARD_ATTRIBUTES.has(Name) && declared === undefined) {
      throw unknownAttributeType(Name);
    }
    if (Name === 'sub' || (options.caller === 'client' && CLIENT_READ_ONLY.has(Name))) {
      throw unauthorizedAttributeWrite();
    }
    if (!options.creating && declared !== undefined && !declared.mutable) {
      throw nonMutableAttribute(Name);
    }
    if (Name === 'email' && !EMAIL.test(Value)) throw invalidEmailFormat();
    if ((Name === 'email_verified' || Name === 'phone_number_verified') && Value !== 'true' && Value !== 'false') {
      throw notABooleanAttribute(Name);
    }
    out[Name] = Value;
  }
  return out;
}

/** Cognito's check at creation: every required attribute present and non-empty. */
export function assertRequiredAttributes(schema: AttributeSchema, attributes: Record<string, string>): void {
  for (const [name, flags] of schema.byName) {
    if (flags.required && !attributes[name]) {
      throw requiredAttributeMissing(name);
    }
  }
}

export function toAttributeList(attributes: Record<string, string>): AttributeType[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/** Cognito masks delivery destinations: `jane@example.com` → `j***@e***`. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}
