import type { ExportRequest } from '@logbook/client';
import { html, nothing } from 'lit';
import { isoToLocalDate, LogbookElement, type ViewState } from './core.ts';
import { LogbookPicker } from './picker.ts';

/**
 * What both log components share: a page of items, the cursors behind "Previous page" and "Next
 * page", starting an export of the current view, and saving the current filters as a report.
 */
export interface ExportRequestDetail {
  request: ExportRequest;
}

export abstract class LogView<Item, Filters extends object> extends LogbookElement {
  static override properties = {
    ...LogbookElement.properties,
    state: { state: true },
    items: { state: true },
    nextCursor: { state: true },
    cursors: { state: true },
    saving: { state: true },
    notice: { state: true },
  };

  declare state: ViewState;
  declare items: Item[];
  declare nextCursor: string | null;
  /** The cursor of each page shown before this one (undefined for the first page). */
  declare cursors: (string | undefined)[];
  declare saving: boolean;
  declare notice: string;
  protected filters = {} as Filters;
  #current: string | undefined;
  protected pageSize = 25;

  constructor() {
    super();
    this.state = { kind: 'idle' };
    this.items = [];
    this.nextCursor = null;
    this.cursors = [];
    this.saving = false;
    this.notice = '';
  }

  /** One page of the log for these filters, from the cursor. */
  protected abstract fetchPage(
    filters: Filters,
    cursor: string | undefined,
  ): Promise<{ items: Item[]; nextCursor: string | null }>;
  protected abstract readFilters(form: HTMLFormElement): Filters;
  protected abstract readonly log: 'audit' | 'activity';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(undefined);
  }

  /** Shows the view of these filters (e.g. a saved report's), from its first page. */
  async applyFilters(filters: Filters): Promise<void> {
    this.filters = filters;
    this.cursors = [];
    this.#current = undefined;
    await this.updateComplete;
    this.showFilters(filters as Record<string, unknown>);
    await this.load(undefined);
  }

  /** Sets the filter controls to these filters, so the form says what the table shows. */
  protected showFilters(filters: Record<string, unknown>): void {
    const form = this.renderRoot.querySelector<HTMLFormElement>('form.filters');
    if (!form) return;
    form.reset();
    for (const [name, value] of Object.entries(filters)) {
      const control = form.elements.namedItem(name);
      if (control instanceof LogbookPicker) {
        control.value = (Array.isArray(value) ? value : String(value).split(',')).map(String).filter(Boolean);
        continue;
      }
      if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) continue;
      if (control instanceof HTMLInputElement && control.type === 'checkbox')
        control.checked = String(value) === 'true';
      else if (control instanceof HTMLInputElement && control.type === 'date')
        control.value = isoToLocalDate(String(value));
      else control.value = Array.isArray(value) ? value.join(',') : String(value);
    }
  }

  protected onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    this.filters = this.readFilters(e.target as HTMLFormElement);
    this.cursors = [];
    this.#current = undefined;
    void this.load(undefined);
  }

  protected async load(cursor: string | undefined): Promise<void> {
    this.state = { kind: 'loading' };
    try {
      const page = await this.fetchPage(this.filters, cursor);
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.state = { kind: 'ready' };
    } catch (err) {
      this.items = [];
      this.nextCursor = null;
      this.state = this.failure(err);
    }
  }

  protected nextPage(): void {
    if (!this.nextCursor) return;
    this.cursors = [...this.cursors, this.#current];
    this.#current = this.nextCursor;
    void this.load(this.nextCursor);
  }

  protected previousPage(): void {
    const cursors = [...this.cursors];
    const previous = cursors.pop();
    this.cursors = cursors;
    this.#current = previous;
    void this.load(previous);
  }

  protected renderPager() {
    if (this.state.kind !== 'ready' || (this.items.length === 0 && this.cursors.length === 0)) return nothing;
    return html`<nav class="pager" aria-label="Pages" part="pager">
      <button type="button" ?disabled=${this.cursors.length === 0} @click=${this.previousPage}>Previous page</button>
      <span class="muted">Page ${this.cursors.length + 1}</span>
      <button type="button" ?disabled=${!this.nextCursor} @click=${this.nextPage}>Next page</button>
    </nav>`;
  }

  /** Asks a `<logbook-exports>` on the page to run the export; without one, runs it here. */
  protected requestExport(variant: 'standard' | 'elearning' = 'standard'): void {
    const request: ExportRequest = {
      log: this.log,
      format: 'csv',
      variant,
      filters: this.filters as ExportRequest['filters'],
    };
    const handled = !this.emit<ExportRequestDetail>('logbook-export-request', { request });
    if (handled) {
      this.notice = 'Export started: follow its progress under Exports.';
      return;
    }
    this.client.exports
      .create(request)
      .then(({ id }) => {
        this.notice = `Export ${id} started.`;
      })
      .catch((err: unknown) => {
        this.state = this.failure(err);
      });
  }

  protected async saveReport(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('reportName') ?? '').trim();
    if (!name) return;
    this.saving = true;
    try {
      const report = await this.client.reports.create({
        name,
        log: this.log,
        filters: this.filters as never,
        visibility: data.get('share') ? 'shared' : 'private',
      });
      this.notice = `Saved the report “${report.name}”. Schedule it under Reports.`;
      form.reset();
      this.emit('logbook-report-saved', { report });
    } catch (err) {
      this.notice = '';
      this.state = this.failure(err);
    } finally {
      this.saving = false;
    }
  }

  protected renderActions(extra: unknown = nothing) {
    return html`<div class="toolbar" part="toolbar">
        <button type="button" @click=${() => this.requestExport()}>Export CSV</button>
        ${extra}
        <form class="save" @submit=${this.saveReport} aria-label="Save report">
          <span class="field">
            <label for="report-name">Report name</label>
            <input id="report-name" name="reportName" required autocomplete="off" />
          </span>
          <label class="check"><input type="checkbox" name="share" />Share with everyone with permissions</label>
          <button type="submit" ?disabled=${this.saving}>Save report</button>
        </form>
      </div>
      <p role="status" class="hint">${this.notice}</p>`;
  }
}
