/**
 * `$util.matches` and the String methods `split` / `replaceAll` / `replaceFirst` / `matches` take
 * java.util.regex patterns. JavaScript's RegExp covers most of the syntax; this translates the parts
 * that differ (leading inline flags, `\A` `\z` `\Z`, possessive quantifiers, atomic groups, POSIX
 * classes). Lookbehind, named groups and Unicode classes are native in both.
 */

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

const cache = new Map<string, RegExp>();

const HORIZONTAL_SPACE = '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';

/** Token-wise translation, so that escapes (`\\+`) and `\\p{…}` braces are never mistaken for quantifiers. */
function translate(pattern: string): string {
  let out = '';
  let inClass = false;
  let quantifierBrace = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if ((next === 'p' || next === 'P') && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i);
        const name = pattern.slice(i + 3, end).replace(/^Is/, '');
        const posix = POSIX[name];
        out += posix ? (inClass ? posix : next === 'P' ? `[^${posix}]` : `[${posix}]`) : pattern.slice(i, end + 1);
        i = end;
      } else if (next === 'A' && !inClass) {
        out += '^';
        i++;
      } else if ((next === 'z' || next === 'Z') && !inClass) {
        out += '$';
        i++;
      } else if (next === 'h') {
        out += inClass ? HORIZONTAL_SPACE.slice(1, -1) : HORIZONTAL_SPACE;
        i++;
      } else {
        out += c + next;
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
      continue;
    }
    if (c === '(' && pattern.startsWith('(?>', i)) {
      out += '(?:';
      i += 2;
      continue;
    }
    if (c === '{' && /^\{\d/.test(pattern.slice(i, i + 2))) quantifierBrace = true;
    const closesQuantifier = c === '}' && quantifierBrace;
    if (closesQuantifier) quantifierBrace = false;
    out += c;
    // Possessive quantifiers (`*+ ++ ?+ {n}+`) have no JS equivalent: treated as greedy.
    if ((c === '*' || c === '+' || c === '?' || closesQuantifier) && pattern[i + 1] === '+') i++;
  }
  return out;
}

/** A JS RegExp equivalent to the Java pattern (`flags` added, e.g. `g`). Throws on invalid syntax. */
export function javaRegex(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return new RegExp(hit.source, hit.flags);
  let source = pattern;
  let extra = '';
  const inline = /^\(\?([imsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1]!) if (f === 'i' || f === 'm' || f === 's') extra += f;
  }
  source = translate(source);
  const allFlags = [...new Set(flags + extra)].join('');
  let re: RegExp;
  try {
    re = new RegExp(source, allFlags + 'u');
  } catch {
    re = new RegExp(source, allFlags);
  }
  cache.set(key, re);
  return new RegExp(re.source, re.flags);
}

/** Java `String.matches` / `$util.matches`: the whole input must match. */
export function javaMatches(pattern: string, input: string): boolean {
  const re = javaRegex(pattern);
  return new RegExp(`^(?:${re.source})$`, re.flags).test(input);
}

/** Java `String.split(regex, limit)`: trailing empty strings removed when limit is 0; a leading empty match is dropped (Java 8+). */
export function javaSplit(input: string, pattern: string, limit = 0): string[] {
  if (input.length === 0) return [''];
  const parts: string[] = [];
  let last = 0;
  for (const m of input.matchAll(javaRegex(pattern, 'g'))) {
    if (limit > 0 && parts.length === limit - 1) break;
    // A zero-width match at the start never yields a leading empty string (Java 8+).
    if (m[0].length === 0 && (m.index === 0 || m.index >= input.length)) continue;
    parts.push(input.slice(last, m.index));
    last = m.index + m[0].length;
  }
  parts.push(input.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java `Matcher.replaceAll` replacement syntax: `$1`, `${name}`, `\$` → JS `$1`, `$<name>`, `$$`. */
export function javaReplacement(replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i]!;
      out += next === '$' ? '$$' : next;
    } else if (c === '$' && replacement[i + 1] === '{') {
      const end = replacement.indexOf('}', i);
      out += `$<${replacement.slice(i + 2, end)}>`;
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}
