import { signUp } from 'aws-amplify/auth';
import type { FormEvent } from 'react';
import { afterSignUp, type Next } from './auth-flow';
import { emailProblems, requiredProblems } from './field-rules';
import { Field, FormError, PasswordField, SubmitButton } from './fields';
import { confirmPasswordProblem, passwordPolicyHint, passwordProblems } from './password-rules';
import { poolPasswordPolicy } from './pool-policy';
import { useAuthForm } from './useAuthForm';
import { useAuthRequest } from './useAuthRequest';

interface SignUpFormProps {
  readonly autoFocus: boolean;
  readonly proceed: (next: Next) => Promise<void>;
}

/**
 * Create an account: e-mail (the username), display name (Cognito's `preferred_username`, shown to others by the
 * directory), password with the pool's policy checked as it is typed, the password again. Cognito's auto sign-in is
 * asked for, so confirming the e-mailed code signs the user in.
 */
export function SignUpForm({ autoFocus, proceed }: SignUpFormProps) {
  const policy = poolPasswordPolicy();
  const request = useAuthRequest();
  const form = useAuthForm(
    { 'sign-up-email': '', 'sign-up-display-name': '', 'sign-up-password': '', 'sign-up-confirm-password': '' },
    (values) => ({
      'sign-up-email': emailProblems(values['sign-up-email']),
      'sign-up-display-name': requiredProblems(values['sign-up-display-name'], 'Enter the name others will see.'),
      'sign-up-password': passwordProblems(values['sign-up-password'], policy),
      'sign-up-confirm-password': [confirmPasswordProblem(values['sign-up-password'], values['sign-up-confirm-password'])].filter(
        (problem): problem is string => problem !== undefined,
      ),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.busy || !form.check()) return;
    const email = form.values['sign-up-email'].trim();
    const password = form.values['sign-up-password'];
    const displayName = form.values['sign-up-display-name'].trim();
    void request.run(async () => {
      const { nextStep } = await signUp({
        username: email,
        password,
        options: { userAttributes: { email, preferred_username: displayName }, autoSignIn: true },
      });
      await proceed(afterSignUp(email, password, nextStep));
    });
  };
  return (
    <form className="auth-form" noValidate onSubmit={submit} aria-busy={request.busy || undefined}>
      <Field {...form.bind('sign-up-email')} label="Email" type="email" autoComplete="email" inputMode="email" autoCapitalize="off" spellCheck={false} autoFocus={autoFocus} />
      <Field {...form.bind('sign-up-display-name')} label="Display name" type="text" autoComplete="nickname" placeholder="How others will see you" />
      <PasswordField {...form.bind('sign-up-password')} label="Password" autoComplete="new-password" hint={passwordPolicyHint(policy)} />
      <PasswordField {...form.bind('sign-up-confirm-password')} label="Confirm Password" autoComplete="new-password" />
      <FormError error={request.error} />
      <SubmitButton busy={request.busy} label="Create Account" busyLabel="Creating account…" />
    </form>
  );
}
