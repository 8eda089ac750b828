/**
 * offline/cli/command-line.mjs without a process around it: the colour decision, the highlighted block, and the progress line
 * on a terminal (which the command-line tests, whose output is a pipe, cannot see).
 */
import { describe, expect, it } from 'vitest';
import { colorEnabled, highlightBlock, startProgress, stripAnsi, styles } from './command-line.mjs';

const TTY = { isTTY: true };
const PIPE = { isTTY: false };

describe('colorEnabled', () => {
  it.each([
    ['a terminal', TTY, {}, true],
    ['a pipe', PIPE, {}, false],
    ['a terminal with NO_COLOR=1', TTY, { NO_COLOR: '1' }, false],
    ['a terminal with NO_COLOR=false (any non-empty value)', TTY, { NO_COLOR: 'false' }, false],
    ['a terminal with an empty NO_COLOR', TTY, { NO_COLOR: '' }, true],
    ['a pipe with FORCE_COLOR=1', PIPE, { FORCE_COLOR: '1' }, true],
    ['a pipe with FORCE_COLOR=3', PIPE, { FORCE_COLOR: '3' }, true],
    ['a terminal with FORCE_COLOR=0', TTY, { FORCE_COLOR: '0' }, false],
    ['a terminal with FORCE_COLOR=false', TTY, { FORCE_COLOR: 'false' }, false],
    ['a pipe with FORCE_COLOR=1 and NO_COLOR=1', PIPE, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    ['a dumb terminal', TTY, { TERM: 'dumb' }, false],
  ])('%s → %s', (_, stream, env, expected) => {
    expect(colorEnabled(stream, env)).toBe(expected);
  });
});

describe('highlightBlock', () => {
  const line = '[cognito] confirmation code for ann@example.com: 123456';

  it('frames the line, unchanged, between blank lines and two rules of one width', () => {
    const block = highlightBlock('confirmation code', [line], styles(false));
    expect(block).toHaveLength(5);
    expect(block[0]).toBe('');
    expect(block[1]).toMatch(/^━━ confirmation code ━+$/);
    expect(block[2]).toBe(line);
    expect(block[3]).toMatch(/^━+$/);
    expect(block[4]).toBe('');
    expect(block[1]!.length).toBe(block[3]!.length);
    expect(block[3]!.length).toBeGreaterThanOrEqual(line.length);
  });

  it('with colour, paints the rules only', () => {
    const block = highlightBlock('a very long title that is longer than the minimum width of rules', [line], styles(true));
    expect(block[1]).toContain('\u001b[');
    expect(block[2]).toBe(line);
    expect(stripAnsi(block[1]!).length).toBe(stripAnsi(block[3]!).length);
  });
});

describe('startProgress', () => {
  function stream(isTTY: boolean, columns = 80) {
    const writes: string[] = [];
    return { writes, target: { isTTY, columns, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WriteStream };
  }

  it('on a terminal: an elapsed-time line redrawn with a carriage return, erased around printed lines and at the end', () => {
    let now = 1_000;
    const { writes, target } = stream(true);
    const progress = startProgress('synth: synthesizing', { stream: target, now: () => now });
    expect(writes).toEqual(['\rsynth: synthesizing… 0 s']);
    now += 12_400;
    progress.print('a warning from the CDK');
    const erase = `\r${' '.repeat('synth: synthesizing… 0 s'.length)}\r`;
    expect(writes.slice(1)).toEqual([erase, 'a warning from the CDK\n', '\rsynth: synthesizing… 12 s']);
    progress.done();
    expect(writes.at(-1)).toBe(`\r${' '.repeat('synth: synthesizing… 12 s'.length)}\r`);
    const count = writes.length;
    progress.print('after the end');
    expect(writes.slice(count)).toEqual(['after the end\n']);
    expect(writes.join('')).not.toContain('\u001b');
  });

  it('on a narrow terminal: the line is cut to fit (a wrapped line could not be redrawn)', () => {
    const { writes, target } = stream(true, 20);
    startProgress('synth: synthesizing sandbox "someone" from amplify/backend.ts', { stream: target, now: () => 0 }).done();
    expect(writes[0]).toMatch(/^\r….*backend\.ts… 0 s$/);
    expect(writes[0]!.length).toBe(1 + 19);
  });

  it('piped: a start line unless quiet, and printed lines as they come', () => {
    const loud = stream(false);
    startProgress('synth: synthesizing', { stream: loud.target }).print('line');
    expect(loud.writes).toEqual(['synth: synthesizing…\n', 'line\n']);
    const quiet = stream(false);
    startProgress('synth: synthesizing', { stream: quiet.target, quiet: true }).done();
    expect(quiet.writes).toEqual([]);
  });
});
