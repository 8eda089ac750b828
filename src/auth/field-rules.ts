/**
 * The checks the sign-in card makes before asking Cognito (which checks again and has the last word): every field
 * filled, an e-mail that looks like one, a code that was typed. Messages are shown under the field.
 */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

const EMAIL = /^[^\s@]+@[^\s@]+$/u;

export function emailProblems(email: string): string[] {
  const value = email.trim();
  if (value === '') return ['Enter your email address.'];
  if (!EMAIL.test(value)) return ['Enter an email address like name@example.com.'];
  return [];
}

export function requiredProblems(value: string, message: string): string[] {
  return value.trim() === '' ? [message] : [];
}

/** The first field (in the order given) that has errors, or undefined when the form may be sent. */
export function firstInvalidField(errors: FieldErrors): string | undefined {
  return Object.keys(errors).find((id) => (errors[id]?.length ?? 0) > 0);
}

/** `errors` with only the fields the user has left or the form has been submitted with. */
export function visibleErrors(errors: FieldErrors, touched: ReadonlySet<string>, submitted: boolean): FieldErrors {
  if (submitted) return errors;
  return Object.fromEntries(Object.entries(errors).map(([id, list]) => [id, touched.has(id) ? list : []]));
}
