import { defineAuth } from '@aws-amplify/backend';
import { postConfirmation } from '../functions/post-confirmation/resource';

/**
 * Cognito user pool with e-mail sign-in. The password policy is set in backend.ts (defineAuth does
 * not expose it); the display name is the standard `preferred_username` attribute.
 */
export const auth = defineAuth({
  loginWith: {
    email: true,
  },
  userAttributes: {
    preferredUsername: {
      required: false,
      mutable: true,
    },
  },
  triggers: {
    postConfirmation,
  },
});
