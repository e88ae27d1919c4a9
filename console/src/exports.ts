import type { Export, ExportRequest } from '@logbook/client';
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
import type { ExportRequestDetail } from './log-view.ts';

interface Tracked {
  /** Set for exports started on this page (until the API answers with the job). */
  request?: ExportRequest;
  job?: Export;
  error?: string;
}

const STATUS_TEXT: Record<Export['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Ready',
  failed: 'Failed',
};

/**
 * `<logbook-exports>`: the caller's recent exports (`GET /v1/exports`, newest first, only their
 * own), and those the logs on the page ask for (`logbook-export-request`, answered on `window`) or
 * passed to `start()`; shows each one's progress and its download link, and follows the ones still
 * running. "Older exports" pages back through the list.
 */
export class LogbookExports extends LogbookElement {
  static override properties = {
    ...LogbookElement.properties,
    tracked: { state: true },
    state: { state: true },
    nextCursor: { state: true },
    pollMs: { attribute: 'poll-ms', type: Number },
  };
  static override styles = [
    baseStyles,
    css`
      progress {
        width: 6rem;
        vertical-align: middle;
      }
    `,
  ];

  declare tracked: Tracked[];
  declare state: ViewState;
  declare nextCursor: string | null;
  /** Between two looks at a running export (default 1000). */
  declare pollMs: number;
  #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor() {
    super();
    this.tracked = [];
    this.state = { kind: 'idle' };
    this.nextCursor = null;
    this.pollMs = 1000;
  }

  /** One page of the caller's own exports (the first, or the one after `cursor`), added below. */
  async loadMine(cursor?: string): Promise<void> {
    this.state = { kind: 'loading' };
    try {
      const page = await this.client.exports.mine({ limit: 10, ...(cursor ? { cursor } : {}) });
      const shown = new Set(this.tracked.map((t) => t.job?.id).filter(Boolean));
      const added = page.items.filter((job) => !shown.has(job.id)).map((job): Tracked => ({ job }));
      this.tracked = [...this.tracked, ...added];
      this.nextCursor = page.nextCursor;
      this.state = { kind: 'ready' };
      for (const item of added) {
        if (item.job && (item.job.status === 'queued' || item.job.status === 'running'))
          this.poll(item, item.job.id);
      }
    } catch (err) {
      this.state = this.failure(err);
    }
  }

  #onRequest = (e: Event) => {
    const detail = (e as CustomEvent<ExportRequestDetail>).detail;
    if (!detail?.request) return;
    e.preventDefault();
    void this.start(detail.request);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('logbook-export-request', this.#onRequest);
    void this.loadMine();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('logbook-export-request', this.#onRequest);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Starts an export and follows it until its file is ready (or it failed). */
  async start(request: ExportRequest): Promise<void> {
    const item: Tracked = { request };
    this.tracked = [item, ...this.tracked];
    try {
      const { id } = await this.client.exports.create(request);
      await this.follow(item, id);
    } catch (err) {
      item.error = describeFailure(err);
      this.failure(err);
      this.requestUpdate();
    }
  }

  private async follow(item: Tracked, id: string): Promise<void> {
    item.job = await this.client.exports.get(id);
    this.requestUpdate();
    if (item.job.status === 'queued' || item.job.status === 'running') this.poll(item, id);
    else this.emit('logbook-export-finished', { export: item.job });
  }

  private poll(item: Tracked, id: string): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.follow(item, id).catch((err: unknown) => {
        item.error = describeFailure(err);
        this.requestUpdate();
      });
    }, this.pollMs);
    this.#timers.add(timer);
  }

  private describe(t: Tracked): string {
    const r = t.job ?? t.request;
    if (!r) return 'Export';
    const log = r.log === 'audit' ? 'Audit log' : 'Activity log';
    return `${log}${r.variant === 'elearning' ? ' (e-learning)' : ''}, ${r.format.toUpperCase()}`;
  }

  private renderStatus(t: Tracked) {
    if (t.error) return html`<span class="bad">${t.error}</span>`;
    const job = t.job;
    if (!job) return html`<progress aria-label="Requesting"></progress> Requesting…`;
    if (job.status === 'queued' || job.status === 'running') {
      return html`<progress aria-label=${STATUS_TEXT[job.status]}></progress> ${STATUS_TEXT[job.status]}…`;
    }
    if (job.status === 'failed')
      return html`<span class="bad">Failed${job.error ? `: ${job.error}` : ''}</span>`;
    return html`<span class="ok">${STATUS_TEXT[job.status]}</span>`;
  }

  override render() {
    return html`<section part="container" aria-labelledby="exports-title">
      <h2 id="exports-title">Exports</h2>
      ${
        this.tracked.length === 0
          ? renderState(this.state, {
              when: true,
              text: 'No exports yet. Filter a log, then choose “Export CSV”: the file is prepared in the background and its download appears here.',
            })
          : html`<div class="scroll" part="table-wrapper">
              <table part="table">
                <caption>
                  Your recent exports
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Export</th>
                    <th scope="col">Requested at</th>
                    <th scope="col">Status</th>
                    <th scope="col">Rows</th>
                    <th scope="col">File</th>
                  </tr>
                </thead>
                <tbody aria-live="polite">
                  ${this.tracked.map(
                    (t) => html`<tr part="row">
                      <td>${this.describe(t)}</td>
                      <td>${renderTime(t.job?.createdAt)}</td>
                      <td role="status">${this.renderStatus(t)}</td>
                      <td>${t.job?.rowCount ?? ''}</td>
                      <td>
                        ${
                          t.job?.status === 'succeeded' && t.job.downloadUrl
                            ? html`<a href=${t.job.downloadUrl} download part="download">Download</a>
                                <span class="hint">(link valid 7 days)</span>`
                            : nothing
                        }
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${
        this.nextCursor && this.state.kind !== 'loading'
          ? html`<nav class="pager" aria-label="Older exports" part="pager">
              <button type="button" @click=${() => this.loadMine(this.nextCursor ?? undefined)}>Older exports</button>
            </nav>`
          : nothing
      }
      ${this.tracked.length > 0 ? renderState(this.state, { when: false, text: '' }) : nothing}
    </section>`;
  }
}

define('logbook-exports', LogbookExports);

declare global {
  interface HTMLElementTagNameMap {
    'logbook-exports': LogbookExports;
  }
}
