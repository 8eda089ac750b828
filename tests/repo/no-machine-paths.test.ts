/**
 * The repository works from any checkout: no file names a directory of one developer's machine, and
 * no code reaches outside the checkout (the checks are in ./machine-paths.ts).
 */
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { findEscapingPaths, findMachinePaths, machineDirectories, readText, repositoryFiles } from './machine-paths';

const files = repositoryFiles(PROJECT_ROOT);
const texts = files.flatMap((file) => {
  const text = readText(PROJECT_ROOT, file);
  return text === undefined ? [] : [{ file, text }];
});

// Absolute paths are assembled at run time so that this file holds none of them.
const path = (...segments: string[]) => ['', ...segments].join('/');
const windowsPath = (...segments: string[]) => segments.join('\\');

/**
 * Made-up users whose home directories a file uses as test fixtures (a fake host), by file. Any other
 * home directory in these files still counts.
 */
const FICTIONAL_USERS: Record<string, { users: string[]; why: string }> = {
  'offline/tls/trust.test.ts': { users: ['person'], why: 'the fake Linux/macOS/Windows host the trust-store plans are made for' },
};

describe('no machine paths in the repository', () => {
  it('lists the repository (git ls-files) and reads its text files', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('tests/repo/no-machine-paths.test.ts');
    expect(files).not.toContain('package-lock.json');
    expect(texts.map((t) => t.file)).not.toContain('docs/screenshots/chat-desktop.png');
  });

  it('no file names this checkout, its parent, a home directory or a scratch folder', () => {
    const directories = machineDirectories(PROJECT_ROOT);
    const offences = texts.flatMap(({ file, text }) =>
      findMachinePaths(text, directories)
        .filter((f) => !(f.user !== undefined && FICTIONAL_USERS[file]?.users.includes(f.user)))
        .map((f) => `${file}:${f.line}:${f.column}: ${f.text} (${f.reason})`),
    );
    expect(offences).toEqual([]);
  });

  it('the fictional users are still used where they are listed (else the entry goes)', () => {
    for (const [file, { users }] of Object.entries(FICTIONAL_USERS)) {
      const text = texts.find((t) => t.file === file)?.text ?? '';
      const found = new Set(findMachinePaths(text, { checkout: PROJECT_ROOT }).map((f) => f.user));
      expect(users.filter((user) => !found.has(user)), file).toEqual([]);
    }
  });

  it('no code reaches outside the checkout, and no test reads the home directory', () => {
    const offences = texts.flatMap(({ file, text }) =>
      findEscapingPaths(text, file, PROJECT_ROOT).map((f) => `${file}:${f.line}:${f.column}: ${f.text} (${f.reason})`),
    );
    expect(offences).toEqual([]);
  });
});

describe('the machine-path checker', () => {
  const checkout = path('srv', 'build', 'alice', 'realtime-chat');
  const directories = { checkout };

  it('finds a planted checkout path, its parent, home directories and scratch folders, with their line', () => {
    const text = [
      'first line',
      `const cdkOut = '${checkout}/.amplify/artifacts/cdk.out';`,
      `see ${dirname(checkout)}/other-project/README.md`,
      `cd ${path('home', 'alice', 'src')}`,
      `"cwd": "${path('Users', 'bob', 'code', 'chat')}"`,
      `HOME=${path('root')}/ npm test ${path('root', '.npm')}`,
      `${JSON.stringify(windowsPath('C:', 'Users', 'carol', 'chat'))} and ${windowsPath('C:', 'Users', 'carol', 'chat')} and ${['C:', 'Users', 'carol', 'chat'].join('/')}`,
      `${path('mnt', 'c', 'Users', 'dave', 'chat')}`,
      `file://${path('home', 'erin', 'chat', 'index.html')}`,
      `${path('tmp', 'tmp.Xk3vQ9aZ2b', 'out.json')} ${path('tmp', 'chat-sandbox-a1B2c3')} ${path('tmp', 'my-scratch', 'x')}`,
      `${path('private', 'var', 'folders', 'x7', 'abc123', 'T')}`,
    ].join('\n');
    const found = findMachinePaths(text, directories).map((f) => `${f.line}: ${f.text} (${f.reason})`);
    expect(found).toEqual([
      `2: ${checkout} (this checkout's absolute path)`,
      `3: ${dirname(checkout)} (the checkout's parent directory)`,
      `4: ${path('home', 'alice')} (a Linux home directory)`,
      `5: ${path('Users', 'bob')} (a macOS home directory)`,
      `6: ${path('root')} (the root user's home directory)`,
      `6: ${path('root')} (the root user's home directory)`,
      `7: ${JSON.stringify(windowsPath('C:', 'Users', 'carol')).slice(1, -1)} (a Windows home directory)`,
      `7: ${windowsPath('C:', 'Users', 'carol')} (a Windows home directory)`,
      `7: ${['C:', 'Users', 'carol'].join('/')} (a Windows home directory)`,
      `8: ${path('mnt', 'c', 'Users', 'dave')} (a Windows home directory (WSL))`,
      `9: ${path('home', 'erin')} (a Linux home directory)`,
      `10: ${path('tmp', 'tmp.Xk3vQ9aZ2b')} (a scratch folder under /tmp)`,
      `10: ${path('tmp', 'chat-sandbox-a1B2c3')} (a scratch folder under /tmp)`,
      `10: ${path('tmp', 'my-scratch')} (a scratch folder under /tmp)`,
      `11: ${path('private', 'var', 'folders', 'x7')}/ (a macOS user's temporary folder)`,
    ]);
  });

  it('leaves system paths, portable spellings and placeholders alone', () => {
    const text = [
      'CHROMIUM=/usr/bin/chromium; sudo cp ca.pem /usr/local/share/ca-certificates/chat-offline.crt',
      'trust anchor /etc/pki/ca-trust/source/anchors/, keychain /Library/Keychains/System.keychain',
      'certutil -d sql:$HOME/.pki/nssdb, or ~/.pki/nssdb, or ${HOME}/.aws/config, %USERPROFILE%\\.aws',
      'a placeholder: /home/<name>/, /Users/<you>/, /home/$USER/, C:\\Users\\<name>\\ and /Users/Shared/',
      'Homebrew on Linux: /home/linuxbrew/.linuxbrew/bin',
      'relative: src/root/index.ts, amplify/home/x, https://example.com/Users/list and /workspace',
      `${dirname(checkout)}line is another folder, ${dirname(checkout)}-old as well`,
      'BENCH_CPU_PROF=/tmp/prof npm run bench, /tmp/chat.log, /tmp/node-v20.19.0',
    ].join('\n');
    expect(findMachinePaths(text, directories)).toEqual([]);
  });

  it('names the user of a home directory, and skips a line that says why it needs its path', () => {
    const text = [`cd ${path('home', 'alice', 'src')}`, `${path('home', 'bob')}/x // repo-check-allow: a fixture`, `${path('home', 'carol')}/x // repo-check-allow:`].join('\n');
    expect(findMachinePaths(text, directories).map((f) => `${f.line}: ${f.user}`)).toEqual(['1: alice', '3: carol']);
  });

  it('does not take a shared system directory for the checkout parent', () => {
    expect(findMachinePaths('/usr/src/other and /usr/src/app/x', { checkout: path('usr', 'src', 'app') }).map((f) => f.text)).toEqual([
      path('usr', 'src', 'app'),
    ]);
  });
});

describe('the escaping-path checker', () => {
  const root = path('srv', 'checkout');
  const up = (count: number) => '../'.repeat(count);

  it('finds imports, URLs and joins that climb above the checkout, and tests reading the home directory', () => {
    const text = [
      `import { limits } from '${up(3)}shared/limits';`,
      `import { fine } from '${up(1)}helpers/assembly';`,
      `const data = new URL('${up(3)}data.json', import.meta.url);`,
      `const out = join(import.meta.dirname, ${"'..', ".repeat(3)}'shared');`,
      `const ok = join(import.meta.dirname, '..', '..', '.amplify');`,
      // (spelled in two pieces so that this test file does not read the home directory itself)
      `const aws = join(${'homedir'}(), '.aws'); const h = ${'process.env'}.HOME;`,
      `const name = ${'homedir'}(); // repo-check-allow: the name only, never read`,
      `const bare = ${'homedir'}(); // repo-check-allow:`,
    ].join('\n');
    const found = findEscapingPaths(text, join('tests', 'offline', 'example.test.ts'), root).map((f) => `${f.line}: ${f.reason}`);
    expect(found).toEqual([
      '1: a relative path that leaves the checkout',
      '3: a relative path that leaves the checkout',
      '4: a path joined from the file that leaves the checkout',
      "6: a test reading the developer's home directory",
      "6: a test reading the developer's home directory",
      "8: a test reading the developer's home directory",
    ]);
  });

  it('finds a shell script that climbs above the checkout, and a shell test reading the home directory', () => {
    const script = ['cd "$(dirname "$0")/..', 'ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)'].join('\n');
    expect(findEscapingPaths(script, join('scripts', 'lib', 'x.sh'), root).map((f) => f.line)).toEqual([2]);
    const shellTest = ['cp ca.pem "$' + 'HOME/.pki"', 'cat ~' + '/.aws/config', 'echo a~/b'].join('\n');
    expect(findEscapingPaths(shellTest, join('tests', 'deploy', 'x.sh'), root).map((f) => f.line)).toEqual([1, 2]);
  });

  it('lets code outside tests read the home directory (deploy scripts read the AWS profile)', () => {
    expect(findEscapingPaths(`const aws = join(${'homedir'}(), '.aws');`, join('scripts', 'deploy.mjs'), root)).toEqual([]);
  });
});
