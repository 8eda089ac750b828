import { Amplify } from 'aws-amplify';
import type { PasswordPolicy } from './password-rules';

/** The pool's password policy as the outputs declare it (Amplify's configuration holds it as `Auth.Cognito.passwordFormat`). */
export function poolPasswordPolicy(): PasswordPolicy | undefined {
  return Amplify.getConfig().Auth?.Cognito?.passwordFormat;
}
