/**
 * Comments, test names and docs stand on their own: someone who clones the repository has nothing but the repository
 * (and public documentation), so no file cites a section of a document that is not in it (a section sign followed by a
 * number), no code or test cites an issue number (the word issue, a hash and a number, or a hash and a number in
 * parentheses), and no file points into a folder next to the checkout (a relative path to a `shared` folder that leads
 * out of it). The repository's own `shared` folders (`amplify/shared/`, `amplify/functions/shared/`, imported with
 * relative paths from the functions) are inside the checkout and fine. Nor does code or Markdown point at the project's
 * original requirements document, which is not in the repository either: its name ("brief") after the word "the", or
 * in the possessive, in any case.
 *
 * State the fact a citation stood for instead, or link AWS's public documentation. The planted cases below are
 * assembled at run time, so that this file holds none of what it looks for.
 */
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { readText, repositoryFiles } from './machine-paths';

interface Finding {
  /** 1-based */
  line: number;
  text: string;
  reason: string;
}

// The section sign, written as an escape so that this file holds none.
const SECTION_SIGN = '\u00a7';
const SECTION = new RegExp(`${SECTION_SIGN}[^\\n]{0,20}`, 'g');
const ISSUE_NUMBER = /\bissues? #\d+|\(#\d+\)/gi;
// A relative path to a `shared` folder (any number of `../`), in an import, a path or prose.
const SHARED_PATH = /(?:\.\.\/)+shared(?![\w.-])/g;
const CODE_FILE = /(?:\.(?:[cm]?[jt]sx?|sh)|^\.ci\/run)$/;
const MARKDOWN_FILE = /\.md$/i;
// The requirements document's name, kept apart from "the" and from the possessive so that this file holds neither.
const REQUIREMENTS_DOCUMENT = 'brief';
const REQUIREMENTS_CITATION = new RegExp(`\\bthe\\s+${REQUIREMENTS_DOCUMENT}\\b|\\b${REQUIREMENTS_DOCUMENT}['\u2019]s\\b`, 'gi');

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/**
 * Citations of documents outside the repository in `text`, the content of `file` (relative to `root`).
 * `isDirectory(path)` says whether an absolute path is a directory (the file system by default; planted cases pass
 * their own).
 */
function findExternalCitations(
  text: string,
  file: string,
  root: string,
  isDirectory: (path: string) => boolean = (path) => existsSync(path) && statSync(path).isDirectory(),
): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(SECTION)) {
    findings.push({ line: lineOf(text, match.index), text: match[0].trim(), reason: 'a section of a document outside the repository' });
  }
  if (CODE_FILE.test(file)) {
    for (const match of text.matchAll(ISSUE_NUMBER)) {
      findings.push({ line: lineOf(text, match.index), text: match[0], reason: 'an issue number' });
    }
  }
  if (CODE_FILE.test(file) || MARKDOWN_FILE.test(file)) {
    for (const match of text.matchAll(REQUIREMENTS_CITATION)) {
      findings.push({ line: lineOf(text, match.index), text: match[0], reason: 'the requirements document, which is not in the repository' });
    }
  }
  const directory = dirname(resolve(root, file));
  for (const match of text.matchAll(SHARED_PATH)) {
    const target = resolve(directory, match[0]);
    const inside = relative(root, target);
    const leaves = inside === '..' || inside.startsWith(`..${sep}`) || inside.startsWith(`..${posix.sep}`);
    // Inside the checkout, only a `shared` folder that exists is the repository's own (one next to `docs/`, which does not exist, is not).
    if (leaves || !isDirectory(target)) findings.push({ line: lineOf(text, match.index), text: match[0], reason: 'a path into a folder outside the repository' });
  }
  return findings.sort((a, b) => a.line - b.line);
}

const files = repositoryFiles(PROJECT_ROOT);
const texts = files.flatMap((file) => {
  const text = readText(PROJECT_ROOT, file);
  return text === undefined ? [] : [{ file, text }];
});

describe('no citations of documents outside the repository', () => {
  it('reads the repository: code, tests and docs', () => {
    const read = texts.map((t) => t.file);
    expect(read).toContain('README.md');
    expect(read).toContain('docs/offline-fidelity.md');
    expect(read).toContain('offline/realtime/connection.ts');
    expect(read).toContain('tests/repo/no-external-citations.test.ts');
  });

  it('no section signs, no issue numbers in code and tests, no paths into folders next to the checkout, no mentions of the requirements document in code and docs', () => {
    const offences = texts.flatMap(({ file, text }) =>
      findExternalCitations(text, file, PROJECT_ROOT).map((f) => `${file}:${f.line}: ${f.text} (${f.reason})`),
    );
    expect(offences).toEqual([]);
  });
});

describe('the citation checker', () => {
  const root = ['', 'srv', 'checkout'].join('/');
  const directories = new Set(['amplify/shared', 'amplify/functions/shared'].map((d) => join(root, d)));
  const isDirectory = (path: string) => directories.has(path);
  const find = (text: string, file: string) => findExternalCitations(text, file, root, isDirectory).map((f) => `${f.line}: ${f.text} (${f.reason})`);
  const section = (rest: string) => `${SECTION_SIGN}${rest}`;

  it('finds planted section citations in any file, with their line', () => {
    const text = ['first line', `// as AppSync answers (${section('3.2')})`, `it('handshake (${section('1.2 rule 4')})')`, `see method ${section('5.6')}.`].join('\n');
    expect(find(text, 'offline/example.ts')).toEqual([
      `2: ${section('3.2)')} (a section of a document outside the repository)`,
      `3: ${section("1.2 rule 4)')")} (a section of a document outside the repository)`,
      `4: ${section('5.6.')} (a section of a document outside the repository)`,
    ]);
    expect(find(`The limit (reference ${section('4.4')}).`, 'docs/example.md')).toHaveLength(1);
  });

  it('finds issue numbers in code and tests, not in docs', () => {
    const issue = (word: string, n: number) => `${word} #${n}`;
    const hash = (n: number) => `(${'#'}${n})`;
    const text = [`/** Memoizes the parsers (${issue('issue', 6)}). */`, `it('reloads (${issue('Issue', 3)} item 9)')`, `const x = 1; // see ${hash(12)}`, '// amplify-js#12517, a public issue'].join('\n');
    expect(find(text, 'tests/example.test.ts')).toEqual([
      `1: ${issue('issue', 6)} (an issue number)`,
      `2: ${issue('Issue', 3)} (an issue number)`,
      `3: ${hash(12)} (an issue number)`,
    ]);
    expect(find(`# Sustained load (${issue('issue', 5)})`, '.ci/run')).toEqual([`1: ${issue('issue', 5)} (an issue number)`]);
    expect(find(`A changelog line (${issue('issue', 5)}), and ${hash(12)}.`, 'docs/example.md')).toEqual([]);
  });

  it("finds paths into the checkout's sibling folders, not the repository's own shared folders", () => {
    const shared = (ups: number) => `${'../'.repeat(ups)}shared`;
    const outside = (ups: number) => `${shared(ups)} (a path into a folder outside the repository)`;
    const code = [
      `import { LIMITS } from '${shared(2)}/limits';`,
      `import { documents } from '${shared(1)}/documents';`,
      `const brief = new URL('${shared(4)}/brief/brief.md', import.meta.url);`,
    ].join('\n');
    expect(find(code, 'amplify/functions/message-processor/logic.ts')).toEqual([`3: ${outside(4)}`]);
    expect(find(`const notes = readFileSync('${shared(1)}/reference/notes.md');`, 'scripts/example.mjs')).toEqual([`1: ${outside(1)}`]);
    expect(find(`Read ${shared(1)}/reference first.`, 'README.md')).toEqual([`1: ${outside(1)}`]);
    expect(find(`Read ${shared(1)}/brief first.`, 'docs/example.md')).toEqual([`1: ${outside(1)}`]);
    expect(find(`Limits live in \`amplify/shared/limits.ts\`; ${shared(1)}-types is another folder.`, 'docs/example.md')).toEqual([]);
  });

  it('finds the requirements document named in code, tests, scripts and Markdown, in any case, not in other files', () => {
    const name = REQUIREMENTS_DOCUMENT;
    const cited = (text: string) => `${text} (the requirements document, which is not in the repository)`;
    const code = [
      `// Auth: our ${name}'s password policy.`,
      `it('has this ${name.toUpperCase()}\u2019s operations', () => {});`,
      `/** Copied from The ${name}, unchanged. */`,
      `const fields = 'the ${name} fields';`,
      `const summary = 'a ${name} summary'; // a ${name}ing, the ${name}case: neither is the document`,
    ].join('\n');
    expect(find(code, 'tests/example.test.ts')).toEqual([
      `1: ${cited(`${name}'s`)}`,
      `2: ${cited(`${name.toUpperCase()}\u2019s`)}`,
      `3: ${cited(`The ${name}`)}`,
      `4: ${cited(`the ${name}`)}`,
    ]);
    expect(find(`# Creates the ${name}'s test users`, 'scripts/example.sh')).toEqual([`1: ${cited(`the ${name}`)}`]);
    expect(find(`Settings are the\n${name}'s variables, as the ${name} asks.`, 'docs/example.md')).toEqual([
      `1: ${cited(`the\n${name}`)}`,
      `2: ${cited(`the ${name}`)}`,
    ]);
    expect(find(`The ${name}'s steps.`, 'README.md')).toHaveLength(1);
    expect(find(`note: the ${name}'s limits`, 'docs/notes.txt')).toEqual([]);
    expect(find(`{ "note": "the ${name}'s limits" }`, 'amplify/example.json')).toEqual([]);
  });
});
