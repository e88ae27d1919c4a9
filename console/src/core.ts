import { createLogbookClient, type LogbookClient, LogbookError } from '@logbook/client';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';

/**
 * What every Logbook component shares: `api-url`, the token provider (the `token` property, or a
 * `logbook-token-request` event answered by the host page), the typed client, the designed
 * empty/loading/error states and the styles behind the CSS custom properties and parts.
 */
export type TokenProvider = string | (() => string | Promise<string>);

/** Answered by a host that keeps the token: `event.detail.token = '…'` (or a promise of it). */
export interface TokenRequestDetail {
  token?: string | Promise<string>;
}

export type ViewState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'error'; status: number; message: string };

export class LogbookElement extends LitElement {
  static override properties = {
    apiUrl: { attribute: 'api-url' },
    token: { attribute: false },
  };

  /** Where the API is; default: the page's own origin. */
  declare apiUrl: string | null;
  /** A token, or a function that returns one (called before every request). */
  declare token: TokenProvider | undefined;

  #client: LogbookClient | undefined;
  #clientFor: string | undefined;

  constructor() {
    super();
    this.apiUrl = null;
    this.token = undefined;
  }

  protected async resolveToken(): Promise<string> {
    if (this.token) return typeof this.token === 'function' ? await this.token() : this.token;
    const detail: TokenRequestDetail = {};
    this.dispatchEvent(new CustomEvent('logbook-token-request', { detail, bubbles: true, composed: true }));
    return (await detail.token) ?? '';
  }

  protected get baseUrl(): string {
    return (this.apiUrl ?? window.location.origin).replace(/\/$/, '');
  }

  protected get client(): LogbookClient {
    if (!this.#client || this.#clientFor !== this.baseUrl) {
      this.#clientFor = this.baseUrl;
      this.#client = createLogbookClient({
        baseUrl: this.baseUrl,
        token: () => this.resolveToken(),
        retries: 2,
      });
    }
    return this.#client;
  }

  /** A failed call as a view state; a 401 is also announced to the page (`logbook-unauthorized`). */
  protected failure(err: unknown): ViewState {
    const status = err instanceof LogbookError ? err.status : 0;
    if (status === 401) {
      this.dispatchEvent(new CustomEvent('logbook-unauthorized', { bubbles: true, composed: true }));
    }
    return { kind: 'error', status, message: describeFailure(err) };
  }

  protected emit<T>(name: string, detail: T): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }),
    );
  }
}

export function describeFailure(err: unknown): string {
  if (!(err instanceof LogbookError))
    return 'The Logbook API could not be reached. Check that it is running.';
  switch (err.status) {
    case 401:
      return 'Your sign-in has expired or is not valid. Get a new token with `npm run token` and open the console with it.';
    case 403:
      return 'Your role does not give access to this. Ask an owner or admin if you need it.';
    case 429:
      return 'Too many requests right now. Wait a moment and try again.';
    default: {
      const problem = err.problem as {
        detail?: string;
        title?: string;
        message?: string;
        errors?: { path: string; message: string }[];
      };
      const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
      return (
        fields || problem.detail || problem.title || problem.message || `The API answered ${err.status}.`
      );
    }
  }
}

/** Loading, error and empty states, drawn the same way in every component. */
export function renderState(
  state: ViewState,
  empty: { when: boolean; text: string },
): TemplateResult | typeof nothing {
  if (state.kind === 'loading') {
    return html`<p class="state" part="state loading" role="status">Loading…</p>`;
  }
  if (state.kind === 'error') {
    const title =
      state.status === 403
        ? 'Not available for your role'
        : state.status === 401
          ? 'Signed out'
          : 'Something went wrong';
    return html`<div class="state error" part="state error" role="alert">
      <strong>${title}</strong>
      <p>${state.message}</p>
    </div>`;
  }
  if (state.kind === 'ready' && empty.when) {
    return html`<p class="state" part="state empty" role="status">${empty.text}</p>`;
  }
  return nothing;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp in the browser's time zone, the UTC value on hover. */
export function renderTime(iso: string | undefined | null): TemplateResult | string {
  if (!iso) return '';
  const at = new Date(iso);
  return html`<time datetime=${iso} title=${`${iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
    .replace(/Z$/, '')} UTC`}
    >${timeFormat.format(at)}</time
  >`;
}

/** `2026-11-01` (a date input) → the start of that day in the browser's time zone, in UTC. */
export function localDateToIso(date: string, endOfDay = false): string | undefined {
  if (!date) return undefined;
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, endOfDay ? d + 1 : d).toISOString();
}

/** A timestamp → the browser-local date a date input shows (`2026-11-01`). */
export function isoToLocalDate(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}

/** Comma-separated ids → a list, or undefined when empty. */
export function list(value: string): string[] | undefined {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** Drops undefined and empty values, so a query or saved filter carries only what was chosen. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}

/** The styles every component shares; hosts theme them through the `--logbook-*` properties. */
export const baseStyles = css`
  :host {
    display: block;
    min-width: 0;
    max-width: 100%;
    font-family: var(--logbook-font, system-ui, sans-serif);
    color: var(--logbook-text, #1b1f24);
    --_accent: var(--logbook-accent, #0b5cad);
    --_border: var(--logbook-border, #c9d1d9);
    --_muted: var(--logbook-muted, #4d5661);
    --_surface: var(--logbook-surface, #ffffff);
    --_stripe: var(--logbook-stripe, #f4f6f8);
    --_danger: var(--logbook-danger, #a4262c);
    --_radius: var(--logbook-radius, 6px);
    font-size: var(--logbook-font-size, 0.95rem);
  }
  :host([hidden]) {
    display: none;
  }
  h2 {
    font-size: 1.2rem;
    margin: 0 0 0.75rem;
  }
  form.filters {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1rem;
    align-items: flex-end;
    margin-bottom: 0.75rem;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.4rem 0.75rem 0.6rem;
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: flex-end;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
  }
  .field label {
    font-weight: 600;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.35rem;
  }
  input,
  select,
  button {
    font: inherit;
  }
  input:not([type='checkbox']):not([type='radio']),
  select {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.3rem 0.45rem;
    background: var(--_surface);
    color: inherit;
    min-width: 9rem;
  }
  button {
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_accent);
    padding: 0.35rem 0.8rem;
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    color: #fff;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  :is(button, input, select, a, [tabindex]):focus-visible {
    outline: 3px solid var(--logbook-focus, #f2a900);
    outline-offset: 2px;
  }
  details.more {
    flex-basis: 100%;
  }
  details.more summary {
    cursor: pointer;
    color: var(--_accent);
    margin-bottom: 0.5rem;
  }
  details.more[open] > div {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0.5rem 0;
  }
  .scroll {
    overflow-x: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  table {
    border-collapse: collapse;
    width: 100%;
    background: var(--_surface);
  }
  caption {
    text-align: left;
    padding: 0.5rem 0.6rem;
    color: var(--_muted);
  }
  td {
    white-space: nowrap;
  }
  td.wide {
    white-space: normal;
    min-width: 18rem;
  }
  form.save {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 0.75rem;
    align-items: flex-end;
    margin-left: auto;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.4rem 0.6rem;
    border-top: 1px solid var(--_border);
  }
  th {
    white-space: nowrap;
    background: var(--logbook-header, #eef1f4);
  }
  tbody th {
    background: transparent;
  }
  tbody tr:nth-child(even) {
    background: var(--_stripe);
  }
  time {
    white-space: nowrap;
    text-decoration: underline dotted;
  }
  .state {
    padding: 1rem;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
  }
  .state.error {
    border: 1px solid var(--_danger);
    color: var(--_danger);
    background: var(--logbook-danger-surface, #fdf2f2);
  }
  .state.error p {
    margin: 0.25rem 0 0;
  }
  .pager {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    margin-top: 0.6rem;
  }
  .muted {
    color: var(--_muted);
  }
  .hint {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .tag {
    display: inline-block;
    border-radius: 999px;
    padding: 0.05rem 0.5rem;
    border: 1px solid var(--_border);
    white-space: nowrap;
  }
  .ok {
    color: var(--logbook-ok, #1a7f37);
  }
  .bad {
    color: var(--_danger);
  }
`;

/** Registers a component once, so two bundles on one page do not collide. */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
