// One HTML page with every run side by side: its chart, its checks and the article claims it tests.
import type { RunRecord } from '../run/run-record.ts';
import { interpret } from './interpret.ts';
import { overviewTable } from './overview.ts';
import { headline, type UnrunLab } from './unrun-lab.ts';
import { capacityChartSvg } from './capacity-chart.ts';
import { describeCapacitySearch, describeClient, describeGunicorn, describeMemory, describeNginx, describeFrontLines } from './terminal.ts';

const escapeHtml = (text: string) => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
// Prose with `code` in it, as the hypotheses and the next steps write it: escaped, the backticks as <code>.
export const inlineHtml = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

// The lab that proves each remedy a next step names, by the words that name it (the request's buffering before the
// response's, whose name it contains).
const REMEDY_LABS: ReadonlyArray<[RegExp, string]> = [
  [/proxy_request_buffering/, 'slow-upload-buffered'],
  [/proxy_buffering|buffering proxy/, 'proxy-buffering-on'],
  [/gevent/, 'gevent-worker'],
  [/gthread/, 'gthread-worker'],
  [/raise Gunicorn's `--timeout`/, 'raised-timeout'],
  [/X-Accel-Redirect/, 'x-accel-redirect'],
];

export function remedyLabs(step: string): string[] {
  return REMEDY_LABS.filter(([words]) => words.test(step)).map(([, lab]) => lab);
}

// labHref: where a lab's entry in docs/labs.md is, from the report's folder; null: no links.
function nextStepHtml(step: string, labHref: ((lab: string) => string) | null): string {
  const labs = labHref ? remedyLabs(step) : [];
  const proof = labs.length
    ? ` <span class="proof">(proved by ${labs.map((lab) => `<a href="${escapeHtml(labHref!(lab))}">${lab}</a>`).join(', ')})</span>`
    : '';
  return `<p class="reading">${inlineHtml(step)}${proof}</p>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
h1 { font-size: 1.4rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(560px, 100%), 1fr)); gap: 1rem; }
code { font-family: ui-monospace, monospace; font-size: 0.9em; background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; }
.proof { font-size: 0.8rem; color: #555; }
.lab { border: 1px solid #ddd; border-radius: 6px; padding: 0.8rem; }
.lab.pass { border-top: 4px solid #2ca02c; } .lab.fail { border-top: 4px solid #d62728; }
.lab h2 { font-size: 1.05rem; margin: 0 0 0.3rem; }
.hypothesis { font-style: italic; margin: 0.2rem 0 0.5rem; }
.description, .observed { font-size: 0.8rem; color: #555; margin: 0.2rem 0; }
table { border-collapse: collapse; font-size: 0.8rem; width: 100%; margin-top: 0.4rem; }
table.overview { width: auto; margin-bottom: 1rem; }
td, th { border-bottom: 1px solid #eee; padding: 0.2rem 0.3rem; text-align: left; vertical-align: top; }
.ok { color: #2ca02c; } .no { color: #d62728; }
.claim { font-size: 0.8rem; margin-top: 0.4rem; }
.reading { font-size: 0.85rem; margin: 0.3rem 0; padding-left: 0.5rem; border-left: 3px solid #1f77b4; }
`;

function overviewHtml(runs: readonly RunRecord[]): string {
  if (new Set(runs.map((r) => r.name)).size < 2) return '';
  const { header, rows } = overviewTable(runs);
  const td = (c: string) => `<td class="${c.startsWith('✔') ? 'ok' : c.startsWith('✘') ? 'no' : ''}">${escapeHtml(c)}</td>`;
  return `<h2>Overview: did the client get the whole body, and at what cost</h2>
<table class="overview"><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>
${rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n')}</table>
<p class="observed">Memory is the container's peak (Nginx's includes its temp files); Gunicorn busy is its request's time, or the kill's; first byte is the client's first body byte.</p>`;
}

export function renderHtml(
  runs: readonly RunRecord[],
  charts: ReadonlyMap<RunRecord, string>,
  unrun: readonly UnrunLab[] = [],
  title = 'Gunicorn slow-client lab',
  labHref: ((lab: string) => string) | null = null,
): string {
  const passed = runs.filter((r) => r.verdict.passed).length;
  const cards = runs.map((run) => {
    const o = run.observation;
    const nginx = describeNginx(o);
    const front = describeFrontLines(o);
    const checks = run.verdict.checks
      .map(
        (c) =>
          `<tr><td class="${c.passed ? 'ok' : 'no'}">${c.passed ? '✔' : '✘'}</td><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.expected)}</td><td>${escapeHtml(c.actual)}</td></tr>`,
      )
      .join('');
    const claims = run.claims.map((c) => `<div class="claim"><strong>${c.status}</strong>: “${inlineHtml(c.quote)}”</div>`).join('');
    return `<section class="lab ${run.verdict.passed ? 'pass' : 'fail'}">
<h2>${escapeHtml(run.name)} <small>(${run.release})</small> — ${run.verdict.passed ? 'PASS' : 'FAIL'}</h2>
<p class="hypothesis">${inlineHtml(run.hypothesis)}</p>
<p class="description">${escapeHtml(run.description)}</p>
${(run.notes ?? []).map((n) => `<p class="observed">note: ${escapeHtml(n)}</p>`).join('\n')}
${charts.get(run) ?? (o.capacitySearch ? capacityChartSvg(o.capacitySearch) : '')}
<p class="observed">${o.capacitySearch ? `capacity: ${escapeHtml(describeCapacitySearch(o.capacitySearch))}` : `client: ${escapeHtml(describeClient(o))}`}</p>
<p class="observed">gunicorn: ${escapeHtml(describeGunicorn(o))}</p>
${nginx ? `<p class="observed">nginx: ${escapeHtml(nginx)}</p>` : ''}
${front ? `<p class="observed">front: ${escapeHtml(front)}</p>` : ''}
<p class="observed">memory: ${escapeHtml(describeMemory(o))}</p>
${interpret(o)
  .map((r) => `<p class="reading">${inlineHtml(r)}</p>`)
  .join('\n')}
<table><tr><th></th><th>check</th><th>expected</th><th>observed</th></tr>${checks}</table>
${claims}
${run.next?.length ? `<h3>What to do next</h3>\n${run.next.map((n) => nextStepHtml(n, labHref)).join('\n')}` : ''}
</section>`;
  });
  // One run with a title of its own (a check) is titled by it alone.
  const own = runs.length === 1 && !unrun.length ? runs[0]!.title : undefined;
  const heading = own ?? `${title}: ${headline(passed, runs.length, unrun)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(own ?? title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(heading)}</h1>
${overviewHtml(runs)}
<div class="grid">
${[...unrun.map((u) => `<section class="lab fail"><h2>${escapeHtml(u.key)} — COULD NOT RUN</h2><p class="observed">${escapeHtml(u.message)}</p></section>`), ...cards].join('\n')}
</div></body></html>
`;
}
