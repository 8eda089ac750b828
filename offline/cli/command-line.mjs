/**
 * What command-line entry points share: the package's own commands (offline/cli/) and a project's scripts, which
 * import it as `amplify-gen2-offline/command-line`:
 *
 * - `parseCommandLine(spec)`: `-h`/`--help` prints the help (every flag and environment variable) and exits 0; an
 *   unknown flag, a missing value, a value given to a switch or a stray argument prints ONE line on stderr and exits 2.
 * - `usageError(spec, message)`: the same one line and exit 2, for values the command validates itself.
 * - `colorEnabled(stream)` / `styles(enabled)`: colour on a terminal only; never with NO_COLOR set (any non-empty
 *   value), always with FORCE_COLOR set (except `0` / `false`) unless NO_COLOR is set.
 * - `highlightBlock(title, lines, style)`: the framed block the sandbox prints for codes and temporary passwords.
 * - `startProgress(label, options)`: a ticking elapsed-time line on a terminal, a start line otherwise.
 */
import { parseArgs } from 'node:util';

/**
 * @typedef {object} OptionSpec
 * @property {'boolean' | 'string'} type
 * @property {string} description
 * @property {string} [short]        one letter: `-x`
 * @property {string} [valueName]    shown as `--name <valueName>` in the help (default `value`)
 * @property {string} [default]      a string option's value when not given
 * @property {string} [defaultText]  how the help shows the default (default: `default`)
 */

/**
 * @typedef {object} EnvSpec
 * @property {string} name
 * @property {string} description
 */

/**
 * @template {Record<string, OptionSpec>} [O=Record<string, OptionSpec>]
 * @typedef {object} CommandSpec
 * @property {string} name            how errors name the command (`synth`, `dev`, `sandbox:offline`)
 * @property {string} usage           the usage line, e.g. `npm run synth -- [options]`
 * @property {string} summary         one paragraph under the usage line
 * @property {O} options              `--help` is added
 * @property {readonly EnvSpec[]} [environment]
 * @property {readonly string[]} [notes]  paragraphs after the lists
 * @property {string} [positionalHint] the usage error for a stray argument (default: `unexpected argument '…'`)
 * @property {(flag: string) => string} [unknownHint] appended to "unknown option --x"
 */

/**
 * @template {Record<string, OptionSpec>} O
 * @typedef {{ [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { default: string } ? string : string | undefined }} ParsedValues
 */

const HELP = /** @type {const} */ ({ type: 'boolean', short: 'h', description: 'show this help and exit' });

/**
 * Whether to write ANSI colours to `stream`: no when NO_COLOR has any non-empty value; yes when FORCE_COLOR is set
 * to anything but `0` or `false`; otherwise only on a terminal (not TERM=dumb).
 * @param {{ isTTY?: boolean }} [stream]
 * @param {Record<string, string | undefined>} [env]
 */
export function colorEnabled(stream = process.stdout, env = process.env) {
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return Boolean(stream.isTTY) && env['TERM'] !== 'dumb';
}

/**
 * @typedef {(text: string) => string} Paint
 * @typedef {{ enabled: boolean, bold: Paint, dim: Paint, red: Paint, yellow: Paint, green: Paint, cyan: Paint }} Style
 */

/** @param {boolean} enabled @returns {Style} */
export function styles(enabled) {
  /** @param {number} open @param {number} close @returns {Paint} */
  const paint = (open, close) => (enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text);
  return { enabled, bold: paint(1, 22), dim: paint(2, 22), red: paint(31, 39), yellow: paint(33, 39), green: paint(32, 39), cyan: paint(36, 39) };
}

/** @param {string} text */
export function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * A block that stands out among log lines: a blank line, a rule carrying `title`, the lines unchanged (so a
 * program reading the output still finds them whole), a closing rule, a blank line. Only the rules are coloured.
 * @param {string} title
 * @param {string[]} lines
 * @param {Style} style
 * @returns {string[]}
 */
export function highlightBlock(title, lines, style) {
  const width = Math.max(48, title.length + 6, ...lines.map((line) => line.length));
  const top = `━━ ${title} ${'━'.repeat(Math.max(2, width - title.length - 4))}`;
  const paint = (/** @type {string} */ rule) => style.bold(style.yellow(rule));
  return ['', paint(top), ...lines, paint('━'.repeat(width)), ''];
}

/**
 * The help text: usage, summary, options (with defaults), environment variables, notes.
 * @template {Record<string, OptionSpec>} O
 * @param {CommandSpec<O>} spec
 * @param {Style} style
 */
export function formatHelp(spec, style) {
  const options = /** @type {Record<string, OptionSpec>} */ ({ ...spec.options, help: HELP });
  const rows = Object.entries(options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ` <${option.valueName ?? 'value'}>` : ''}`;
    const fallback = option.defaultText ?? option.default;
    return [flag, `${option.description}${fallback !== undefined && fallback !== '' ? ` (default: ${fallback})` : ''}`];
  });
  const environment = (spec.environment ?? []).map((variable) => [variable.name, variable.description]);
  const width = Math.max(...[...rows, ...environment].map(([left]) => (left ?? '').length)) + 2;
  /** @param {string[][]} list */
  const table = (list) => list.map(([left = '', right = '']) => `  ${left.padEnd(width)}${right}`);
  const lines = [`${style.bold('Usage:')} ${spec.usage}`, '', spec.summary, '', style.bold('Options:'), ...table(rows)];
  if (environment.length > 0) lines.push('', style.bold('Environment:'), ...table(environment));
  for (const note of spec.notes ?? []) lines.push('', note);
  return `${lines.join('\n')}\n`;
}

/**
 * Prints `<name>: <message> (see --help)` on stderr — one line — and exits 2.
 * @param {Pick<CommandSpec, 'name' | 'usage'>} spec
 * @param {string} message
 * @returns {never}
 */
export function usageError(spec, message) {
  process.stderr.write(`${spec.name}: ${message.replace(/\s*\n\s*/g, ' ')} (see ${spec.usage.replace(/\[.*$/, '').trim()} --help)\n`);
  process.exit(2);
}

/**
 * Parses `argv` against `spec`: prints the help and exits 0 on `-h`/`--help`; one line and exit 2 on any usage
 * error. Values are checked strictly: a string option needs a value (`--data dir` or `--data=dir`; a value starting
 * with `-` only in the `=` form), a switch takes none.
 * @template {Record<string, OptionSpec>} O
 * @param {CommandSpec<O>} spec
 * @param {string[]} [argv]
 * @returns {ParsedValues<O>}
 */
export function parseCommandLine(spec, argv = process.argv.slice(2)) {
  const options = /** @type {Record<string, OptionSpec>} */ ({ ...spec.options, help: HELP });
  const parseOptions = Object.fromEntries(
    Object.entries(options).map(([name, option]) => [name, option.short ? { type: option.type, short: option.short } : { type: option.type }]),
  );
  const { tokens } = parseArgs({ args: argv, options: parseOptions, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) {
    process.stdout.write(formatHelp(spec, styles(colorEnabled(process.stdout))));
    process.exit(0);
  }
  /** @type {Record<string, string | boolean | undefined>} */
  const values = {};
  for (const [name, option] of Object.entries(spec.options)) values[name] = option.type === 'boolean' ? false : option.default;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') return usageError(spec, `unexpected argument '--'`);
    if (token.kind === 'positional') return usageError(spec, spec.positionalHint ?? `unexpected argument '${token.value}'`);
    const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    if (!option) return usageError(spec, `unknown option ${token.rawName}${spec.unknownHint ? `; ${spec.unknownHint(token.rawName)}` : ''}`);
    const flag = `--${token.name}`;
    if (option.type === 'boolean') {
      if (token.value !== undefined) return usageError(spec, `${flag} takes no value`);
      values[token.name] = true;
      continue;
    }
    const valueName = `<${option.valueName ?? 'value'}>`;
    if (token.value === undefined || token.value === '') return usageError(spec, `${flag} needs a value: ${flag} ${valueName}`);
    if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
      return usageError(spec, `${flag} needs a value, not the option ${token.value} (a value starting with '-': ${flag}=${token.value})`);
    }
    values[token.name] = token.value;
  }
  return /** @type {ParsedValues<O>} */ (values);
}

/**
 * @typedef {object} Progress
 * @property {(line: string) => void} print  writes a line on the stream without garbling the ticking line
 * @property {() => void} done                stops ticking and erases the ticking line
 */

/**
 * Progress of a long step on `stream` (stderr by default): on a terminal, one line rewritten every second with the
 * elapsed time (erased when done — it leaves nothing behind); otherwise, unless `quiet`, a start line `<label>…`.
 * No escape sequences either way: the ticking line is redrawn with a carriage return.
 * @param {string} label
 * @param {{ stream?: NodeJS.WriteStream, quiet?: boolean, now?: () => number }} [options]
 * @returns {Progress}
 */
export function startProgress(label, options = {}) {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) {
    if (!options.quiet) stream.write(`${label}…\n`);
    return { print: (line) => stream.write(`${line}\n`), done: () => undefined };
  }
  const now = options.now ?? Date.now;
  const started = now();
  let shown = 0;
  let stopped = false;
  const draw = () => {
    if (stopped) return;
    const full = `${label}… ${Math.floor((now() - started) / 1000)} s`;
    // Longer than the terminal is wide, the line would wrap and the carriage return could not redraw it.
    const width = stream.columns > 1 ? stream.columns - 1 : full.length;
    const text = full.length > width ? `…${full.slice(full.length - width + 1)}` : full;
    stream.write(`\r${text}${' '.repeat(Math.max(0, shown - text.length))}`);
    shown = text.length;
  };
  const erase = () => {
    if (shown > 0) stream.write(`\r${' '.repeat(shown)}\r`);
    shown = 0;
  };
  draw();
  const timer = setInterval(draw, 1000);
  timer.unref();
  return {
    print(line) {
      erase();
      stream.write(`${line}\n`);
      draw();
    },
    done() {
      clearInterval(timer);
      erase();
      stopped = true;
    },
  };
}
