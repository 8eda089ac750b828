/**
 * `npm run trust` / `npm run untrust`: adds the offline sandbox's local CA to (or removes it from) the certificate
 * stores browsers read on this machine (see trust.ts), saying first exactly what it will change.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { loadOrCreateCertificate } from './certificate';
import { browserTrustsCa, currentHost, planTrust, readLocalCa, runTrustPlan, type TrustMode } from './trust';

const HELP = `Usage: npm run trust [-- options]      add the offline sandbox's local CA to this machine's browser stores
       npm run untrust [-- options]    remove it again

Stores: Linux — Chrome/Chromium's NSS database (~/.pki/nssdb) and every Firefox profile (needs certutil:
Debian/Ubuntu libnss3-tools, Fedora nss-tools), plus the system store when run as root; macOS — the login
keychain (and Firefox profiles if certutil is installed); Windows — the current user's Root store.
Restart the browser afterwards.

Options:
  --dry-run      print what would change, change nothing
  --no-system    leave the system store alone even when running as root
  --data DIR     the sandbox data directory holding ca.pem (default .amplify/offline)
  -h, --help     this help

Environment:
  HOME           whose browser stores are changed (the NSS database and Firefox profiles under it)
  NO_COLOR       accepted for symmetry with the other commands (this command prints no colour)`;

function usage(message: string): never {
  console.error(`trust: ${message} (see --help)`);
  process.exit(2);
}

function parse(): { mode: TrustMode; dryRun: boolean; system: boolean; data: string } {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        'dry-run': { type: 'boolean', default: false },
        'no-system': { type: 'boolean', default: false },
        data: { type: 'string', default: join(PROJECT_ROOT, '.amplify', 'offline') },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    usage(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  if (parsed.values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const [mode, ...rest] = parsed.positionals;
  if ((mode !== 'install' && mode !== 'uninstall') || rest.length > 0) usage(`expected "install" or "uninstall", got ${JSON.stringify(parsed.positionals.join(' '))}`);
  return { mode, dryRun: parsed.values['dry-run'], system: !parsed.values['no-system'], data: resolve(parsed.values.data) };
}

async function main(): Promise<void> {
  const options = parse();
  const certificate = await loadOrCreateCertificate(options.data);
  if (certificate.outcome === 'created') console.log(`Created the sandbox's local CA in ${certificate.path}.`);
  const ca = readLocalCa(certificate.caPath);
  const host = currentHost();
  const plan = planTrust(options.mode, ca, host, { system: options.system });

  const verb = options.mode === 'install' ? 'add' : 'remove';
  console.log(`${options.dryRun ? 'Would' : 'Will'} ${verb} the offline sandbox's local CA`);
  console.log(`  ${ca.name}`);
  console.log(`  ${ca.path}`);
  console.log(`  SHA-256 ${ca.fingerprint256}`);
  console.log(plan.steps.length > 0 ? `${options.mode === 'install' ? 'to' : 'from'}:` : 'No store to change.');
  for (const step of plan.steps) {
    console.log(`  • ${step.store}`);
    for (const command of step.commands) console.log(`      $ ${command.map(quote).join(' ')}`);
  }
  for (const skipped of plan.skipped) console.log(`  – skipped: ${skipped.store}: ${skipped.why}`);
  if (options.dryRun) return;

  // Removing a CA a store does not hold is not a failure: the store is as asked.
  const absent = (error: string | undefined) => options.mode === 'uninstall' && /could not find|not found|no such/i.test(error ?? '');
  const results = runTrustPlan(plan, (result) =>
    console.log(
      result.ok ? `  ✓ ${result.step.store}` : absent(result.error) ? `  – ${result.step.store}: it was not there` : `  ✗ ${result.step.store}: ${result.error ?? 'failed'}`,
    ),
  );
  const failed = results.filter((r) => !r.ok && !absent(r.error)).length;
  if (options.mode === 'install') {
    const trusted = browserTrustsCa(ca, host);
    console.log(
      trusted
        ? 'Done. Restart your browser; the app at the URL `npm run dev` prints then opens with no warning.'
        : 'Your browser store does not trust the CA yet (see the lines above). The browser will warn once on the app\'s URL: choose Advanced → Proceed.',
    );
    if (!trusted || failed > 0) process.exit(1);
  } else {
    console.log(failed === 0 ? 'Done. Restart your browser.' : 'Some stores could not be changed (see above).');
    if (failed > 0) process.exit(1);
  }
}

function quote(word: string): string {
  return /^[A-Za-z0-9_./:=,+@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

main().catch((error: unknown) => {
  console.error(`trust: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
