import './page.css';
import './index.ts';
import { html, nothing, render, type TemplateResult } from 'lit';
import type { LogbookActivityLog } from './activity-log.ts';
import type { LogbookAuditLog } from './audit-log.ts';
import type { TokenRequestDetail } from './core.ts';

/**
 * The console page: takes the token from the sign-in link's fragment (`#token=…`), removes it from
 * the address bar and keeps it in memory only, then composes the components its role may use.
 */
interface Claims {
  sub?: string;
  role?: string;
  tenant_id?: string;
  reporting?: boolean | string;
  exp?: number;
}

let token = '';

function takeTokenFromFragment(): void {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromLink = params.get('token');
  if (fromLink) {
    token = fromLink;
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

/** The token's claims, read (not verified: the API does that) to decide what to offer. */
function claimsOf(jwt: string): Claims | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Claims;
  } catch {
    return undefined;
  }
}

type View = 'audit' | 'activity' | 'me' | 'reports' | 'integrity';
const VIEW_LABELS: Record<View, string> = {
  audit: 'Audit log',
  activity: 'Activity log',
  me: 'My activity',
  reports: 'Reports',
  integrity: 'Integrity',
};

const ORG_READERS = new Set(['owner', 'admin', 'hr', 'reporter', 'learning_designer']);

/** What the API lets this role read (API contract, "Identity and access"); the API still decides. */
export function viewsFor(c: Claims): View[] {
  const role = c.role ?? '';
  const audit = role === 'owner' || role === 'admin';
  const activity =
    ORG_READERS.has(role) || role === 'manager' || (role === 'curator' && String(c.reporting) === 'true');
  const views: View[] = [];
  if (audit) views.push('audit');
  if (activity) views.push('activity');
  views.push('me');
  if (audit || activity) views.push('reports');
  if (audit) views.push('integrity');
  return views;
}

function newTokenCommand(c: Claims | undefined): string {
  const tenant = c?.tenant_id ?? 'demo';
  const role = c?.role ?? 'owner';
  const sub = c?.sub ?? 'u-olivia';
  return `npm run token -- --tenant ${tenant} --role ${role} --sub ${sub} --expires 12h`;
}

function signInLink(): string {
  return `${window.location.origin}${window.location.pathname}#token=<token>`;
}

function showAlert(content: TemplateResult | typeof nothing): void {
  render(content, document.getElementById('alerts')!);
}

function renderSignIn(reason: string): void {
  document.getElementById('who')!.textContent = '';
  document.getElementById('sign-out')!.hidden = true;
  render(
    html`<section class="card signin" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <p>${reason}</p>
      <p>
        Open one of the sign-in links that <code>npm start</code> printed (owner, manager or learner), or mint a
        token and open the console with it:
      </p>
      <p><code>${newTokenCommand(undefined)}</code></p>
      <p>then open <code>${signInLink()}</code>. The console keeps the token in this tab's memory only.</p>
    </section>`,
    document.getElementById('main')!,
  );
}

let current: View = 'audit';
/** Each view's component is made the first time its tab opens, and kept (with its filters) after. */
let mount: (view: View) => void = () => undefined;

function selectTab(view: View, focus = false): void {
  current = view;
  mount(view);
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    const selected = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && focus) tab.focus();
  }
  for (const panel of document.querySelectorAll<HTMLElement>('[role="tabpanel"]')) {
    panel.hidden = panel.dataset.view !== view;
  }
}

function onTabKey(e: KeyboardEvent, views: View[]): void {
  const i = views.indexOf(current);
  const next =
    e.key === 'ArrowRight'
      ? views[(i + 1) % views.length]
      : e.key === 'ArrowLeft'
        ? views[(i - 1 + views.length) % views.length]
        : e.key === 'Home'
          ? views[0]
          : e.key === 'End'
            ? views[views.length - 1]
            : undefined;
  if (!next) return;
  e.preventDefault();
  selectTab(next, true);
}

/** A saved report's filters as a log's query: a relative range becomes from/to. */
function queryOf(filters: Record<string, unknown>): Record<string, unknown> {
  const { range, ...rest } = filters;
  const days = range === 'last7d' ? 7 : range === 'last30d' ? 30 : range === 'last90d' ? 90 : 0;
  if (days) rest.from = new Date(Date.now() - days * 86_400_000).toISOString();
  return rest;
}

function renderConsole(claims: Claims): void {
  const views = viewsFor(claims);
  const manager = claims.role === 'manager';
  const panel = (view: View) => {
    switch (view) {
      case 'audit':
        return html`<logbook-audit-log></logbook-audit-log>`;
      case 'activity':
        return html`<logbook-activity-log scopes=${manager ? 'managed' : 'company team group managed'}></logbook-activity-log>`;
      case 'me':
        return html`<logbook-activity-log mode="me"></logbook-activity-log>`;
      case 'reports':
        return html`<logbook-reports></logbook-reports>`;
      case 'integrity':
        return html`<logbook-integrity></logbook-integrity>`;
    }
  };
  document.getElementById('who')!.textContent =
    `Signed in as ${claims.sub ?? '?'} (${claims.role ?? '?'}) in ${claims.tenant_id ?? '?'}`;
  document.getElementById('sign-out')!.hidden = false;
  render(
    html`<div role="tablist" aria-label="Views" @keydown=${(e: KeyboardEvent) => onTabKey(e, views)}>
        ${views.map(
          (
            v,
          ) => html`<button role="tab" type="button" id=${`tab-${v}`} data-view=${v} aria-controls=${`panel-${v}`} @click=${() => selectTab(v)}>
            ${VIEW_LABELS[v]}
          </button>`,
        )}
      </div>
      ${views.map(
        (v) =>
          html`<div class="panel" role="tabpanel" id=${`panel-${v}`} data-view=${v} aria-labelledby=${`tab-${v}`} hidden></div>`,
      )}
      ${views.includes('reports') ? html`<div class="card"><logbook-exports></logbook-exports></div>` : nothing}`,
    document.getElementById('main')!,
  );
  const mounted = new Set<View>();
  mount = (view) => {
    const target = document.getElementById(`panel-${view}`);
    if (mounted.has(view) || !target) return;
    mounted.add(view);
    render(panel(view), target);
  };
  selectTab(views[0]!);
}

function main(): void {
  takeTokenFromFragment();
  // Every component asks the page for the token when it calls the API.
  document.addEventListener('logbook-token-request', (e) => {
    (e as CustomEvent<TokenRequestDetail>).detail.token = token;
  });
  document.addEventListener('logbook-unauthorized', () => {
    const claims = claimsOf(token);
    showAlert(html`<strong>Your sign-in was refused</strong> (the token has expired or is not valid). Get a new token with
      <code>${newTokenCommand(claims)}</code> and open <code>${signInLink()}</code>.`);
  });
  document.addEventListener('logbook-report-open', (e) => {
    const report = (
      e as CustomEvent<{ report: { log: 'audit' | 'activity'; filters: Record<string, unknown> } }>
    ).detail.report;
    selectTab(report.log);
    const el = document.querySelector<LogbookAuditLog | LogbookActivityLog>(
      report.log === 'audit' ? 'logbook-audit-log' : 'logbook-activity-log:not([mode="me"])',
    );
    void el?.applyFilters(queryOf(report.filters) as never);
  });
  document.getElementById('sign-out')!.addEventListener('click', () => {
    token = '';
    showAlert(nothing);
    renderSignIn('You have signed out. The token is gone from this page.');
  });
  const claims = token ? claimsOf(token) : undefined;
  if (!claims) {
    renderSignIn(
      token ? 'That sign-in link does not hold a readable token.' : 'This console needs a sign-in link.',
    );
    return;
  }
  if (claims.exp && claims.exp * 1000 < Date.now()) {
    showAlert(
      html`<strong>This sign-in link has expired.</strong> Get a new token with <code>${newTokenCommand(claims)}</code>.`,
    );
  }
  renderConsole(claims);
}

main();
