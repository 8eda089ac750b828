/**
 * The console's Auth API: the pool's users (status, attributes, groups, created, the latest code the pool would have
 * e-mailed them), and what an administrator does to them, each run as the matching Cognito admin operation
 * (AdminCreateUser, AdminSetUserPassword, AdminConfirmSignUp, AdminEnableUser / AdminDisableUser,
 * AdminUserGlobalSignOut, AdminDeleteUser), so the pool's rules (password policy, triggers) apply as on AWS.
 */
import type { UserPool } from '../cognito/index.js';
import { consoleNotFound } from '../errors.js';
import { ConsoleFailure, driven, optionalObject, requiredString, type Route } from './http.js';
import type { ConsoleUser } from './api-types.js';

/** What the console shows of a user (never the password or its verifier). */
export type { ConsoleUser };

export function authRoutes(pool: () => UserPool): Route[] {
  const view = (username: string): ConsoleUser => {
    const user = pool().getUser(username);
    if (!user) throw new ConsoleFailure(consoleNotFound(`user ${username} in the pool`));
    const email = user.attributes['email'];
    const lastCode = email === undefined ? undefined : pool().lastCodeFor(email);
    const pending = (['signUp', 'forgotPassword', 'email'] as const).find((kind) => lastCode !== undefined && user.codes[kind]?.code === lastCode);
    return {
      username: user.username,
      sub: user.attributes['sub'],
      email,
      status: user.status,
      enabled: user.enabled,
      attributes: user.attributes,
      groups: user.groups,
      created: new Date(user.createdAt).toISOString(),
      updated: new Date(user.updatedAt).toISOString(),
      lastCode,
      lastCodeKind: lastCode === undefined ? undefined : (pending ?? 'used'),
    };
  };
  const admin = async (operation: string, input: Record<string, unknown>): Promise<void> => {
    await driven(() => pool().call(operation, { UserPoolId: pool().id, ...input }, { signed: true }));
  };
  const action = (path: string, run: (username: string, body: Record<string, unknown>) => Promise<void>): Route => ({
    method: 'POST',
    path: `/api/users/:username/${path}`,
    handler: async ({ params, body }) => {
      const { username } = view(params['username']!);
      await run(username, await body());
      return view(username);
    },
  });
  return [
    {
      method: 'GET',
      path: '/api/users',
      handler: async () => ({ users: pool().store.all().map((user) => view(user.username)) }),
    },
    {
      method: 'GET',
      path: '/api/users/:username',
      handler: async ({ params }) => view(params['username']!),
    },
    {
      // A user made by an administrator: with a password, ready to sign in (CONFIRMED); without one, the pool makes a
      // temporary password (printed as Cognito would e-mail it) and the user must choose a new one at first sign-in.
      method: 'POST',
      path: '/api/users',
      handler: async ({ body }) => {
        const input = await body();
        const email = requiredString(input, 'email');
        const password = input['password'];
        const extra = optionalObject(input, 'attributes') ?? {};
        const attributes = [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          ...Object.entries(extra).map(([Name, Value]) => ({ Name, Value: String(Value) })),
        ];
        // The password goes in as the temporary one too, so that a password the policy refuses creates nobody.
        await admin('AdminCreateUser', { Username: email, UserAttributes: attributes, ...(typeof password === 'string' ? { MessageAction: 'SUPPRESS', TemporaryPassword: password } : {}) });
        if (typeof password === 'string') await admin('AdminSetUserPassword', { Username: email, Password: password, Permanent: true });
        return view(email);
      },
    },
    action('password', async (username, body) => {
      await admin('AdminSetUserPassword', { Username: username, Password: requiredString(body, 'password'), Permanent: body['permanent'] !== false });
    }),
    action('confirm', (username) => admin('AdminConfirmSignUp', { Username: username })),
    action('enable', (username) => admin('AdminEnableUser', { Username: username })),
    action('disable', (username) => admin('AdminDisableUser', { Username: username })),
    action('sign-out', (username) => admin('AdminUserGlobalSignOut', { Username: username })),
    {
      // "Use as": the tokens a sign-in would give this user, without their password (a confirmed, enabled user only),
      // for the GraphQL explorer or a script. A real session of the pool: global sign-out revokes it.
      method: 'POST',
      path: '/api/users/:username/tokens',
      handler: async ({ params, body }) => {
        const { username } = view(params['username']!);
        const input = await body();
        const clientId = typeof input['clientId'] === 'string' ? input['clientId'] : undefined;
        const result = await driven(() => pool().signInAs(username, clientId));
        return result['AuthenticationResult'];
      },
    },
    {
      method: 'DELETE',
      path: '/api/users/:username',
      handler: async ({ params }) => {
        const { username } = view(params['username']!);
        await admin('AdminDeleteUser', { Username: username });
        return { deleted: username };
      },
    },
  ];
}
