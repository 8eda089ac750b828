/**
 * Turns a run record into the generated part of docs/benchmarks.md (between the GENERATED markers; the
 * hand-written sections around them are kept) and docs/benchmarks-latency.svg (p99 against delivered
 * messages/s, log-log, drawn here without a plotting dependency).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult } from './harness/load';

export interface RunRecord {
  mode: 'smoke' | 'full';
  command: string;
  startedAt: string;
  finishedAt: string;
  pinned: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string; versions: Record<string, string> };
  results: StepResult[];
}

const BEGIN = '<!-- BEGIN GENERATED (bench/report.ts) -->';
const END = '<!-- END GENERATED -->';

const fmt = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

export function markdownTables(record: RunRecord): string {
  const lines: string[] = [];
  const m = record.machine;
  lines.push(
    `Run: \`${record.command}\` (${record.mode}), ${record.startedAt} → ${record.finishedAt}.`,
    `Machine: ${m.cpu}, ${m.cores} vCPU, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}; ` +
      Object.entries(m.versions)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ') +
      `. ${record.pinned ? 'System under test pinned to CPU 0, harness to CPU 1 (taskset).' : 'No CPU pinning.'}`,
    '',
    '| System | Step | ok | valid | offered/s | delivered/s | delivered / expected | p50 ms | p99 ms | p99.9 ms | ack p99 ms | server cores | µs CPU / delivery | µs CPU / mutation | RSS / conn KiB | server loop p99 ms | harness cores |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of record.results) {
    const idle = r.step.workload === 'W1';
    lines.push(
      `| ${r.system} | ${r.step.label} | ${r.ok ? 'yes' : '**no**'} | ${r.valid ? 'yes' : `no (${r.invalidReasons.join('; ')})`} | ${idle ? '–' : r.publish.offeredRate} | ` +
        `${idle ? '–' : r.delivery.deliveredPerSecond} | ${idle ? '–' : `${r.delivery.delivered} / ${r.delivery.expected}`}${r.delivery.foreign ? ` (+${r.delivery.foreign} foreign)` : ''} | ` +
        `${idle ? '–' : fmt(r.latency.p50Ms)} | ${idle ? '–' : fmt(r.latency.p99Ms)} | ${idle ? '–' : fmt(r.latency.p999Ms)} | ${idle ? '–' : fmt(r.ackLatency.p99Ms)} | ` +
        `${fmt(r.server.cpuCores, 3)} | ${fmt(r.server.cpuUsPerDelivery)} | ${fmt(r.server.cpuUsPerMutation, 0)} | ${fmt(r.server.rssPerConnectionKiB)} | ` +
        `${fmt(r.server.eventLoopP99Ms)} | ${fmt(r.harness.cpuCores, 2)} |`,
    );
  }
  const failures = record.results.filter((r) => !r.ok);
  if (failures.length > 0) {
    lines.push('', 'Failed steps:', '');
    for (const r of failures) {
      lines.push(
        `- ${r.system} ${r.step.label}: lost ${r.delivery.lost}, duplicates ${r.delivery.duplicates}, publish errors ${r.publish.errors}` +
          `${r.publish.firstError ? ` (\`${r.publish.firstError.slice(0, 200).replace(/`/g, "'")}\`)` : ''}` +
          `${r.harnessErrors.length ? `; harness: \`${r.harnessErrors.slice(0, 2).join(' | ').slice(0, 300).replace(/`/g, "'")}\`` : ''}`,
      );
    }
  }
  lines.push('', ...ratioTable(record));
  const idle = record.results.filter((r) => r.step.workload === 'W1' && r.ok);
  if (idle.length > 0) {
    lines.push('', 'Idle hold (W1):', '', '| System | Step | connects/s | warm-up ms | idle server cores | RSS before MiB | RSS after connect MiB | RSS / conn KiB |', '|---|---|---|---|---|---|---|---|');
    for (const r of idle) {
      lines.push(
        `| ${r.system} | ${r.step.label} | ${r.setup.connectsPerSecond} | ${r.setup.warmupMs} | ${fmt(r.server.idleCpuCores, 3)} | ${fmt(r.server.rssBeforeMiB)} | ${fmt(r.server.rssAfterConnectMiB)} | ${fmt(r.server.rssPerConnectionKiB)} |`,
      );
    }
  }
  const special = record.results.filter((r) => r.churn || r.storm || r.slow);
  if (special.length > 0) {
    lines.push(
      '',
      'Churn, reconnect storm, slow consumers (W4–W6; delivery figures for these steps are in the main table):',
      '',
      '| System | Step | ok | churn cycles done / planned | churn cycle p50 / p99 ms | storm: reconnected in ms (per s), errors | slow: not reading / closed by server | RSS growth MiB | p99 ms (healthy) |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of special) {
      lines.push(
        `| ${r.system} | ${r.step.label} | ${r.ok ? 'yes' : '**no**'} | ${r.churn ? `${r.churn.completed} / ${r.churn.cycles}` : '–'} | ${r.churn ? `${fmt(r.churn.cycleP50Ms)} / ${fmt(r.churn.cycleP99Ms)}` : '–'} | ` +
          `${r.storm ? `${r.storm.reconnectMs} (${r.storm.reconnectsPerSecond}/s), ${r.storm.errors}` : '–'} | ${r.slow ? `${r.slow.subscribers} / ${r.slow.disconnectedByServer}` : '–'} | ` +
          `${r.slow ? fmt(r.slow.rssGrowthMiB) : fmt(r.server.rssPeakMiB - r.server.rssAfterConnectMiB)} | ${fmt(r.latency.p99Ms)} |`,
      );
    }
  }
  return lines.join('\n');
}

function ratioTable(record: RunRecord): string[] {
  const byKey = new Map<string, StepResult>();
  for (const r of record.results) byKey.set(`${r.system}|${r.step.label}`, r);
  const products = [...new Set(record.results.map((r) => r.system))].filter((s) => s.startsWith('sandbox'));
  const lines = [
    'Ratios at equal offered load (same step, same harness). CPU efficiency = REF µs per delivery ÷ system µs per delivery (1 = as cheap as raw `ws`); p99 ratio = system p99 ÷ REF p99; vs simulator = sandbox delivered/s ÷ simulator delivered/s and simulator µs per delivery ÷ sandbox µs per delivery.',
    '',
    '| Step | System | CPU efficiency vs REF | REF µs/delivery ÷ system (inverse: × REF) | p99 ratio vs REF | RSS/conn ratio vs REF | delivered/s vs simulator | CPU/delivery: simulator ÷ system |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const labels = [...new Set(record.results.map((r) => r.step.label))];
  for (const label of labels) {
    const ref = byKey.get(`ref|${label}`);
    const simulator = byKey.get(`simulator|${label}`);
    for (const product of products) {
      const r = byKey.get(`${product}|${label}`);
      if (!r || !r.ok) continue;
      const efficiency = ref?.server.cpuUsPerDelivery && r.server.cpuUsPerDelivery ? ref.server.cpuUsPerDelivery / r.server.cpuUsPerDelivery : null;
      const times = efficiency ? 1 / efficiency : null;
      const p99 = ref && ref.latency.p99Ms > 0 && r.step.workload !== 'W1' ? r.latency.p99Ms / ref.latency.p99Ms : null;
      const rss = ref && ref.server.rssPerConnectionKiB > 0 ? r.server.rssPerConnectionKiB / ref.server.rssPerConnectionKiB : null;
      const vsSimulator = simulator && simulator.delivery.deliveredPerSecond > 0 && r.step.workload !== 'W1' ? r.delivery.deliveredPerSecond / simulator.delivery.deliveredPerSecond : null;
      const cpuVsSimulator = simulator?.server.cpuUsPerDelivery && r.server.cpuUsPerDelivery ? simulator.server.cpuUsPerDelivery / r.server.cpuUsPerDelivery : null;
      lines.push(`| ${label} | ${product} | ${fmt(efficiency, 3)} | ${times ? `${fmt(times, 1)}×` : '–'} | ${fmt(p99, 2)} | ${fmt(rss, 2)} | ${fmt(vsSimulator, 2)} | ${fmt(cpuVsSimulator, 1)} |`);
    }
  }
  return lines;
}

// ---- SVG ----

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

export function latencySvg(record: RunRecord): string {
  const points = record.results.filter((r) => r.ok && r.step.workload !== 'W1' && r.delivery.deliveredPerSecond > 0 && r.latency.p99Ms > 0);
  const series = new Map<string, StepResult[]>();
  for (const r of points) {
    const key = `${r.system} ${r.step.workload} k=${r.step.conversationSize}`;
    series.set(key, [...(series.get(key) ?? []), r]);
  }
  const width = 900;
  const height = 560;
  const left = 70;
  const right = 260;
  const top = 40;
  const bottom = 60;
  const xs = points.map((r) => r.delivery.deliveredPerSecond);
  const ys = points.map((r) => r.latency.p99Ms);
  const decade = (v: number, up: boolean) => 10 ** (up ? Math.ceil(Math.log10(v)) : Math.floor(Math.log10(v)));
  const xMin = xs.length ? decade(Math.min(...xs), false) : 1;
  const xMax = xs.length ? decade(Math.max(...xs), true) : 10;
  const yMin = ys.length ? decade(Math.min(...ys), false) : 1;
  const yMax = ys.length ? decade(Math.max(...ys), true) : 10;
  const px = (v: number) => left + ((Math.log10(v) - Math.log10(xMin)) / Math.max(1e-9, Math.log10(xMax) - Math.log10(xMin))) * (width - left - right);
  const py = (v: number) => height - bottom - ((Math.log10(v) - Math.log10(yMin)) / Math.max(1e-9, Math.log10(yMax) - Math.log10(yMin))) * (height - top - bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15">p99 send→deliver latency vs delivered messages/s (${escapeXml(record.mode)} run, ${escapeXml(record.startedAt.slice(0, 10))}; log-log)</text>`,
  ];
  for (let v = xMin; v <= xMax * 1.0001; v *= 10) {
    out.push(`<line x1="${px(v)}" y1="${top}" x2="${px(v)}" y2="${height - bottom}" stroke="#ddd"/>`, `<text x="${px(v)}" y="${height - bottom + 18}" text-anchor="middle">${v >= 1000 ? `${v / 1000}k` : v}</text>`);
  }
  for (let v = yMin; v <= yMax * 1.0001; v *= 10) {
    out.push(`<line x1="${left}" y1="${py(v)}" x2="${width - right}" y2="${py(v)}" stroke="#ddd"/>`, `<text x="${left - 8}" y="${py(v) + 4}" text-anchor="end">${v < 1 ? v.toFixed(2) : v} ms</text>`);
  }
  out.push(
    `<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#333"/>`,
    `<text x="${(left + width - right) / 2}" y="${height - 20}" text-anchor="middle">delivered messages/s (at the subscribers)</text>`,
    `<text x="18" y="${(top + height - bottom) / 2}" transform="rotate(-90 18 ${(top + height - bottom) / 2})" text-anchor="middle">p99 latency from scheduled send time</text>`,
  );
  let index = 0;
  for (const [name, rs] of series) {
    const color = COLORS[index % COLORS.length] ?? '#000';
    const dash = name.includes('W3') ? ' stroke-dasharray="6 3"' : '';
    const sorted = [...rs].sort((a, b) => a.delivery.deliveredPerSecond - b.delivery.deliveredPerSecond);
    const path = sorted.map((r, i) => `${i === 0 ? 'M' : 'L'}${px(r.delivery.deliveredPerSecond).toFixed(1)},${py(r.latency.p99Ms).toFixed(1)}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    for (const r of sorted) {
      out.push(
        `<circle cx="${px(r.delivery.deliveredPerSecond).toFixed(1)}" cy="${py(r.latency.p99Ms).toFixed(1)}" r="${r.valid ? 4 : 3}" fill="${r.valid ? color : 'white'}" stroke="${color}"><title>${escapeXml(`${r.system} ${r.step.label}: ${r.delivery.deliveredPerSecond}/s, p99 ${r.latency.p99Ms} ms`)}</title></circle>`,
      );
    }
    const ly = top + 14 + index * 18;
    out.push(`<line x1="${width - right + 12}" y1="${ly - 4}" x2="${width - right + 36}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dash}/>`, `<text x="${width - right + 42}" y="${ly}">${escapeXml(name)}</text>`);
    index += 1;
  }
  out.push(`<text x="${width - right + 12}" y="${top + 14 + index * 18 + 10}" fill="#555">open circle = harness saturated (invalid)</text>`, '</svg>');
  return out.join('\n') + '\n';
}

const TEMPLATE = `# Benchmarks: the real-time path

${BEGIN}
${END}
`;

export function writeReport(root: string, record: RunRecord): void {
  const path = join(root, 'docs', 'benchmarks.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : TEMPLATE;
  const generated = `${BEGIN}\n\n${markdownTables(record)}\n\n![p99 latency vs delivered/s](benchmarks-latency.svg)\n\n${END}`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? current.slice(0, start) + generated + current.slice(end + END.length) : `${current.trimEnd()}\n\n${generated}\n`;
  writeFileSync(path, next);
  writeFileSync(join(root, 'docs', 'benchmarks-latency.svg'), latencySvg(record));
}
