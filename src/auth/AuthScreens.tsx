import { autoSignIn, resendSignUpCode, resetPassword, signIn } from 'aws-amplify/auth';
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { afterResetPassword, afterSignIn, unsupportedStepText, type AuthScreen, type Next } from './auth-flow';
import { ConfirmSignUpForm } from './ConfirmSignUpForm';
import { ConfirmResetPasswordForm, NewPasswordForm, ResetPasswordForm } from './PasswordResetForms';
import { SignInForm } from './SignInForm';
import { SignUpForm } from './SignUpForm';

const TABS = [
  { screen: 'signIn', label: 'Sign In' },
  { screen: 'signUp', label: 'Create Account' },
] as const;

type TabScreen = (typeof TABS)[number]['screen'];

/**
 * The signed-out card's content (App puts it in AuthShell's card): "Sign In" and "Create Account" tabs, and the screens a flow leads to (confirm the sign-up code,
 * reset the password, choose a new one). Each screen calls `aws-amplify/auth` and hands the answer to auth-flow.ts;
 * `carryOut` does what that decides. Once Cognito has signed the user in, Amplify's Hub `signedIn` event
 * (useAuthSession.ts) replaces this with the chat.
 */
export function AuthScreens() {
  const [screen, setScreen] = useState<AuthScreen>({ name: 'signIn' });
  // The first field takes focus when a screen opens, except when the user moved between the tabs with the keyboard.
  const [focusField, setFocusField] = useState(true);
  const show = useCallback((next: AuthScreen, focus = true) => {
    setFocusField(focus);
    setScreen(next);
  }, []);

  const proceed = useCallback((next: Next) => carryOut(next, show), [show]);

  const backToSignIn = (email?: string) => show(email ? { name: 'signIn', email } : { name: 'signIn' });
  const body = (() => {
    switch (screen.name) {
      case 'signIn':
        return (
          <SignInForm
            key={`sign-in-${screen.email ?? ''}-${screen.notice ?? ''}`}
            {...(screen.email !== undefined ? { email: screen.email } : {})}
            {...(screen.notice !== undefined ? { notice: screen.notice } : {})}
            autoFocus={focusField}
            proceed={proceed}
            onForgotPassword={(email) => show(email ? { name: 'resetPassword', email } : { name: 'resetPassword' })}
          />
        );
      case 'signUp':
        return <SignUpForm autoFocus={focusField} proceed={proceed} />;
      case 'confirmSignUp':
        return <ConfirmSignUpForm {...screen} proceed={proceed} onBack={() => backToSignIn(screen.email)} />;
      case 'resetPassword':
        return <ResetPasswordForm {...screen} proceed={proceed} onBack={() => backToSignIn(screen.email)} />;
      case 'confirmResetPassword':
        return <ConfirmResetPasswordForm {...screen} proceed={proceed} onBack={() => backToSignIn(screen.email)} />;
      case 'newPassword':
        return <NewPasswordForm {...screen} proceed={proceed} onBack={() => backToSignIn(screen.email)} />;
    }
  })();

  const tab = screen.name === 'signIn' || screen.name === 'signUp' ? screen.name : undefined;
  if (!tab) return <div className="auth__body">{body}</div>;
  return (
    <>
      <AuthTabs current={tab} onSelect={(name, byKeyboard) => show({ name }, !byKeyboard)} />
      <div role="tabpanel" id="auth-panel" aria-labelledby={`auth-tab-${tab}`} className="auth__body">
        {body}
      </div>
    </>
  );
}

/**
 * Carries out what auth-flow.ts decided: the calls it asks for (auto sign-in, sign-in with the password, a new code),
 * each answer decided on again, until a screen is shown or the user is signed in. A failure is thrown to the screen.
 */
async function carryOut(next: Next, show: (screen: AuthScreen) => void): Promise<void> {
  switch (next.kind) {
    case 'signedIn':
      return;
    case 'unsupported':
      throw new Error(unsupportedStepText(next.step));
    case 'autoSignIn': {
      const { nextStep } = await autoSignIn();
      return carryOut(afterSignIn(next.email, undefined, nextStep), show);
    }
    case 'signIn': {
      const { nextStep } = await signIn({ username: next.email, password: next.password });
      return carryOut(afterSignIn(next.email, next.password, nextStep), show);
    }
    case 'show': {
      const target = next.screen;
      if (next.send === 'signUpCode' && target.name === 'confirmSignUp') {
        const delivery = await resendSignUpCode({ username: target.email });
        show(delivery.destination ? { ...target, destination: delivery.destination } : target);
        return;
      }
      if (next.send === 'resetCode' && target.name === 'confirmResetPassword') {
        return carryOut(afterResetPassword(target.email, await resetPassword({ username: target.email }), target.required), show);
      }
      show(target);
      return;
    }
  }
}

/** The two tabs (WAI-ARIA tabs: one tab stop, arrow keys, Home and End move and select). */
function AuthTabs({ current, onSelect }: { readonly current: TabScreen; readonly onSelect: (screen: TabScreen, byKeyboard: boolean) => void }) {
  const buttons = useRef(new Map<TabScreen, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((tab) => tab.screen === current);
    const target =
      event.key === 'ArrowRight' ? TABS[(index + 1) % TABS.length]
      : event.key === 'ArrowLeft' ? TABS[(index - 1 + TABS.length) % TABS.length]
      : event.key === 'Home' ? TABS[0]
      : event.key === 'End' ? TABS[TABS.length - 1]
      : undefined;
    if (!target) return;
    event.preventDefault();
    onSelect(target.screen, true);
    buttons.current.get(target.screen)?.focus();
  };
  return (
    <div role="tablist" aria-label="Sign in or create an account" className="auth-tabs" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab.screen}
          ref={(element) => {
            if (element) buttons.current.set(tab.screen, element);
            else buttons.current.delete(tab.screen);
          }}
          type="button"
          role="tab"
          id={`auth-tab-${tab.screen}`}
          aria-selected={tab.screen === current}
          aria-controls="auth-panel"
          tabIndex={tab.screen === current ? 0 : -1}
          className="auth-tabs__tab"
          onClick={() => onSelect(tab.screen, false)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
