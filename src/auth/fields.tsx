import { useState, type InputHTMLAttributes, type ReactNode } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onValueChange: (value: string) => void;
  /** Shown under the field and announced with it (aria-describedby) while there are any. */
  readonly errors?: readonly string[];
  /** What the field asks for, under it. */
  readonly hint?: string;
  /** Controls inside the field's box after the input (the show-password switch). */
  readonly after?: ReactNode;
}

/** A labelled input with its hint and its errors tied to it for assistive technology. */
export function Field({ id, label, value, onValueChange, errors = [], hint, after, className, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="auth-field">
      <label htmlFor={id} className="auth-field__label">
        {label}
      </label>
      <div className="auth-field__box">
        <input
          {...input}
          id={id}
          className={`auth-field__input${className ? ` ${className}` : ''}`}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
          aria-invalid={errors.length > 0 ? true : undefined}
          aria-describedby={describedBy}
        />
        {after}
      </div>
      {errorId && (
        <ul id={errorId} className="auth-field__errors">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
      {hintId && (
        <p id={hintId} className="auth-field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

type PasswordFieldProps = Omit<FieldProps, 'type' | 'after'>;

/** A password field with a "Show password" switch (the typed text stays as it is). */
export function PasswordField(props: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  return (
    <Field
      {...props}
      type={shown ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="off"
      after={
        <button
          type="button"
          role="switch"
          aria-checked={shown}
          aria-label="Show password"
          aria-controls={props.id}
          className="auth-field__reveal"
          onClick={() => setShown((current) => !current)}
        >
          <EyeIcon crossed={shown} />
        </button>
      }
    />
  );
}

function EyeIcon({ crossed }: { readonly crossed: boolean }) {
  return (
    <svg className="icon" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
      {crossed && <path d="m3 3 18 18" />}
    </svg>
  );
}

/** The form's submit button: says what it is doing while busy, without losing focus (aria-disabled, not disabled). */
export function SubmitButton({ busy, label, busyLabel }: { readonly busy: boolean; readonly label: string; readonly busyLabel: string }) {
  return (
    <button type="submit" className="button button--primary auth-submit" aria-disabled={busy || undefined}>
      {busy ? busyLabel : label}
    </button>
  );
}

/** A request's failure, announced when it appears. */
export function FormError({ error }: { readonly error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="auth-alert" role="alert">
      {error}
    </p>
  );
}

/** What a screen says about the flow ("A new code is on its way…"), in a polite live region that is always there. */
export function FormNotice({ notice }: { readonly notice: string | undefined }) {
  return (
    <p className={notice ? 'auth-notice' : 'auth-notice auth-notice--empty'} role="status">
      {notice}
    </p>
  );
}

/** The end of a screen that waits for an e-mailed code: ask for another code, or go back to signing in. */
export function CodeFormLinks({ onResend, onBack }: { readonly onResend: () => void; readonly onBack: () => void }) {
  return (
    <>
      <button type="button" className="button button--ghost auth-secondary" onClick={onResend}>
        Resend Code
      </button>
      <button type="button" className="auth-link" onClick={onBack}>
        Back to Sign In
      </button>
    </>
  );
}
