/**
 * The client side of a USER_SRP_AUTH sign-in against a pool in-process (`pool.call`), with the client half of SRP
 * from srp.ts — the same math as aws-amplify's AuthenticationHelper. For tools that need signed-in users of a local
 * pool without a browser (the benchmark's setup, the load and security tests).
 */
import type { UserPool } from './pool.js';
import { claimSignature, clientSessionKey, createClientEphemeral, srpTimestamp } from './srp.js';

export interface SrpSignInOptions {
  /** The app client to sign in through. */
  clientId: string;
  /** Changes the challenge responses before they are sent (to test the pool's checks). */
  tamper?: (responses: Record<string, string>) => void;
  /** The TIMESTAMP to sign instead of the pool's clock. */
  timestamp?: string;
}

/**
 * Signs in over USER_SRP_AUTH: InitiateAuth, then RespondToAuthChallenge (PASSWORD_VERIFIER). Needs only `call`,
 * `id` and `now` of the pool. Returns the RespondToAuthChallenge output.
 */
export async function srpSignIn(
  pool: Pick<UserPool, 'call' | 'id' | 'now'>,
  username: string,
  password: string,
  options: SrpSignInOptions,
): Promise<Record<string, unknown>> {
  const { clientId } = options;
  const { a, A } = createClientEphemeral();
  const init = await pool.call('InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, SRP_A: A.toString(16) },
  });
  const params = init.ChallengeParameters as Record<string, string>;
  const userId = params.USER_ID_FOR_SRP as string;
  const poolName = pool.id.split('_')[1] as string;
  const key = clientSessionKey({ poolName, username: userId, password, a, A, srpB: params.SRP_B as string, salt: params.SALT as string });
  const timestamp = options.timestamp ?? srpTimestamp(new Date(pool.now()));
  const signature = claimSignature(key, poolName, userId, Buffer.from(params.SECRET_BLOCK as string, 'base64'), timestamp);
  const responses: Record<string, string> = {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK as string,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature.toString('base64'),
  };
  options.tamper?.(responses);
  return pool.call('RespondToAuthChallenge', { ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId, ChallengeResponses: responses });
}
