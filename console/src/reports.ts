import type { Schemas } from '@logbook/client';
import { css, html, nothing } from 'lit';
import {
  baseStyles,
  define,
  describeFailure,
  LogbookElement,
  renderState,
  renderTime,
  type ViewState,
} from './core.ts';
import type { PickerOption } from './picker.ts';
import './picker.ts';

type Report = Schemas['Report'];
type Frequency = Schemas['ScheduleInput']['frequency'];

const FREQUENCIES: { value: Frequency; label: string }[] = [
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly (Mondays)' },
  { value: 'monthly', label: 'Monthly (the 1st)' },
  { value: 'quarterly', label: 'Quarterly (1 Jan, Apr, Jul, Oct)' },
];

/** One array for every render: the picker keeps its choices while the dialog re-renders. */
const NO_RECIPIENTS: string[] = [];

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/**
 * `<logbook-reports>`: the caller's saved reports and the shared ones they may use; share or
 * unshare, open one in its log (`logbook-report-open`), schedule it (frequency, recipients, time
 * zone, hour) and see its next run. Recipients are picked by name from `GET /v1/directory/users`
 * (scoped to what the caller may see), or from `people` (a property: `[{id, name}]`) when the host
 * passes its own directory.
 */
export class LogbookReports extends LogbookElement {
  static override properties = {
    ...LogbookElement.properties,
    state: { state: true },
    reports: { state: true },
    editing: { state: true },
    notice: { state: true },
    formError: { state: true },
    people: { attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      dialog {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        max-width: min(36rem, 95vw);
        width: 100%;
      }
      dialog form {
        display: flex;
        flex-direction: column;
        gap: 0.75rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
    `,
  ];

  declare state: ViewState;
  declare reports: Report[];
  declare editing: Report | undefined;
  declare notice: string;
  declare formError: string;
  /** Recipients to pick from instead of the API's directory: the host's own, `[{id, name}]`. */
  declare people: { id: string; name: string }[] | undefined;

  constructor() {
    super();
    this.state = { kind: 'idle' };
    this.reports = [];
    this.editing = undefined;
    this.notice = '';
    this.formError = '';
    this.people = undefined;
  }

  #onSaved = () => void this.reload();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('logbook-report-saved', this.#onSaved);
    void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('logbook-report-saved', this.#onSaved);
  }

  async reload(): Promise<void> {
    this.state = { kind: 'loading' };
    try {
      const all: Report[] = [];
      for await (const r of this.client.reports.list()) all.push(r);
      this.reports = all;
      this.state = { kind: 'ready' };
    } catch (err) {
      this.reports = [];
      this.state = this.failure(err);
    }
  }

  private async share(report: Report): Promise<void> {
    try {
      const visibility = report.visibility === 'shared' ? 'private' : 'shared';
      await this.client.reports.update(report.id, {
        name: report.name,
        log: report.log,
        filters: report.filters as never,
        visibility,
      });
      this.notice =
        visibility === 'shared' ? `“${report.name}” is shared.` : `“${report.name}” is private again.`;
      await this.reload();
    } catch (err) {
      this.notice = describeFailure(err);
    }
  }

  /** Recipients by name: the host's `people` when given, else the directory (scoped to the caller). */
  private findPeople = async (q: string): Promise<PickerOption[]> => {
    const needle = q.toLowerCase();
    if (this.people)
      return this.people
        .filter((p) => !needle || p.name.toLowerCase().startsWith(needle) || p.id.startsWith(needle))
        .slice(0, 20)
        .map((p) => ({ id: p.id, label: p.name }));
    const page = await this.client.directory.users({ ...(q ? { q } : {}), limit: 20 });
    return page.items.map((u) => ({ id: u.id, label: u.name, detail: u.email }));
  };

  private openSchedule(report: Report): void {
    this.editing = report;
    this.formError = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  }

  private async saveSchedule(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const report = this.editing;
    if (!report) return;
    const d = new FormData(e.target as HTMLFormElement);
    const recipients = this.renderRoot.querySelector('logbook-picker')?.value ?? [];
    if (recipients.length === 0) {
      this.formError = 'Choose at least one recipient.';
      this.renderRoot.querySelector('logbook-picker')?.focus();
      return;
    }
    try {
      const saved = await this.client.reports.schedule(report.id, {
        frequency: String(d.get('frequency')) as Frequency,
        recipients,
        timeZone: String(d.get('timeZone') || 'UTC'),
        hour: Number(d.get('hour') ?? 6),
      });
      this.renderRoot.querySelector('dialog')?.close();
      this.notice = `“${saved.name}” is scheduled; next run ${saved.schedule ? new Date(saved.schedule.nextRunAt).toLocaleString() : ''}.`;
      await this.reload();
    } catch (err) {
      this.formError = describeFailure(err);
    }
  }

  private async removeSchedule(): Promise<void> {
    const report = this.editing;
    if (!report) return;
    try {
      await this.client.reports.unschedule(report.id);
      this.renderRoot.querySelector('dialog')?.close();
      this.notice = `“${report.name}” is no longer scheduled.`;
      await this.reload();
    } catch (err) {
      this.formError = describeFailure(err);
    }
  }

  private renderDialog() {
    const r = this.editing;
    const s = r?.schedule;
    const zone = s?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    return html`<dialog part="schedule-dialog" aria-labelledby="schedule-title" @close=${() => (this.editing = undefined)}>
      ${
        r
          ? html`<form @submit=${this.saveSchedule}>
              <h2 id="schedule-title">Schedule “${r.name}”</h2>
              <p class="hint">Each run e-mails every recipient a download link to the report's CSV, covering only what that recipient may see.</p>
              <span class="field">
                <label for="frequency">Frequency</label>
                <select id="frequency" name="frequency">
                  ${FREQUENCIES.map((f) => html`<option value=${f.value} ?selected=${s?.frequency === f.value}>${f.label}</option>`)}
                </select>
              </span>
              <logbook-picker
                name="recipients"
                label="Recipients"
                hint="People from the directory: type a name or e-mail address, ↓ and ↑ to move, Enter to add"
                .search=${this.findPeople}
                .value=${s?.recipients ?? NO_RECIPIENTS}
              ></logbook-picker>
              <span class="field">
                <label for="timeZone">Time zone</label>
                <select id="timeZone" name="timeZone">
                  ${timeZones().map((z) => html`<option value=${z} ?selected=${z === zone}>${z}</option>`)}
                </select>
              </span>
              <span class="field">
                <label for="hour">Hour</label>
                <select id="hour" name="hour">
                  ${Array.from({ length: 24 }, (_, h) => html`<option value=${h} ?selected=${(s?.hour ?? 6) === h}>${String(h).padStart(2, '0')}:00</option>`)}
                </select>
              </span>
              ${this.formError ? html`<p class="state error" role="alert">${this.formError}</p>` : nothing}
              <div class="actions">
                <button class="primary" type="submit">Save schedule</button>
                ${s ? html`<button type="button" @click=${this.removeSchedule}>Remove schedule</button>` : nothing}
                <button type="button" @click=${() => this.renderRoot.querySelector('dialog')?.close()}>Cancel</button>
              </div>
            </form>`
          : nothing
      }
    </dialog>`;
  }

  override render() {
    return html`<section part="container" aria-labelledby="reports-title">
      <h2 id="reports-title">Reports</h2>
      <p role="status" class="hint">${this.notice}</p>
      ${renderState(this.state, {
        when: this.reports.length === 0,
        text: 'No saved reports yet. Filter a log and choose “Save report” to keep that view.',
      })}
      ${
        this.state.kind === 'ready' && this.reports.length > 0
          ? html`<div class="scroll" part="table-wrapper">
              <table part="table">
                <caption>
                  Saved reports (yours and shared ones)
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Log</th>
                    <th scope="col">Visibility</th>
                    <th scope="col">Schedule</th>
                    <th scope="col">Next run</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.reports.map(
                    (r) => html`<tr part="row">
                      <th scope="row">${r.name}</th>
                      <td>${r.log === 'audit' ? 'Audit log' : 'Activity log'}</td>
                      <td>${r.visibility === 'shared' ? 'Everyone with permissions' : 'Just me'}</td>
                      <td>
                        ${
                          r.schedule
                            ? html`${FREQUENCIES.find((f) => f.value === r.schedule?.frequency)?.label ?? r.schedule.frequency}, ${String(r.schedule.hour).padStart(2, '0')}:00
                              ${r.schedule.timeZone}; ${r.schedule.recipients.length} recipient${r.schedule.recipients.length === 1 ? '' : 's'}
                              ${r.schedule.paused ? html`<span class="bad">Paused${r.schedule.pausedReason ? `: ${r.schedule.pausedReason}` : ''}</span>` : nothing}`
                            : html`<span class="muted">Not scheduled</span>`
                        }
                      </td>
                      <td>${r.schedule ? renderTime(r.schedule.nextRunAt) : ''}</td>
                      <td><div class="actions">
                        <button type="button" aria-label=${`Open ${r.name}`} @click=${() => this.emit('logbook-report-open', { report: r })}>Open</button>
                        <button type="button" aria-label=${`${r.visibility === 'shared' ? 'Make private' : 'Share'} ${r.name}`} @click=${() => this.share(r)}>
                          ${r.visibility === 'shared' ? 'Make private' : 'Share'}
                        </button>
                        <button type="button" aria-label=${`Schedule ${r.name}`} @click=${() => this.openSchedule(r)}>Schedule…</button>
                      </div></td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing
      }
      ${this.renderDialog()}
    </section>`;
  }
}

define('logbook-reports', LogbookReports);

declare global {
  interface HTMLElementTagNameMap {
    'logbook-reports': LogbookReports;
  }
}
