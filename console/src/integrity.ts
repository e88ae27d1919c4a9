import { type AuditDigest, LogbookError } from '@logbook/client';
import canonicalize from 'canonicalize';
import { html, nothing } from 'lit';
import {
  baseStyles,
  define,
  LogbookElement,
  localDateToIso,
  renderState,
  renderTime,
  type ViewState,
} from './core.ts';

interface Checked {
  digest: AuditDigest;
  hashOk: boolean;
  signatureOk: boolean;
  /** null: the previous digest is outside the window shown. */
  chainOk: boolean | null;
}

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

function base64url(value: string): Uint8Array<ArrayBuffer> {
  const b64 = value
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(value.length / 4) * 4, '=');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Recomputes `digestHash` (SHA-256 of the RFC 8785 JSON of the other fields) and checks the ECDSA P-256 signature. */
export async function checkDigest(
  digest: AuditDigest,
  keys: Map<string, CryptoKey>,
): Promise<{ hashOk: boolean; signatureOk: boolean }> {
  const { digestHash, signature, ...sealed } = digest;
  const canonical = canonicalize(sealed) ?? '';
  const hashOk =
    hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))) === digestHash;
  const key = keys.get(digest.keyId);
  let signatureOk = false;
  if (key) {
    try {
      signatureOk = await crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        key,
        base64url(signature),
        new TextEncoder().encode(digestHash),
      );
    } catch {
      signatureOk = false;
    }
  }
  return { hashOk, signatureOk };
}

/**
 * `<logbook-integrity>`: the audit log's sealed hours (owners and admins), each checked in the
 * browser: its digest hash recomputed, its signature verified with the published keys and its
 * link to the previous hour followed. An hour shows "Verified" when all three hold.
 */
export class LogbookIntegrity extends LogbookElement {
  static override properties = {
    ...LogbookElement.properties,
    state: { state: true },
    rows: { state: true },
    nextCursor: { state: true },
  };
  static override styles = [baseStyles];

  declare state: ViewState;
  declare rows: Checked[];
  declare nextCursor: string | null;
  #range: { from?: string; to?: string } = {};
  #keys = new Map<string, CryptoKey>();
  #last: AuditDigest | undefined;

  constructor() {
    super();
    this.state = { kind: 'idle' };
    this.rows = [];
    this.nextCursor = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(undefined);
  }

  private async loadKeys(): Promise<void> {
    if (this.#keys.size) return;
    const { keys } = await this.client.auditDigests.keys();
    for (const jwk of keys) {
      const { kid, ...key } = jwk;
      this.#keys.set(
        kid,
        await crypto.subtle.importKey('jwk', key, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']),
      );
    }
  }

  private async load(cursor: string | undefined): Promise<void> {
    this.state = { kind: 'loading' };
    try {
      await this.loadKeys();
      const page = await this.client.auditDigests.page({
        ...this.#range,
        limit: 48,
        ...(cursor ? { cursor } : {}),
      });
      if (!cursor) this.#last = undefined;
      const rows: Checked[] = [];
      for (const digest of page.items) {
        const checks = await checkDigest(digest, this.#keys);
        const chainOk =
          this.#last === undefined
            ? digest.previousDigestHash === null
              ? true
              : null
            : digest.previousDigestHash === this.#last.digestHash;
        rows.push({ digest, ...checks, chainOk });
        this.#last = digest;
      }
      this.rows = cursor ? [...this.rows, ...rows] : rows;
      this.nextCursor = page.nextCursor;
      this.state = { kind: 'ready' };
    } catch (err) {
      this.rows = [];
      this.state =
        err instanceof LogbookError && err.status === 404
          ? { kind: 'error', status: 404, message: 'This Logbook API does not offer integrity digests yet.' }
          : this.failure(err);
    }
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    this.#range = {
      from: localDateToIso(String(d.get('from') ?? '')),
      to: localDateToIso(String(d.get('to') ?? ''), true),
    };
    void this.load(undefined);
  }

  private verdict(r: Checked) {
    const problems = [
      r.hashOk ? '' : 'digest hash does not match its fields',
      r.signatureOk ? '' : 'signature does not verify',
      r.chainOk === false ? 'does not link to the previous hour' : '',
    ].filter(Boolean);
    if (problems.length)
      return html`<span class="bad" part="failed">Not verified: ${problems.join('; ')}</span>`;
    return html`<span class="ok" part="verified">✓ Verified</span>`;
  }

  /** "12 hours shown: 11 verified, 1 not verified." (and how many could not be linked to the hour before). */
  private summary() {
    const bad = this.rows.filter((r) => !r.hashOk || !r.signatureOk || r.chainOk === false).length;
    const unlinked = this.rows.filter((r) => r.chainOk === null).length;
    const hours = this.rows.length === 1 ? '1 hour' : `${this.rows.length} hours`;
    return html`<p class="summary" part="summary" role="status">
      ${hours} shown: ${this.rows.length - bad} verified${bad ? html`, <strong class="bad">${bad} not verified</strong>` : nothing}.${
        unlinked ? ' The first hour links to one before this view.' : nothing
      }${this.nextCursor ? ' More hours on the next page.' : nothing}
    </p>`;
  }

  override render() {
    return html`<section part="container" aria-labelledby="integrity-title">
      <h2 id="integrity-title">Integrity</h2>
      <p class="hint">
        Every closed hour of the audit log is sealed in a signed digest chained to the hour before. This page checks
        each digest's hash, signature and link in your browser. <code>npm run verify</code> also recomputes every entry.
      </p>
      <form class="filters" part="filters" aria-label="Integrity filters" @submit=${this.onSubmit}>
        <fieldset>
          <legend>Timespan</legend>
          <span class="field"><label for="from">From</label><input id="from" name="from" type="date" /></span>
          <span class="field"><label for="to">To</label><input id="to" name="to" type="date" /></span>
        </fieldset>
        <button class="primary" type="submit">Apply filters</button>
      </form>
      ${renderState(this.state, {
        when: this.rows.length === 0,
        text: 'No sealed hours in this timespan. Hours are sealed once they have closed, and hours without entries have no digest.',
      })}
      ${this.rows.length ? this.summary() : nothing}
      ${
        this.rows.length
          ? html`<div class="scroll" part="table-wrapper" tabindex="0" role="region" aria-label="Sealed hours">
              <table part="table">
                <caption>
                  Sealed hours, oldest first. Times in your time zone; hover for UTC.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Hour</th>
                    <th scope="col">Entries</th>
                    <th scope="col">Root hash</th>
                    <th scope="col">Key</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.rows.map(
                    (r) => html`<tr part="row">
                      <td>${renderTime(r.digest.periodStart)}</td>
                      <td>${r.digest.count}</td>
                      <td><code title=${r.digest.rootHash}>${r.digest.rootHash.slice(0, 16)}…</code></td>
                      <td>${r.digest.keyId}</td>
                      <td>${this.verdict(r)}${r.chainOk === null ? html` <span class="hint">(previous hour outside this view)</span>` : nothing}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing
      }
      ${
        this.state.kind === 'ready' && this.nextCursor
          ? html`<nav class="pager" aria-label="Pages"><button type="button" @click=${() => this.load(this.nextCursor ?? undefined)}>Next page</button></nav>`
          : nothing
      }
    </section>`;
  }
}

define('logbook-integrity', LogbookIntegrity);

declare global {
  interface HTMLElementTagNameMap {
    'logbook-integrity': LogbookIntegrity;
  }
}
