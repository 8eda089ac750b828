/** Request authentication for the AppSync emulator (HTTP and real-time). */
export { Authenticator, AUTH_TYPE_NAMES, NOT_AUTHORIZED, normalizeHeaders, type AuthenticatedCaller, type AuthFailure, type AuthInput, type AuthOutcome, type AuthenticatorOptions } from './authenticate.js';
export { verifySigV4, signSigV4, parseAuthorizationHeader, parseAmzDate, sha256Hex, signature as sigV4Signature, MAX_CLOCK_SKEW_MS, type IamCredential, type SigV4Request, type SigV4Result, type SigV4SigningKey } from './sigv4.js';
