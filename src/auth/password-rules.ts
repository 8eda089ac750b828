/**
 * The user pool's password policy checked in the browser, before Cognito is asked: the rules come from the outputs
 * (`auth.password_policy`, which Amplify's configuration holds as `Auth.Cognito.passwordFormat`), one message per broken
 * rule, so a new password shows everything it lacks at once. Cognito still checks on SignUp and ConfirmForgotPassword
 * and its refusal ("Password did not conform with policy: …") is shown as it comes. Character classes as Cognito
 * counts them: https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
 */
export interface PasswordPolicy {
  readonly minLength?: number;
  readonly requireLowercase?: boolean;
  readonly requireUppercase?: boolean;
  readonly requireNumbers?: boolean;
  readonly requireSpecialCharacters?: boolean;
}

/** Cognito never accepts fewer than 8 characters, whatever the pool says. */
const COGNITO_MIN_LENGTH = 8;

/** Cognito's special characters (the space counts only inside the password, which Cognito requires anyway). */
const SPECIAL_CHARACTERS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/** Every rule of `policy` that `password` breaks, in the pool's order; empty when it conforms. */
export function passwordProblems(password: string, policy: PasswordPolicy | undefined): string[] {
  const problems: string[] = [];
  const minLength = Math.max(policy?.minLength ?? COGNITO_MIN_LENGTH, COGNITO_MIN_LENGTH);
  const characters = [...password];
  if (characters.length < minLength) problems.push(`Password must have at least ${minLength} characters`);
  if (policy?.requireLowercase && !characters.some((c) => /\p{Ll}/u.test(c))) problems.push('Password must have lower case letters');
  if (policy?.requireUppercase && !characters.some((c) => /\p{Lu}/u.test(c))) problems.push('Password must have upper case letters');
  if (policy?.requireNumbers && !characters.some((c) => c >= '0' && c <= '9')) problems.push('Password must have numbers');
  if (policy?.requireSpecialCharacters && !characters.some((c) => SPECIAL_CHARACTERS.has(c))) {
    problems.push('Password must have special characters');
  }
  return problems;
}

/** What the pool asks of a password, for the hint under a new-password field ("At least 8 characters, …"). */
export function passwordPolicyHint(policy: PasswordPolicy | undefined): string {
  const minLength = Math.max(policy?.minLength ?? COGNITO_MIN_LENGTH, COGNITO_MIN_LENGTH);
  const parts = [`at least ${minLength} characters`];
  if (policy?.requireLowercase) parts.push('a lower case letter');
  if (policy?.requireUppercase) parts.push('an upper case letter');
  if (policy?.requireNumbers) parts.push('a number');
  if (policy?.requireSpecialCharacters) parts.push('a special character');
  const text = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The repeated password's problem, if any. */
export function confirmPasswordProblem(password: string, confirmation: string): string | undefined {
  return password === confirmation ? undefined : 'Your passwords must match';
}
