/**
 * Which screen the sign-in card shows, and what each answer of `aws-amplify/auth` leads to. Pure: the screens run the
 * calls and hand the answers here. The steps are those Cognito can ask of a user of this pool (e-mail sign-in, no MFA):
 * sign-in done, sign-up to confirm with the e-mailed code (also when someone signs in before confirming), a password
 * reset required by an administrator, and a new password for a user created with a temporary one
 * (https://docs.amplify.aws/react/build-a-backend/auth/connect-your-frontend/sign-in/).
 */
import type { ConfirmSignUpOutput, ResetPasswordOutput, SignInOutput, SignUpOutput } from 'aws-amplify/auth';

export type AuthScreen =
  | { readonly name: 'signIn'; readonly email?: string; readonly notice?: string }
  | { readonly name: 'signUp' }
  /** `password` (memory only) signs the user in after confirming when Cognito's auto sign-in is not available. */
  | { readonly name: 'confirmSignUp'; readonly email: string; readonly destination?: string; readonly password?: string }
  | { readonly name: 'resetPassword'; readonly email?: string }
  | { readonly name: 'confirmResetPassword'; readonly email: string; readonly destination?: string; readonly required?: boolean }
  | { readonly name: 'newPassword'; readonly email: string };

/**
 * What to do next: nothing more (signed in: Amplify's Hub event `signedIn` opens the chat), show a screen (after an
 * optional call that screen needs: a new sign-up code, a reset code), finish the sign-up with Cognito's auto sign-in
 * or with the password, or say the step is one this app does not offer.
 */
export type Next =
  | { readonly kind: 'signedIn' }
  | { readonly kind: 'show'; readonly screen: AuthScreen; readonly send?: 'signUpCode' | 'resetCode' }
  | { readonly kind: 'autoSignIn'; readonly email: string }
  | { readonly kind: 'signIn'; readonly email: string; readonly password: string }
  | { readonly kind: 'unsupported'; readonly step: string };

type SignInStep = SignInOutput['nextStep'];

/** After `signIn`, `confirmSignIn` or `autoSignIn`. */
export function afterSignIn(email: string, password: string | undefined, nextStep: SignInStep): Next {
  switch (nextStep.signInStep) {
    case 'DONE':
      return { kind: 'signedIn' };
    case 'CONFIRM_SIGN_UP':
      return { kind: 'show', screen: { name: 'confirmSignUp', email, ...(password !== undefined ? { password } : {}) }, send: 'signUpCode' };
    case 'RESET_PASSWORD':
      return { kind: 'show', screen: { name: 'confirmResetPassword', email, required: true }, send: 'resetCode' };
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return { kind: 'show', screen: { name: 'newPassword', email } };
    default:
      return { kind: 'unsupported', step: nextStep.signInStep };
  }
}

/** After `signUp` (asked with `autoSignIn: true`). */
export function afterSignUp(email: string, password: string, nextStep: SignUpOutput['nextStep']): Next {
  switch (nextStep.signUpStep) {
    case 'CONFIRM_SIGN_UP': {
      const destination = nextStep.codeDeliveryDetails.destination;
      return { kind: 'show', screen: { name: 'confirmSignUp', email, password, ...(destination ? { destination } : {}) } };
    }
    case 'COMPLETE_AUTO_SIGN_IN':
      return { kind: 'autoSignIn', email };
    case 'DONE':
      return { kind: 'signIn', email, password };
  }
}

/**
 * After `confirmSignUp`: Cognito's auto sign-in when this page signed the user up; otherwise the password typed on the
 * sign-in form, if any; otherwise the sign-in form with the e-mail filled in.
 */
export function afterConfirmSignUp(email: string, password: string | undefined, nextStep: ConfirmSignUpOutput['nextStep']): Next {
  if (nextStep.signUpStep === 'COMPLETE_AUTO_SIGN_IN') return { kind: 'autoSignIn', email };
  if (password !== undefined) return { kind: 'signIn', email, password };
  return { kind: 'show', screen: { name: 'signIn', email, notice: 'Your account is confirmed. Sign in with your password.' } };
}

/** After `resetPassword`: the code is on its way (or the reset is already complete). */
export function afterResetPassword(email: string, output: ResetPasswordOutput, required = false): Next {
  if (output.nextStep.resetPasswordStep === 'DONE') {
    return { kind: 'show', screen: { name: 'signIn', email, notice: 'Your password has been reset. Sign in with your new password.' } };
  }
  const destination = output.nextStep.codeDeliveryDetails.destination;
  return { kind: 'show', screen: { name: 'confirmResetPassword', email, required, ...(destination ? { destination } : {}) } };
}

/** What the unsupported step's screen says. */
export function unsupportedStepText(step: string): string {
  return `This account needs a sign-in step this app does not offer (${step}). Ask the administrator of this user pool.`;
}
