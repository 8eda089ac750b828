/**
 * vitest global setup: a local CA for the offline-sandbox tests, trusted by every test process.
 *
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts, and vitest forks its test processes
 * after global setup with this process's environment, so setting it here makes the stock
 * aws-amplify client (fetch + WebSocket) trust the sandbox's certificate without test-only code.
 */
import { join } from 'node:path';
import { loadOrCreateCertificate } from '../../offline/tls/certificate';

export const TEST_TLS_DIRECTORY = join(import.meta.dirname, '..', '..', '.amplify', 'test-offline', 'tls');

export default async function setup(): Promise<void> {
  const certificate = await loadOrCreateCertificate(TEST_TLS_DIRECTORY);
  process.env['NODE_EXTRA_CA_CERTS'] = certificate.caPath;
}
