import type { AuditFilters, Schemas } from '@logbook/client';
import { css, html, nothing, type TemplateResult } from 'lit';
import {
  baseStyles,
  compact,
  define,
  list,
  localDateToIso,
  renderState,
  renderTime,
  type ViewState,
} from './core.ts';
import { LogView } from './log-view.ts';

type AuditItem = Schemas['AuditListItem'];
type AuditEntry = Schemas['AuditEntry'];
type Catalog = Schemas['Catalog'];
type Filters = Omit<AuditFilters, 'cursor' | 'limit'>;

/** The audit CSV's columns, in order (the table shows the same headers). */
export const AUDIT_COLUMNS = [
  'Happened at',
  'Actor',
  'Actor ID',
  'Event',
  'Type',
  'Object name',
  'Object ID',
  'On behalf of',
  'Source',
  'IP address',
  'Summary',
  'Changes',
] as const;

const REDACTED = /\[REDACTED\]|%5BREDACTED%5D/i;

/** A value from `changes` or `details`, with redacted values marked. */
function renderValue(value: unknown): TemplateResult | string {
  if (value === undefined) return html`<span class="muted">—</span>`;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (!REDACTED.test(text)) return html`<span class="value">${text}</span>`;
  return html`<span class="value redacted" part="redacted"
    ><span class="badge">Redacted</span> ${text}<span class="sr-only"> (the sensitive part was removed before storage)</span></span
  >`;
}

/**
 * `<logbook-audit-log>`: the audit log with the seeds' filters (Actor, Event, Type, Object name,
 * IP address, System, Source, Timespan and the API's request/course filters), a table with the
 * audit CSV's columns, paging by cursor, and each entry's details with before and after side by side.
 */
export class LogbookAuditLog extends LogView<AuditItem, Filters> {
  static override properties = {
    ...LogView.properties,
    catalog: { state: true },
    entry: { state: true },
    entryState: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      dialog {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        max-width: min(60rem, 95vw);
        width: 100%;
        padding: 1rem 1.25rem;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 35%);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 1rem;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .value {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .redacted .badge {
        background: var(--logbook-redacted, #7a4d00);
        color: #fff;
        border-radius: 4px;
        padding: 0 0.35rem;
        font-size: 0.8em;
        font-weight: 600;
      }
      .changes th,
      .changes td {
        width: 33%;
      }
      form.close {
        margin-top: 1rem;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--_stripe);
        padding: 0.5rem;
        border-radius: var(--_radius);
      }
    `,
  ];

  declare catalog: Catalog | undefined;
  declare entry: AuditEntry | undefined;
  declare entryState: ViewState;
  protected readonly log = 'audit' as const;

  constructor() {
    super();
    this.catalog = undefined;
    this.entry = undefined;
    this.entryState = { kind: 'idle' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.client
      .catalog()
      .then((c) => {
        this.catalog = c;
      })
      .catch(() => undefined);
  }

  protected fetchPage(filters: Filters, cursor: string | undefined) {
    return this.client.auditEvents.page({ ...filters, limit: this.pageSize, ...(cursor ? { cursor } : {}) });
  }

  protected readFilters(form: HTMLFormElement): Filters {
    const d = new FormData(form);
    const s = (name: string) => String(d.get(name) ?? '').trim();
    const system = s('system');
    return compact({
      actorId: list(s('actorId')),
      action: list(s('action')) as Filters['action'],
      objectType: list(s('objectType')) as Filters['objectType'],
      objectName: s('objectName') || undefined,
      ip: s('ip') || undefined,
      system: system === '' ? undefined : system === 'true',
      source: list(s('source')) as Filters['source'],
      from: localDateToIso(s('from')),
      to: localDateToIso(s('to'), true),
      objectId: list(s('objectId')),
      subjectId: list(s('subjectId')),
      requestMethod: list(s('requestMethod')),
      requestStatus: list(s('requestStatus'))?.map(Number),
      requestUrl: s('requestUrl') || undefined,
      requestContentType: list(s('requestContentType')),
      courseId: list(s('courseId')),
      classId: list(s('classId')),
      order: (s('order') || undefined) as Filters['order'],
    });
  }

  async openDetails(id: string): Promise<void> {
    this.entry = undefined;
    this.entryState = { kind: 'loading' };
    this.renderRoot.querySelector('dialog')?.showModal();
    try {
      this.entry = await this.client.auditEvents.get(id);
      this.entryState = { kind: 'ready' };
    } catch (err) {
      this.entryState = this.failure(err);
    }
  }

  private options(entries: { value: string; label: string }[] | undefined, any = 'Any') {
    return html`<option value="">${any}</option>
      ${(entries ?? []).map((e) => html`<option value=${e.value}>${e.label}</option>`)}`;
  }

  private field(id: string, label: string, control: TemplateResult): TemplateResult {
    return html`<span class="field"><label for=${id}>${label}</label>${control}</span>`;
  }

  private text(name: string, label: string, hint = ''): TemplateResult {
    return this.field(
      name,
      label,
      html`<input id=${name} name=${name} autocomplete="off" placeholder=${hint} />`,
    );
  }

  private renderFilters() {
    const c = this.catalog;
    return html`<form class="filters" part="filters" aria-label="Audit log filters" @submit=${this.onSubmit}>
      ${this.text('actorId', 'Actor', 'user id, e.g. u-adam')}
      ${this.field('action', 'Event', html`<select id="action" name="action">${this.options(c?.actions)}</select>`)}
      ${this.field('objectType', 'Type', html`<select id="objectType" name="objectType">${this.options(c?.objectTypes)}</select>`)}
      ${this.text('objectName', 'Object name')} ${this.text('ip', 'IP address', 'address or CIDR')}
      ${this.field(
        'system',
        'System',
        html`<select id="system" name="system">
          <option value="">People and systems</option>
          <option value="true">System events only</option>
          <option value="false">People only</option>
        </select>`,
      )}
      ${this.field('source', 'Source', html`<select id="source" name="source">${this.options(c?.sources)}</select>`)}
      <fieldset>
        <legend>Timespan</legend>
        ${this.field('from', 'From', html`<input id="from" name="from" type="date" />`)}
        ${this.field('to', 'To', html`<input id="to" name="to" type="date" />`)}
      </fieldset>
      <details class="more">
        <summary>More filters</summary>
        <div>
          ${this.text('objectId', 'Object ID')} ${this.text('subjectId', 'On behalf of', 'person id')}
          ${this.text('requestMethod', 'Request method', 'e.g. PATCH')}
          ${this.text('requestStatus', 'Request status', 'e.g. 200')} ${this.text('requestUrl', 'Request URL', 'prefix')}
          ${this.text('requestContentType', 'Request content type')} ${this.text('courseId', 'Course ID')}
          ${this.text('classId', 'Class ID')}
          ${this.field(
            'order',
            'Order',
            html`<select id="order" name="order">
              <option value="">Newest first</option>
              <option value="asc">Oldest first</option>
            </select>`,
          )}
        </div>
      </details>
      <button class="primary" type="submit">Apply filters</button>
    </form>`;
  }

  private renderTable() {
    if (this.state.kind !== 'ready' || this.items.length === 0) return nothing;
    return html`<div class="scroll" part="table-wrapper" tabindex="0" role="region" aria-label="Audit log entries">
      <table part="table">
        <caption>
          Audit log entries, newest first unless ordered otherwise. Times in your time zone; hover for UTC.
        </caption>
        <thead>
          <tr>
            ${AUDIT_COLUMNS.map((h) => html`<th scope="col">${h}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${this.items.map(
            (e) => html`<tr part="row">
              <td>${renderTime(e.occurredAt)}</td>
              <td>${e.actor.name}${e.impersonator ? html`<div class="hint">as ${e.impersonator.name}</div>` : nothing}</td>
              <td>${e.actor.id ?? ''}</td>
              <td>${this.label(this.catalog?.actions, e.action)}</td>
              <td>${this.label(this.catalog?.objectTypes, e.object.type)}</td>
              <td>${e.object.name ?? ''}</td>
              <td>${e.object.id}</td>
              <td>${e.subject?.name ?? ''}</td>
              <td>${e.attribution}</td>
              <td>${e.ip ?? ''}</td>
              <td class="wide">${e.summary}</td>
              <td><button type="button" @click=${() => this.openDetails(e.id)}>View details</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private label(entries: { value: string; label: string }[] | undefined, value: string): string {
    return entries?.find((e) => e.value === value)?.label ?? value;
  }

  private renderDetails() {
    const e = this.entry;
    return html`<dialog part="details" aria-labelledby="details-title" @close=${() => (this.entry = undefined)}>
      <h2 id="details-title">Entry details</h2>
      ${renderState(this.entryState, { when: false, text: '' })}
      ${
        e
          ? html`<p>${e.summary}</p>
              <dl>
                <dt>Happened at</dt>
                <dd>${renderTime(e.occurredAt)}</dd>
                <dt>Recorded at</dt>
                <dd>${renderTime(e.recordedAt)}</dd>
                <dt>Actor</dt>
                <dd>${e.actor.name}${e.actor.email ? ` <${e.actor.email}>` : ''} (${e.actor.type}${e.actor.id ? `, ${e.actor.id}` : ''})</dd>
                ${e.impersonator ? html`<dt>Logged in as by</dt><dd>${e.impersonator.name} (${e.impersonator.id})</dd>` : nothing}
                <dt>Event</dt>
                <dd>${this.label(this.catalog?.actions, e.action)}</dd>
                <dt>Object</dt>
                <dd>${e.object.name ?? ''} (${e.object.type}, ${e.object.id})</dd>
                ${e.subject ? html`<dt>On behalf of</dt><dd>${e.subject.name} (${e.subject.id})</dd>` : nothing}
                <dt>Source</dt>
                <dd>${e.attribution}</dd>
                ${e.ip ? html`<dt>IP address</dt><dd>${e.ip}</dd>` : nothing}
                ${e.userAgent ? html`<dt>User agent</dt><dd>${e.userAgent}</dd>` : nothing}
                ${e.request ? html`<dt>Request</dt><dd>${e.request.method} ${renderValue(e.request.url)} → ${e.request.status}</dd>` : nothing}
                ${e.context?.courseTitle ? html`<dt>Course</dt><dd>${e.context.courseTitle}</dd>` : nothing}
                ${e.context?.classTitle ? html`<dt>Class</dt><dd>${e.context.classTitle}</dd>` : nothing}
                <dt>Entry ID</dt>
                <dd>${e.id}</dd>
              </dl>
              ${
                e.changes?.length
                  ? html`<table class="changes" part="changes">
                      <caption>
                        Changes: before and after
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">Field</th>
                          <th scope="col">Before</th>
                          <th scope="col">After</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${e.changes.map(
                          (c) => html`<tr>
                            <th scope="row">${c.field}</th>
                            <td>${renderValue(c.before)}</td>
                            <td>${renderValue(c.after)}</td>
                          </tr>`,
                        )}
                      </tbody>
                    </table>`
                  : html`<p class="muted">No field changes were recorded for this entry.</p>`
              }
              ${e.details ? html`<h3>Details</h3><pre>${renderValue(e.details)}</pre>` : nothing}`
          : nothing
      }
      <form method="dialog" class="close"><button class="primary">Close</button></form>
    </dialog>`;
  }

  override render() {
    return html`<section part="container" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      ${this.renderFilters()} ${this.renderActions()}
      ${renderState(this.state, {
        when: this.items.length === 0,
        text: 'No audit entries match these filters. Widen the timespan (the default is the last 3 months) or clear a filter.',
      })}
      ${this.renderTable()} ${this.renderPager()} ${this.renderDetails()}
    </section>`;
  }
}

define('logbook-audit-log', LogbookAuditLog);

declare global {
  interface HTMLElementTagNameMap {
    'logbook-audit-log': LogbookAuditLog;
  }
}
