import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CA_FILE, CA_KEY_FILE, SERVER_CERT_FILE, SERVER_KEY_FILE, loadOrCreateCertificate, type LocalCertificate } from './certificate';

const run = promisify(execFile);
const DAY = 86_400_000;

async function freshDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sandbox-tls-'));
}

/** An HTTPS server answering `ok`, with a WebSocket endpoint at /ws, on 127.0.0.1:0. */
async function serve(certificate: LocalCertificate): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.end('ok'));
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => socket.send('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      wss.clients.forEach((client) => client.terminate());
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function fetchText(url: string, ca?: string): Promise<string> {
  return new Promise((done, fail) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done(body));
    }).on('error', fail);
  });
}

describe('loadOrCreateCertificate', () => {
  it('creates a CA and a localhost server certificate signed by it, with private keys at 0600', async () => {
    const directory = await freshDirectory();
    const certificate = await loadOrCreateCertificate(directory);
    expect(certificate.outcome).toBe('created');
    expect(certificate.path).toBe(directory);
    expect(certificate.caPath).toBe(join(directory, CA_FILE));

    const server = new X509Certificate(certificate.cert);
    const ca = new X509Certificate(certificate.ca);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth, required by macOS
    expect(server.fingerprint256).toBe(certificate.fingerprint256);
    const lifetimeDays = (new Date(server.validTo).getTime() - Date.now()) / DAY;
    expect(lifetimeDays).toBeGreaterThan(364);
    expect(lifetimeDays).toBeLessThan(366);

    for (const file of [CA_KEY_FILE, SERVER_KEY_FILE]) expect((await stat(join(directory, file))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(directory, SERVER_CERT_FILE), 'utf8')).toBe(certificate.cert);
    expect(await readFile(join(directory, CA_FILE), 'utf8')).toBe(certificate.ca);
  });

  it('reuses what it created, and concurrent calls share one generation', async () => {
    const directory = await freshDirectory();
    const [first, concurrent] = await Promise.all([loadOrCreateCertificate(directory), loadOrCreateCertificate(directory)]);
    expect(concurrent.fingerprint256).toBe(first.fingerprint256);
    const again = await loadOrCreateCertificate(directory);
    expect(again.outcome).toBe('reused');
    expect(again.fingerprint256).toBe(first.fingerprint256);
    expect(again.key).toBe(first.key);
  });

  it('renews an expiring server certificate under the same CA (a browser keeps trusting it)', async () => {
    const directory = await freshDirectory();
    const first = await loadOrCreateCertificate(directory);
    const later = new Date(first.validTo.getTime() - 2 * DAY); // inside the 7-day renewal window
    const renewed = await loadOrCreateCertificate(directory, { now: () => later });
    expect(renewed.outcome).toBe('renewed-server');
    expect(renewed.caFingerprint256).toBe(first.caFingerprint256);
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256);
    expect(renewed.validTo.getTime()).toBeGreaterThan(first.validTo.getTime());
  });

  it('regenerates unreadable or mismatched files', async () => {
    const directory = await freshDirectory();
    const first = await loadOrCreateCertificate(directory);

    await writeFile(join(directory, SERVER_KEY_FILE), 'garbage');
    const fixedServer = await loadOrCreateCertificate(directory);
    expect(fixedServer.outcome).toBe('renewed-server');
    expect(fixedServer.caFingerprint256).toBe(first.caFingerprint256);

    // A server certificate from another CA does not verify against this one.
    const other = await loadOrCreateCertificate(await freshDirectory());
    await writeFile(join(directory, SERVER_CERT_FILE), other.cert);
    await writeFile(join(directory, SERVER_KEY_FILE), other.key);
    expect((await loadOrCreateCertificate(directory)).outcome).toBe('renewed-server');

    await writeFile(join(directory, CA_FILE), 'not a certificate');
    const recreated = await loadOrCreateCertificate(directory);
    expect(recreated.outcome).toBe('created');
    expect(recreated.caFingerprint256).not.toBe(first.caFingerprint256);
    expect(new X509Certificate(recreated.cert).checkIssued(new X509Certificate(recreated.ca))).toBe(true);
  });

  it('serves TLS for 127.0.0.1 and localhost to clients that trust the CA, and only to them', async () => {
    const certificate = await loadOrCreateCertificate(await freshDirectory());
    const server = await serve(certificate);
    try {
      expect(await fetchText(`https://127.0.0.1:${server.port}/`, certificate.ca)).toBe('ok');
      expect(await fetchText(`https://localhost:${server.port}/`, certificate.ca)).toBe('ok');
      await expect(fetchText(`https://127.0.0.1:${server.port}/`)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    } finally {
      await server.close();
    }
  });

  it('NODE_EXTRA_CA_CERTS=<data>/ca.pem makes a plain Node process (https and ws) trust the server', async () => {
    const certificate = await loadOrCreateCertificate(await freshDirectory());
    const server = await serve(certificate);
    // No `ca` option anywhere in the child: trust must come from the environment variable.
    const script = `
      import { get } from 'node:https';
      import { WebSocket } from 'ws';
      const body = await new Promise((done, fail) => get('https://localhost:${server.port}/', (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => done(b)); }).on('error', fail));
      const greeting = await new Promise((done, fail) => { const ws = new WebSocket('wss://127.0.0.1:${server.port}/ws'); ws.on('message', (m) => { done(String(m)); ws.close(); }); ws.on('error', fail); });
      console.log(body + ' ' + greeting);
    `;
    const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
      delete env.NODE_TLS_REJECT_UNAUTHORIZED;
      if (!extra.NODE_EXTRA_CA_CERTS) delete env.NODE_EXTRA_CA_CERTS;
      return env;
    };
    try {
      const trusted = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: process.cwd(),
        env: childEnv({ NODE_EXTRA_CA_CERTS: certificate.caPath }),
      });
      expect(trusted.stdout.trim()).toBe('ok hello');
      await expect(run(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), env: childEnv({}) })).rejects.toMatchObject({
        stderr: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/),
      });
    } finally {
      await server.close();
    }
  });
});
