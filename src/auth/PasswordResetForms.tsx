import { confirmResetPassword, confirmSignIn, resetPassword } from 'aws-amplify/auth';
import { useState, type FormEvent } from 'react';
import { afterResetPassword, afterSignIn, type Next } from './auth-flow';
import { emailProblems, requiredProblems } from './field-rules';
import { CodeFormLinks, Field, FormError, FormNotice, PasswordField, SubmitButton } from './fields';
import { confirmPasswordProblem, passwordPolicyHint, passwordProblems } from './password-rules';
import { poolPasswordPolicy } from './pool-policy';
import { useAuthForm } from './useAuthForm';
import { useAuthRequest } from './useAuthRequest';

interface BackProps {
  readonly proceed: (next: Next) => Promise<void>;
  readonly onBack: () => void;
}

const defined = (problem: string | undefined): string[] => (problem === undefined ? [] : [problem]);

/** "Forgot your password?": the e-mail to send a reset code to. */
export function ResetPasswordForm({ email = '', proceed, onBack }: BackProps & { readonly email?: string }) {
  const request = useAuthRequest();
  const form = useAuthForm({ 'reset-password-email': email }, (values) => ({
    'reset-password-email': emailProblems(values['reset-password-email']),
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.busy || !form.check()) return;
    const username = form.values['reset-password-email'].trim();
    void request.run(async () => proceed(afterResetPassword(username, await resetPassword({ username }))));
  };
  return (
    <form className="auth-form" noValidate onSubmit={submit} aria-busy={request.busy || undefined} aria-labelledby="reset-password-title">
      <h2 id="reset-password-title" className="auth-form__title">
        Reset Password
      </h2>
      <p className="auth-form__text">Enter your email address and we will send you a code to choose a new password.</p>
      <Field {...form.bind('reset-password-email')} label="Email" type="email" autoComplete="username" inputMode="email" autoCapitalize="off" spellCheck={false} autoFocus />
      <FormError error={request.error} />
      <SubmitButton busy={request.busy} label="Send code" busyLabel="Sending…" />
      <button type="button" className="auth-link" onClick={onBack}>
        Back to Sign In
      </button>
    </form>
  );
}

interface ConfirmResetPasswordFormProps extends BackProps {
  readonly email: string;
  readonly destination?: string;
  /** An administrator asked for the reset (sign-in answered RESET_PASSWORD), rather than the user. */
  readonly required?: boolean;
}

/** The e-mailed code and a new password (the pool's policy); then signed in with it. */
export function ConfirmResetPasswordForm({ email, destination, required, proceed, onBack }: ConfirmResetPasswordFormProps) {
  const policy = poolPasswordPolicy();
  const request = useAuthRequest();
  const [notice, setNotice] = useState<string>();
  const [sentTo, setSentTo] = useState(destination ?? email);
  const form = useAuthForm(
    { 'reset-password-code': '', 'reset-password-new': '', 'reset-password-confirm': '' },
    (values) => ({
      'reset-password-code': requiredProblems(values['reset-password-code'], 'Enter the code from the email.'),
      'reset-password-new': passwordProblems(values['reset-password-new'], policy),
      'reset-password-confirm': defined(confirmPasswordProblem(values['reset-password-new'], values['reset-password-confirm'])),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.busy || !form.check()) return;
    const confirmationCode = form.values['reset-password-code'].trim();
    const newPassword = form.values['reset-password-new'];
    setNotice(undefined);
    void request.run(async () => {
      await confirmResetPassword({ username: email, confirmationCode, newPassword });
      await proceed({ kind: 'signIn', email, password: newPassword });
    });
  };
  const resend = () => {
    setNotice(undefined);
    void request.run(async () => {
      const output = await resetPassword({ username: email });
      const to = output.nextStep.codeDeliveryDetails.destination;
      setSentTo(to ?? email);
      setNotice(`A new code is on its way to ${to ?? email}.`);
    });
  };
  return (
    <form className="auth-form" noValidate onSubmit={submit} aria-busy={request.busy || undefined} aria-labelledby="confirm-reset-title">
      <h2 id="confirm-reset-title" className="auth-form__title">
        Reset Password
      </h2>
      <p className="auth-form__text">
        {required ? 'Your password must be changed before you sign in. ' : ''}Enter the code we emailed to {sentTo} and choose a new password.
      </p>
      <Field {...form.bind('reset-password-code')} label="Code" type="text" inputMode="numeric" autoComplete="one-time-code" placeholder="Enter your code" autoFocus />
      <PasswordField {...form.bind('reset-password-new')} label="New Password" autoComplete="new-password" hint={passwordPolicyHint(policy)} />
      <PasswordField {...form.bind('reset-password-confirm')} label="Confirm Password" autoComplete="new-password" />
      <FormNotice notice={notice} />
      <FormError error={request.error} />
      <SubmitButton busy={request.busy} label="Submit" busyLabel="Saving…" />
      <CodeFormLinks onResend={resend} onBack={onBack} />
    </form>
  );
}

/** A user created with a temporary password chooses their own (Cognito's NEW_PASSWORD_REQUIRED challenge). */
export function NewPasswordForm({ email, proceed, onBack }: BackProps & { readonly email: string }) {
  const policy = poolPasswordPolicy();
  const request = useAuthRequest();
  const form = useAuthForm({ 'new-password': '', 'new-password-confirm': '' }, (values) => ({
    'new-password': passwordProblems(values['new-password'], policy),
    'new-password-confirm': defined(confirmPasswordProblem(values['new-password'], values['new-password-confirm'])),
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.busy || !form.check()) return;
    const challengeResponse = form.values['new-password'];
    void request.run(async () => {
      const { nextStep } = await confirmSignIn({ challengeResponse });
      await proceed(afterSignIn(email, challengeResponse, nextStep));
    });
  };
  return (
    <form className="auth-form" noValidate onSubmit={submit} aria-busy={request.busy || undefined} aria-labelledby="new-password-title">
      <h2 id="new-password-title" className="auth-form__title">
        Change Password
      </h2>
      <p className="auth-form__text">You signed in with a temporary password. Choose your own to continue.</p>
      <PasswordField {...form.bind('new-password')} label="New Password" autoComplete="new-password" hint={passwordPolicyHint(policy)} autoFocus />
      <PasswordField {...form.bind('new-password-confirm')} label="Confirm Password" autoComplete="new-password" />
      <FormError error={request.error} />
      <SubmitButton busy={request.busy} label="Change Password" busyLabel="Saving…" />
      <button type="button" className="auth-link" onClick={onBack}>
        Back to Sign In
      </button>
    </form>
  );
}
