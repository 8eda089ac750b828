/**
 * CPU per user-pool token check (docs/benchmarks.md "Message path on Node 24…"): the check AppSync's emulator runs on
 * every request and subscription with a Cognito token.
 *
 *   node --import tsx bench/token-verify.ts [--count N]
 *
 * The chat's user pool as synthesized (npm run synth), in memory in this process, without its post-confirmation
 * trigger (no part of a check); one user signed in with SRP, 500 checks of its ID token to warm up, then N (default
 * 5,000) timed. Prints µs of wall time and of process CPU per check; timing is reported, never judged.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCdkOut, srpSignIn, UserPool } from 'amplify-gen2-offline';

const CDK_OUT = join(import.meta.dirname, '..', '.amplify', 'artifacts', 'cdk.out');
const EMAIL = 'bench@example.com';
const PASSWORD = 'BenchPassw0rd';

const countArgument = process.argv.indexOf('--count');
const count = countArgument > 0 ? Number(process.argv[countArgument + 1]) : 5_000;
if (!Number.isInteger(count) || count <= 0 || count > 1_000_000) throw new Error(`--count takes a whole number from 1 to 1,000,000, got ${process.argv[countArgument + 1]}`);

const { userPool } = await loadCdkOut(CDK_OUT);
if (!userPool) throw new Error(`No user pool in ${CDK_OUT}: run npm run synth first`);
const quiet = { info: () => undefined, warn: () => undefined };
const pool = await UserPool.create({ description: { ...userPool, triggers: {} }, issuerBaseUrl: 'http://127.0.0.1:9229', logger: quiet });
const clientId = [...pool.clients.keys()][0]!;
await pool.call('SignUp', { ClientId: clientId, Username: EMAIL, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: EMAIL }] });
await pool.call('ConfirmSignUp', { ClientId: clientId, Username: EMAIL, ConfirmationCode: pool.lastCodeFor(EMAIL) });
const { IdToken } = (await srpSignIn(pool, EMAIL, PASSWORD, { clientId })).AuthenticationResult as { IdToken: string };
for (let i = 0; i < 500; i += 1) await pool.verifyUserPoolToken(IdToken);

const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < count; i += 1) await pool.verifyUserPoolToken(IdToken);
const wallUs = ((performance.now() - started) * 1000) / count;
const cpu = process.cpuUsage(cpuBefore);
console.log(`token check: ${wallUs.toFixed(1)} µs wall, ${((cpu.user + cpu.system) / count).toFixed(1)} µs CPU each (${count} checks of one ID token)`);
pool.close();
