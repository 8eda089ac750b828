import { confirmSignUp, resendSignUpCode } from 'aws-amplify/auth';
import { useState, type FormEvent } from 'react';
import { afterConfirmSignUp, type Next } from './auth-flow';
import { requiredProblems } from './field-rules';
import { CodeFormLinks, Field, FormError, FormNotice, SubmitButton } from './fields';
import { useAuthForm } from './useAuthForm';
import { useAuthRequest } from './useAuthRequest';

interface ConfirmSignUpFormProps {
  readonly email: string;
  readonly destination?: string;
  readonly password?: string;
  readonly proceed: (next: Next) => Promise<void>;
  readonly onBack: () => void;
}

/** The code Cognito e-mailed at sign-up, "Resend Code"; confirming signs the user in (auth-flow.ts). */
export function ConfirmSignUpForm({ email, destination, password, proceed, onBack }: ConfirmSignUpFormProps) {
  const request = useAuthRequest();
  const [notice, setNotice] = useState<string>();
  const [sentTo, setSentTo] = useState(destination ?? email);
  const form = useAuthForm({ 'confirm-sign-up-code': '' }, (values) => ({
    'confirm-sign-up-code': requiredProblems(values['confirm-sign-up-code'], 'Enter the code from the email.'),
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.busy || !form.check()) return;
    const confirmationCode = form.values['confirm-sign-up-code'].trim();
    setNotice(undefined);
    void request.run(async () => {
      const { nextStep } = await confirmSignUp({ username: email, confirmationCode });
      await proceed(afterConfirmSignUp(email, password, nextStep));
    });
  };
  const resend = () => {
    setNotice(undefined);
    void request.run(async () => {
      const delivery = await resendSignUpCode({ username: email });
      const to = delivery.destination ?? email;
      setSentTo(to);
      setNotice(`A new code is on its way to ${to}.`);
    });
  };
  return (
    <form className="auth-form" noValidate onSubmit={submit} aria-busy={request.busy || undefined} aria-labelledby="confirm-sign-up-title">
      <h2 id="confirm-sign-up-title" className="auth-form__title">
        We Emailed You
      </h2>
      <p className="auth-form__text">
        Your code is on the way. To sign in, enter the code we emailed to {sentTo}. It may take a minute to arrive.
      </p>
      <Field {...form.bind('confirm-sign-up-code')} label="Confirmation Code" type="text" inputMode="numeric" autoComplete="one-time-code" placeholder="Enter your code" autoFocus />
      <FormNotice notice={notice} />
      <FormError error={request.error} />
      <SubmitButton busy={request.busy} label="Confirm" busyLabel="Confirming…" />
      <CodeFormLinks onResend={resend} onBack={onBack} />
    </form>
  );
}
