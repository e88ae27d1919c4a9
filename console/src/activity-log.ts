import type { ActivityFilters, Schemas } from '@logbook/client';
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  baseStyles,
  compact,
  define,
  duration,
  list,
  localDateToIso,
  renderState,
  renderTime,
} from './core.ts';
import { LogView } from './log-view.ts';
import type { PickerSearch } from './picker.ts';

type ActivityEntry = Schemas['ActivityEntry'];
type Catalog = Schemas['Catalog'];
type Filters = Omit<ActivityFilters, 'cursor' | 'limit'>;
type Scope = NonNullable<Filters['scope']>;

/** The activity CSV's columns the table shows (the directory's person columns stay in the file). */
export const ACTIVITY_COLUMNS = [
  'Happened at',
  'Action',
  'Activity description',
  'Title',
  'Type',
  'Content Type',
  'Unique ID',
  'Completed',
  'Expired at',
  'Tags',
  'E-learning / Quiz result',
  'E-learning / Quiz score',
  'E-learning / Quiz total time',
  'Certificate expires at',
] as const;

const SCOPES: { value: Scope; label: string }[] = [
  { value: 'company', label: 'Company' },
  { value: 'team', label: 'Team' },
  { value: 'group', label: 'Group' },
  { value: 'managed', label: 'My reports' },
];

/**
 * `<logbook-activity-log>`: the activity log. `mode="me"` shows the caller's own activity (every
 * role has it); `scopes` lists the scopes offered (default all four: a manager's page offers
 * `managed` only). Filters as the seeds name them; the table shows descriptions, e-learning
 * results, scores and certificate expiry.
 */
export class LogbookActivityLog extends LogView<ActivityEntry, Filters> {
  static override properties = {
    ...LogView.properties,
    mode: { reflect: true },
    scopes: {},
    scope: { state: true },
    catalog: { state: true },
  };
  static override styles = [baseStyles];

  /** `log` (default): `GET /v1/activity`; `me`: `GET /v1/me/activity`. */
  declare mode: 'log' | 'me';
  /** Space-separated scopes to offer: `company team group managed`. */
  declare scopes: string;
  declare scope: Scope;
  declare catalog: Catalog | undefined;
  protected readonly log = 'activity' as const;

  constructor() {
    super();
    this.mode = 'log';
    this.scopes = 'company team group managed';
    this.scope = 'company';
    this.catalog = undefined;
  }

  private get offered(): typeof SCOPES {
    const wanted = this.scopes.split(/\s+/);
    return SCOPES.filter((s) => wanted.includes(s.value));
  }

  override connectedCallback(): void {
    const first = this.offered[0]?.value ?? 'company';
    if (!this.offered.some((s) => s.value === this.scope)) this.scope = first;
    if (this.mode !== 'me') this.filters = { scope: this.scope };
    super.connectedCallback();
    this.client
      .catalog()
      .then((c) => {
        this.catalog = c;
      })
      .catch(() => undefined);
  }

  override async applyFilters(filters: Filters): Promise<void> {
    if (filters.scope && this.offered.some((s) => s.value === filters.scope)) this.scope = filters.scope;
    await super.applyFilters(filters);
  }

  protected fetchPage(filters: Filters, cursor: string | undefined) {
    const query = { ...filters, limit: this.pageSize, ...(cursor ? { cursor } : {}) };
    if (this.mode === 'me') {
      const {
        scope: _s,
        teamId: _t,
        includeSubTeams: _i,
        primaryOnly: _p,
        groupId: _g,
        managerId: _m,
        includeSubManagers: _sm,
        userId: _u,
        includeDeactivated: _d,
        ...own
      } = query;
      return this.client.activity.mine(own);
    }
    return this.client.activity.page(query);
  }

  protected readFilters(form: HTMLFormElement): Filters {
    const d = new FormData(form);
    const s = (name: string) => String(d.get(name) ?? '').trim();
    const on = (name: string) => (d.get(name) ? true : undefined);
    const completed = s('completed');
    const scope = this.mode === 'me' ? undefined : this.scope;
    return compact({
      scope,
      teamId: list(s('teamId')),
      includeSubTeams: scope === 'team' ? on('includeSubTeams') : undefined,
      primaryOnly: scope === 'team' ? on('primaryOnly') : undefined,
      groupId: scope === 'group' ? list(s('groupId')) : undefined,
      includeSubManagers: scope === 'managed' ? on('includeSubManagers') : undefined,
      completed: completed === '' ? undefined : completed === 'true',
      expired: on('expired'),
      action: list(s('action')) as Filters['action'],
      contentType: list(s('contentType')) as Filters['contentType'],
      itemType: list(s('itemType')),
      title: s('title') || undefined,
      tag: list(s('tag')),
      userId: list(s('userId')),
      source: list(s('source')),
      cpdLabel: list(s('cpdLabel')),
      bulkImportId: list(s('bulkImportId')),
      includeDeactivated: on('includeDeactivated'),
      from: localDateToIso(s('from')),
      to: localDateToIso(s('to'), true),
      order: (s('order') || undefined) as Filters['order'],
    });
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

  /** A filter picked by name from the directory (the form sends the ids, comma-separated). */
  private picker(name: string, label: string, search: PickerSearch): TemplateResult {
    return html`<logbook-picker class="field" name=${name} label=${label} .search=${search}></logbook-picker>`;
  }

  private findTeams: PickerSearch = async (q) =>
    (await this.client.directory.teams({ ...(q ? { q } : {}), limit: 20 })).items.map((t) => ({
      id: t.id,
      label: t.name,
    }));

  private findGroups: PickerSearch = async (q) =>
    (await this.client.directory.groups({ ...(q ? { q } : {}), limit: 20 })).items.map((g) => ({
      id: g.id,
      label: g.name,
    }));

  private findPeople: PickerSearch = async (q) =>
    (
      await this.client.directory.users({ ...(q ? { q } : {}), includeDeactivated: true, limit: 20 })
    ).items.map((u) => ({
      id: u.id,
      label: u.name,
      detail: u.status === 'deactivated' ? `${u.email} (deactivated)` : u.email,
    }));

  private check(name: string, label: string): TemplateResult {
    return html`<label class="check"><input type="checkbox" id=${name} name=${name} />${label}</label>`;
  }

  private options(entries: { value: string; label: string }[] | undefined) {
    return html`<option value="">Any</option>
      ${(entries ?? []).map((e) => html`<option value=${e.value}>${e.label}</option>`)}`;
  }

  private renderScope() {
    if (this.mode === 'me' || this.offered.length === 0) return nothing;
    return html`<fieldset part="scope">
      <legend>Scope</legend>
      ${this.offered.map(
        (s) => html`<label class="check"
          ><input
            type="radio"
            name="scope"
            value=${s.value}
            .checked=${live(this.scope === s.value)}
            @change=${() => (this.scope = s.value)}
          />${s.label}</label
        >`,
      )}
      ${this.scope === 'team' ? html`${this.check('includeSubTeams', 'Include Sub-Teams')}${this.check('primaryOnly', 'Primary Team Members Only')}` : nothing}
      ${this.scope === 'group' ? this.picker('groupId', 'Group', this.findGroups) : nothing}
      ${this.scope === 'managed' ? this.check('includeSubManagers', 'Include Sub-Managers') : nothing}
    </fieldset>`;
  }

  private renderFilters() {
    const c = this.catalog;
    const people = this.mode !== 'me';
    return html`<form class="filters" part="filters" aria-label="Activity log filters" @submit=${this.onSubmit}>
      ${this.renderScope()}
      ${this.field(
        'completed',
        'Completed',
        html`<select id="completed" name="completed">
          <option value="">Any</option>
          <option value="true">Completed</option>
          <option value="false">Not completed</option>
        </select>`,
      )}
      ${this.check('expired', 'Expired')}
      ${this.field('action', 'Action', html`<select id="action" name="action">${this.options(c?.activityActions)}</select>`)}
      ${this.field('contentType', 'Content type', html`<select id="contentType" name="contentType">${this.options(c?.contentTypes)}</select>`)}
      ${this.text('itemType', 'Item type', 'e.g. Video, ELearning')} ${this.text('title', 'Title')} ${this.text('tag', 'Tag')}
      ${people ? this.picker('teamId', 'Team', this.findTeams) : nothing}
      ${people ? this.picker('userId', 'People', this.findPeople) : nothing}
      <fieldset>
        <legend>Timespan</legend>
        ${this.field('from', 'From', html`<input id="from" name="from" type="date" />`)}
        ${this.field('to', 'To', html`<input id="to" name="to" type="date" />`)}
      </fieldset>
      <details class="more">
        <summary>More filters</summary>
        <div>
          ${this.text('source', 'Source', 'e.g. Go1')} ${this.text('cpdLabel', 'CPD label')}
          ${this.text('bulkImportId', 'Bulk import')} ${people ? this.check('includeDeactivated', 'Show Deactivated Users') : nothing}
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
    const label = this.mode === 'me' ? 'My activity' : 'Activity log entries';
    return html`<div class="scroll" part="table-wrapper" tabindex="0" role="region" aria-label=${label}>
      <table part="table">
        <caption>
          ${label}. Times in your time zone; hover for UTC.
        </caption>
        <thead>
          <tr>
            ${ACTIVITY_COLUMNS.map((h) => html`<th scope="col">${h}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${this.items.map(
            (e) => html`<tr part="row">
              <td>${renderTime(e.occurredAt)}</td>
              <td><span class="tag" part="action">${this.actionLabel(e.action)}</span></td>
              <td class="wide">${e.description}</td>
              <td>${e.content?.title ?? ''}${e.content?.archived ? html` <span class="tag">Archived</span>` : nothing}</td>
              <td>${e.content?.type ?? ''}</td>
              <td>${e.content?.contentType ?? ''}</td>
              <td>${e.content?.id ?? ''}</td>
              <td>${e.completed ? 'Yes' : 'No'}</td>
              <td>${renderTime(e.expiresAt)}</td>
              <td>${(e.content?.tags ?? []).join(', ')}</td>
              <td>${e.result ? html`<span class=${e.result.outcome === 'passed' ? 'ok' : 'bad'}>${e.result.outcome === 'passed' ? 'Passed' : 'Failed'}</span>` : ''}</td>
              <td>${e.result?.scorePercent !== undefined ? `${e.result.scorePercent}%` : ''}</td>
              <td>${duration(e.result?.durationSeconds)}</td>
              <td>${renderTime(e.certificateExpiresAt)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private actionLabel(action: string): string {
    return this.catalog?.activityActions.find((a) => a.value === action)?.label ?? action;
  }

  override render() {
    const me = this.mode === 'me';
    return html`<section part="container" aria-labelledby="activity-title">
      <h2 id="activity-title">${me ? 'My activity' : 'Activity log'}</h2>
      ${this.renderFilters()}
      ${
        me
          ? nothing
          : this.renderActions(
              html`<button type="button" @click=${() => this.requestExport('elearning')}>Export E-learning CSV</button>`,
            )
      }
      ${renderState(this.state, {
        when: this.items.length === 0,
        text: me
          ? 'No activity of yours matches these filters yet.'
          : 'No activity matches these filters. Check the scope, the filters and the timespan (the default is the last 3 months).',
      })}
      ${this.renderTable()} ${this.renderPager()}
    </section>`;
  }
}

define('logbook-activity-log', LogbookActivityLog);

declare global {
  interface HTMLElementTagNameMap {
    'logbook-activity-log': LogbookActivityLog;
  }
}
