/**
 * `amplify-gen2-offline trust [--uninstall]`: adds the offline sandbox's local CA to (or removes it from) the certificate
 * stores browsers read on this machine (see trust.ts), saying first exactly what it will change.
 */
import { resolve } from 'node:path';
import { parseCommandLine } from './command-line.mjs';
import { projectPaths } from './project.mjs';
import { loadOrCreateCertificate } from '../tls/index.js';
import { browserTrustsCa, currentHost, planTrust, readLocalCa, runTrustPlan, type TrustMode } from '../tls/index.js';

export const COMMAND = {
  name: 'amplify-gen2-offline trust',
  usage: 'amplify-gen2-offline trust [options]',
  summary:
    "Adds the offline sandbox's local CA to the certificate stores browsers read on this machine, or removes it, printing\n" +
    'every command before running it. Linux: Chrome/Chromium\'s NSS database (~/.pki/nssdb) and every Firefox profile (needs\n' +
    'certutil: Debian/Ubuntu libnss3-tools, Fedora nss-tools), plus the system store when run as root. macOS: the login\n' +
    "keychain (and Firefox profiles if certutil is installed). Windows: the current user's Root store. Restart the browser\n" +
    'afterwards.',
  options: {
    uninstall: { type: 'boolean', description: 'remove the CA instead' },
    'dry-run': { type: 'boolean', description: 'print what would change, change nothing' },
    'no-system': { type: 'boolean', description: 'leave the system store alone even when running as root' },
    data: { type: 'string', valueName: 'dir', default: projectPaths().dataDirectory, defaultText: '.amplify/offline', description: 'the sandbox data directory holding ca.pem (created if missing)' },
  },
  environment: [
    { name: 'HOME', description: 'whose browser stores are changed (the NSS database and Firefox profiles under it)' },
    { name: 'NO_COLOR', description: 'any non-empty value: no colour in the help' },
    { name: 'FORCE_COLOR', description: 'colour in the help even when the output is not a terminal (0 or false: never)' },
  ],
} as const;

async function main(): Promise<void> {
  const values = parseCommandLine(COMMAND, process.argv.slice(3));
  const options = { mode: (values.uninstall ? 'uninstall' : 'install') as TrustMode, dryRun: values['dry-run'], system: !values['no-system'], data: resolve(values.data) };
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
        ? "Done. Restart your browser; the app's HTTPS URL then opens with no warning."
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
