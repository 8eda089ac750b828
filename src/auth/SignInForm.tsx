import { signIn } from 'aws-amplify/auth';
import type { FormEvent } from 'react';
import { afterSignIn, type Next } from './auth-flow';
import { emailProblems, requiredProblems } from './field-rules';
import { Field, FormError, FormNotice, PasswordField, SubmitButton } from './fields';
import { useAuthForm } from './useAuthForm';
import { useAuthRequest } from './useAuthRequest';

interface SignInFormProps {
  readonly email?: string;
  readonly notice?: string;
  readonly autoFocus: boolean;
  readonly proceed: (next: Next) => Promise<void>;
  readonly onForgotPassword: (email: string) => void;
}

/** E-mail and password (SRP: the password never leaves the browser), "Forgot your password?". */
export function SignInForm({ email = '', notice, autoFocus, proceed, onForgotPassword }: SignInFormProps) {
  const request = useAuthRequest();
  const form = useAuthForm({ 'sign-in-email': email, 'sign-in-password': '' }, (values) => ({
    'sign-in-email': emailProblems(values['sign-in-email']),
    'sign-in-password': requiredProblems(values['sign-in-password'], 'Enter your password.'),
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.busy || !form.check()) return;
    const username = form.values['sign-in-email'].trim();
    const password = form.values['sign-in-password'];
    void request.run(async () => {
      const { nextStep } = await signIn({ username, password });
      await proceed(afterSignIn(username, password, nextStep));
    });
  };
  return (
    <form className="auth-form" noValidate onSubmit={submit} aria-busy={request.busy || undefined}>
      <FormNotice notice={notice} />
      <Field {...form.bind('sign-in-email')} label="Email" type="email" autoComplete="username" inputMode="email" autoCapitalize="off" spellCheck={false} autoFocus={autoFocus} />
      <PasswordField {...form.bind('sign-in-password')} label="Password" autoComplete="current-password" />
      <FormError error={request.error} />
      <SubmitButton busy={request.busy} label="Sign in" busyLabel="Signing in…" />
      <button type="button" className="auth-link" onClick={() => onForgotPassword(form.values['sign-in-email'].trim())}>
        Forgot your password?
      </button>
    </form>
  );
}
