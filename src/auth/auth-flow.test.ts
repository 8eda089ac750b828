import type { ConfirmSignUpOutput, ResetPasswordOutput, SignInOutput, SignUpOutput } from 'aws-amplify/auth';
import { describe, expect, it } from 'vitest';
import { afterConfirmSignUp, afterResetPassword, afterSignIn, afterSignUp } from './auth-flow';

const EMAIL = 'ann@example.com';
const PASSWORD = 'Correct-Horse-9';
const delivery = { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } as const;

describe('afterSignIn', () => {
  it('is done when Cognito issued tokens', () => {
    expect(afterSignIn(EMAIL, PASSWORD, { signInStep: 'DONE' })).toEqual({ kind: 'signedIn' });
  });

  it('sends a new code and asks for it when the account is not confirmed, keeping the password to sign in after', () => {
    expect(afterSignIn(EMAIL, PASSWORD, { signInStep: 'CONFIRM_SIGN_UP' })).toEqual({
      kind: 'show',
      screen: { name: 'confirmSignUp', email: EMAIL, password: PASSWORD },
      send: 'signUpCode',
    });
  });

  it('sends a reset code when an administrator required a new password', () => {
    expect(afterSignIn(EMAIL, PASSWORD, { signInStep: 'RESET_PASSWORD' })).toEqual({
      kind: 'show',
      screen: { name: 'confirmResetPassword', email: EMAIL, required: true },
      send: 'resetCode',
    });
  });

  it('asks for a new password after a temporary one', () => {
    const nextStep = { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } as SignInOutput['nextStep'];
    expect(afterSignIn(EMAIL, PASSWORD, nextStep)).toEqual({ kind: 'show', screen: { name: 'newPassword', email: EMAIL } });
  });

  it('names a step this pool cannot ask for instead of hanging', () => {
    const nextStep = { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } as SignInOutput['nextStep'];
    expect(afterSignIn(EMAIL, PASSWORD, nextStep)).toEqual({ kind: 'unsupported', step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' });
  });
});

describe('afterSignUp', () => {
  it('asks for the e-mailed code, saying where it went', () => {
    const nextStep: SignUpOutput['nextStep'] = { signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: delivery };
    expect(afterSignUp(EMAIL, PASSWORD, nextStep)).toEqual({
      kind: 'show',
      screen: { name: 'confirmSignUp', email: EMAIL, password: PASSWORD, destination: 'a***@e***' },
    });
  });

  it('signs in at once when the pool confirmed the user itself', () => {
    expect(afterSignUp(EMAIL, PASSWORD, { signUpStep: 'COMPLETE_AUTO_SIGN_IN' })).toEqual({ kind: 'autoSignIn', email: EMAIL });
    expect(afterSignUp(EMAIL, PASSWORD, { signUpStep: 'DONE' })).toEqual({ kind: 'signIn', email: EMAIL, password: PASSWORD });
  });
});

describe('afterConfirmSignUp', () => {
  const done: ConfirmSignUpOutput['nextStep'] = { signUpStep: 'DONE' };

  it("uses Cognito's auto sign-in when this page signed the user up", () => {
    expect(afterConfirmSignUp(EMAIL, PASSWORD, { signUpStep: 'COMPLETE_AUTO_SIGN_IN' })).toEqual({ kind: 'autoSignIn', email: EMAIL });
  });

  it('signs in with the password typed on the sign-in form otherwise', () => {
    expect(afterConfirmSignUp(EMAIL, PASSWORD, done)).toEqual({ kind: 'signIn', email: EMAIL, password: PASSWORD });
  });

  it('goes back to the sign-in form, e-mail filled in, when no password is known', () => {
    expect(afterConfirmSignUp(EMAIL, undefined, done)).toEqual({
      kind: 'show',
      screen: { name: 'signIn', email: EMAIL, notice: 'Your account is confirmed. Sign in with your password.' },
    });
  });
});

describe('afterResetPassword', () => {
  it('asks for the code and the new password', () => {
    const output: ResetPasswordOutput = {
      isPasswordReset: false,
      nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', codeDeliveryDetails: delivery },
    };
    expect(afterResetPassword(EMAIL, output)).toEqual({
      kind: 'show',
      screen: { name: 'confirmResetPassword', email: EMAIL, required: false, destination: 'a***@e***' },
    });
  });

  it('goes to the sign-in form when the reset is complete', () => {
    const output: ResetPasswordOutput = { isPasswordReset: true, nextStep: { resetPasswordStep: 'DONE', codeDeliveryDetails: {} } };
    expect(afterResetPassword(EMAIL, output)).toMatchObject({ kind: 'show', screen: { name: 'signIn', email: EMAIL } });
  });
});
