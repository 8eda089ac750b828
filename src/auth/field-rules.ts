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

/**
 * The errors to show: none until the form has been submitted once, then every field's, kept current as the user types.
 * Not on leaving a field: a message appearing then moves the buttons under it while the pointer is on its way to one,
 * and the click lands elsewhere. What a new password needs is said beforehand, in the field's hint.
 */
export function visibleErrors(errors: FieldErrors, submitted: boolean): FieldErrors {
  if (submitted) return errors;
  return Object.fromEntries(Object.keys(errors).map((id) => [id, []]));
}
