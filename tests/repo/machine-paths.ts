/**
 * Two checks over the repository's own files, used by tests/repo/no-machine-paths.test.ts:
 *
 * - `findMachinePaths`: absolute paths that only exist on one developer's machine — this checkout's
 *   directory and its parent (passed in at run time, never written down), home directories on
 *   Linux, macOS, Windows and WSL, the root user's home, and scratch folders under the temporary
 *   directory (mktemp/mkdtemp names, macOS per-user temp folders). System paths a reader really
 *   has (`/usr/bin/…`, `/etc/pki/…`, `/Library/Keychains/…`) and portable spellings (`~/…`,
 *   `$HOME/…`, `<name>` placeholders) are not machine paths.
 * - `findEscapingPaths`: relative paths in code that climb above the checkout (an import or
 *   `join(import.meta.dirname, '..', …)` with one `..` too many, a sibling folder of the
 *   checkout), and, in tests, reads of the developer's home directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface Finding {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  text: string;
  reason: string;
  /** The user name, for a home directory. */
  user?: string;
}

/** Directories that are shared system locations, never one developer's folder: a checkout's parent or
 * home directory that is one of these is not itself a machine path (a checkout in /usr/src/app must not
 * make every `/usr/src/…` in the docs an offence). */
const SYSTEM_DIRECTORIES = new Set([
  '/',
  '/home',
  '/Users',
  '/root',
  '/tmp',
  '/private',
  '/private/tmp',
  '/var',
  '/var/lib',
  '/var/tmp',
  '/usr',
  '/usr/local',
  '/usr/src',
  '/usr/share',
  '/opt',
  '/srv',
  '/mnt',
  '/media',
]);

// A path starts here: at the start of a line or after a character that cannot be part of a longer
// path or word (so `src/root/…`, `~/home/…`, `$HOME/…`, `https://host/Users/…` do not count), or
// right after `file://`.
const START = String.raw`(?:(?<=^|[^\w.~$}\-/\\])(?<!(?:^|[^\w])[A-Za-z]:)|(?<=file://))`;
// The rest of a path component after a name (so `/srv/app` does not match `/srv/application`).
const END = String.raw`(?=[/\\'"\x60\s)\]>}:,;*]|$)`;
// A user or folder name as it really appears; placeholders such as `<name>`, `$USER`, `{user}`, `*`
// and `…` start with another character and are not names.
const NAME = String.raw`[A-Za-z0-9_][A-Za-z0-9._-]*`;
// A temporary folder name a tool made up: mktemp's `tmp.XXXXXXXXXX`, mkdtemp's `<prefix>XXXXXX` with
// letters and digits mixed, or someone's scratch/jobs folder.
const SCRATCH_SEGMENT = String.raw`(?:tmp\.[A-Za-z0-9]{6,}|[\w.-]*?[-_.](?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{6,}|[\w.-]*(?:scratch|_jobs)[\w.-]*)`;

// A line may use its path anyway when it says why: `repo-check-allow: <reason>` (a comment on that line).
const ALLOWED = /repo-check-allow: \S/;

interface Pattern {
  regex: RegExp;
  reason: string;
  /** Names that are shared locations rather than one user's home. */
  except?: RegExp;
  /** The first group is a user name. */
  home?: boolean;
}

const FIXED_PATTERNS: Pattern[] = [
  { regex: new RegExp(`${START}/home/(${NAME})${END}`, 'g'), reason: 'a Linux home directory', except: /^linuxbrew$/, home: true },
  { regex: new RegExp(`${START}/Users/(${NAME})${END}`, 'g'), reason: 'a macOS home directory', except: /^Shared$/, home: true },
  { regex: new RegExp(`${START}/root(?=/)`, 'g'), reason: "the root user's home directory" },
  {
    regex: new RegExp(String.raw`(?<![\w])[A-Za-z]:(?:\\{1,2}|/)Users(?:\\{1,2}|/)(${NAME})${END}`, 'gi'),
    reason: 'a Windows home directory',
    except: /^(?:Public|Default|All Users)$/i,
    home: true,
  },
  { regex: new RegExp(`${START}/mnt/[a-z]/Users/(${NAME})${END}`, 'g'), reason: 'a Windows home directory (WSL)', home: true },
  { regex: new RegExp(`${START}/(?:private/)?var/folders/[\\w+-]{2}/`, 'g'), reason: "a macOS user's temporary folder" },
  { regex: new RegExp(`${START}/(?:private/)?tmp/(${SCRATCH_SEGMENT})${END}`, 'g'), reason: 'a scratch folder under /tmp' },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function directoryPattern(directory: string, reason: string): Pattern | undefined {
  const normalized = directory.replace(/[\\/]+$/, '');
  if (!normalized || SYSTEM_DIRECTORIES.has(normalized) || !isAbsolute(directory)) return undefined;
  const spellings = new Set([normalized, normalized.replaceAll('\\', '/'), normalized.replaceAll('\\', '\\\\')]);
  const alternatives = [...spellings].map(escapeRegExp).join('|');
  return { regex: new RegExp(`${START}(?:${alternatives})${END}`, 'g'), reason };
}

export interface MachineDirectories {
  /** This checkout's absolute path. */
  checkout: string;
  /** Other directories of this machine to look for (its home, its temporary directory). */
  others?: { directory: string; reason: string }[];
}

/** This machine's directories, found at run time. */
export function machineDirectories(checkout: string): MachineDirectories {
  return {
    checkout,
    others: [
      { directory: homedir(), reason: "this machine's home directory" }, // repo-check-allow: its name only; nothing in it is read
      { directory: tmpdir(), reason: "this machine's temporary directory" },
    ],
  };
}

function patternsFor(directories: MachineDirectories): Pattern[] {
  const dynamic = [
    directoryPattern(directories.checkout, "this checkout's absolute path"),
    directoryPattern(dirname(directories.checkout), "the checkout's parent directory"),
    ...(directories.others ?? []).map(({ directory, reason }) => directoryPattern(directory, reason)),
  ];
  return [...dynamic.filter((p): p is Pattern => p !== undefined), ...FIXED_PATTERNS];
}

/**
 * Every absolute path of a developer machine in `text`, one finding per match. A line that says why it
 * needs one (`repo-check-allow: <reason>`) is skipped.
 */
export function findMachinePaths(text: string, directories: MachineDirectories): Finding[] {
  const patterns = patternsFor(directories);
  const findings: Finding[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (ALLOWED.test(line)) return;
    const seen = new Set<number>();
    for (const { regex, reason, except, home } of patterns) {
      for (const match of line.matchAll(regex)) {
        if (except && match[1] !== undefined && except.test(match[1])) continue;
        if (seen.has(match.index)) continue; // the checkout's path is also its parent's: report it once
        seen.add(match.index);
        findings.push({ line: index + 1, column: match.index + 1, text: match[0], reason, ...(home ? { user: match[1] } : {}) });
      }
    }
  });
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

const CODE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const SHELL_FILE = /(?:\.sh|^\.ci\/run)$/;
const TEST_FILE = /(?:^(?:tests|e2e)\/|\.(?:test|spec|load)\.[cm]?[jt]sx?$)/;

// 'relative/path' string literals (imports, new URL(…, import.meta.url), readFileSync(…)), up to
// an interpolation or the closing quote.
const RELATIVE_LITERAL = /(['"`])(\.\.?\/[^'"`$\n]*)/g;
// join(import.meta.dirname, '..', '..', …) and friends: the anchor is the file's own directory.
const ANCHORED_JOIN =
  /(?:join|resolve)\(\s*(?:import\.meta\.dirname|__dirname|dirname\(\s*fileURLToPath\(\s*import\.meta\.url\s*\)\s*\))\s*((?:,\s*(['"])[^'"]*\2\s*)+)/g;
// "$(dirname "$0")/../.." in shell scripts.
const SHELL_DIRNAME = /\$\(\s*dirname\s+"?\$(?:0|\{BASH_SOURCE\[0\]\}|BASH_SOURCE)"?\s*\)((?:\/\.\.)+)/g;
// Reading the developer's home directory from a test: in code, os.homedir or $HOME from the
// environment; in a shell script, $HOME or ~/.
const HOME_READS_CODE = /(?:\bhomedir\s*\(|process\.env\.(?:HOME|USERPROFILE)\b|process\.env\[\s*['"](?:HOME|USERPROFILE)['"]\s*\])/g;
const HOME_READS_SHELL = /(?:\$\{?HOME\b|(?<=^|['"=:\s])~\/)/gm;

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function outside(root: string, target: string): boolean {
  const path = relative(root, target);
  return path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path);
}

/**
 * Relative paths in `text` (the content of `file`, relative to `root`) that lead out of the
 * checkout, and reads of the home directory when `file` is a test.
 */
export function findEscapingPaths(text: string, file: string, root: string): Finding[] {
  const findings: Finding[] = [];
  const directory = dirname(resolve(root, file));
  const lines = text.split('\n');
  const report = (offset: number, found: string, reason: string) => {
    const position = lineAndColumn(text, offset);
    if (ALLOWED.test(lines[position.line - 1] ?? '')) return;
    findings.push({ ...position, text: found, reason });
  };

  if (CODE_FILE.test(file)) {
    for (const match of text.matchAll(RELATIVE_LITERAL)) {
      if (outside(root, resolve(directory, match[2]!))) report(match.index + 1, match[2]!, 'a relative path that leaves the checkout');
    }
    for (const match of text.matchAll(ANCHORED_JOIN)) {
      const segments = [...match[1]!.matchAll(/(['"])([^'"]*)\1/g)].map((m) => m[2]!);
      if (outside(root, resolve(directory, ...segments))) report(match.index, match[0], 'a path joined from the file that leaves the checkout');
    }
  }
  if (SHELL_FILE.test(file)) {
    for (const match of text.matchAll(SHELL_DIRNAME)) {
      if (outside(root, resolve(directory, match[1]!.slice(1)))) report(match.index, match[0], 'a path from the script that leaves the checkout');
    }
  }
  const homeReads = CODE_FILE.test(file) ? HOME_READS_CODE : SHELL_FILE.test(file) ? HOME_READS_SHELL : undefined;
  if (TEST_FILE.test(file) && homeReads) {
    for (const match of text.matchAll(homeReads)) report(match.index, match[0], "a test reading the developer's home directory");
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Files in the repository: tracked, plus new files not yet added that git does not ignore. */
export function repositoryFiles(root: string): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return [...new Set(listed.split('\0').filter(Boolean))]
    .filter((file) => basename(file) !== 'package-lock.json')
    .filter((file) => existsSync(join(root, file)) && statSync(join(root, file)).isFile())
    .sort();
}

/** The file's text, or undefined for a binary file (a NUL byte in its first 8 KiB, as git decides). */
export function readText(root: string, file: string): string | undefined {
  const content = readFileSync(join(root, file));
  return content.subarray(0, 8000).includes(0) ? undefined : content.toString('utf8');
}
