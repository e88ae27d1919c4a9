import { css, html, LitElement, nothing } from 'lit';
import { baseStyles, define } from './core.ts';

/** One choice: its id (what the form sends), the name shown, and a detail (an e-mail address). */
export interface PickerOption {
  id: string;
  label: string;
  detail?: string;
}

/** Looks choices up by what was typed (an empty string: the first ones). */
export type PickerSearch = (q: string) => Promise<PickerOption[]>;

let nextId = 0;

/**
 * `<logbook-picker>`: picks one or more ids by name from a directory lookup (the WAI-ARIA
 * combobox with a multi-select listbox). Typing searches, ↓/↑ move through the results, Enter
 * adds or removes the highlighted one, Escape closes the list, Backspace in an empty box removes
 * the last choice; each choice is a "Remove <name>" button too. It is form-associated: a form
 * sees `name` = the chosen ids separated by commas (the API's list form), and `value` is the ids.
 * Used by the logs (Team, Group, People) and the reports' schedule (Recipients).
 */
export class LogbookPicker extends LitElement {
  static formAssociated = true;
  static override properties = {
    label: {},
    name: { reflect: true },
    hint: {},
    search: { attribute: false },
    value: { attribute: false },
    expanded: { state: true },
    results: { state: true },
    active: { state: true },
    status: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-flex;
        flex-direction: column;
        gap: 0.2rem;
        position: relative;
        min-width: 14rem;
      }
      :host > label {
        font-weight: 600;
      }
      .box {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        align-items: center;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 0.2rem;
        border: 1px solid var(--_border);
        border-radius: 999px;
        padding: 0 0 0 0.5rem;
        background: var(--_stripe);
      }
      .chip button {
        border: none;
        background: none;
        padding: 0.1rem 0.45rem;
        min-height: 0;
      }
      [role='listbox'],
      .empty {
        position: absolute;
        top: 100%;
        left: 0;
        z-index: 10;
        margin: 0.1rem 0 0;
        padding: 0.2rem 0;
        list-style: none;
        min-width: 100%;
        max-height: 14rem;
        overflow-y: auto;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        box-shadow: 0 4px 12px rgb(0 0 0 / 0.12);
      }
      [role='option'] {
        padding: 0.3rem 0.6rem;
        cursor: pointer;
        white-space: nowrap;
      }
      [role='option'] .tick {
        display: inline-block;
        width: 1.1em;
      }
      [role='option'][aria-selected='true'] {
        font-weight: 600;
      }
      [role='option'].active {
        outline: 2px solid var(--logbook-focus, #f2a900);
        outline-offset: -2px;
        background: var(--_stripe);
      }
      .empty {
        padding: 0.3rem 0.6rem;
        color: var(--_muted);
        top: auto;
        bottom: -2rem;
      }
    `,
  ];

  declare label: string;
  declare name: string;
  declare hint: string;
  declare search: PickerSearch | undefined;
  /** The chosen ids. */
  declare value: string[];
  declare expanded: boolean;
  declare results: PickerOption[];
  declare active: number;
  declare status: string;

  readonly #internals: ElementInternals;
  readonly #uid = `picker-${nextId++}`;
  /** Names of the ids seen so far, for the chips. */
  readonly #known = new Map<string, PickerOption>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #query = 0;

  constructor() {
    super();
    this.#internals = this.attachInternals();
    this.label = '';
    this.name = '';
    this.hint = '';
    this.search = undefined;
    this.value = [];
    this.expanded = false;
    this.results = [];
    this.active = -1;
    this.status = '';
  }

  /** The first results, so chips of ids set from outside (a saved report) show names. */
  override firstUpdated(): void {
    if (this.value.length > 0) void this.lookup('', false);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('value')) this.#internals.setFormValue(this.value.join(','));
  }

  formResetCallback(): void {
    this.value = [];
  }

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  override focus(): void {
    this.input?.focus();
  }

  private async lookup(q: string, open = true): Promise<void> {
    if (!this.search) return;
    const ticket = ++this.#query;
    try {
      const found = await this.search(q);
      if (ticket !== this.#query) return;
      for (const o of found) this.#known.set(o.id, o);
      if (!open) {
        this.requestUpdate();
        return;
      }
      this.results = found;
      this.active = found.length > 0 ? 0 : -1;
      this.expanded = true;
      this.status =
        found.length === 0 ? 'No matches' : `${found.length} result${found.length === 1 ? '' : 's'}`;
    } catch {
      if (ticket !== this.#query) return;
      this.results = [];
      this.expanded = open;
      this.status = 'The list could not be loaded';
    }
  }

  private onInput(): void {
    clearTimeout(this.#timer);
    const q = this.input?.value.trim() ?? '';
    this.#timer = setTimeout(() => void this.lookup(q), 200);
  }

  private toggle(option: PickerOption): void {
    this.#known.set(option.id, option);
    const had = this.value.includes(option.id);
    this.value = had ? this.value.filter((v) => v !== option.id) : [...this.value, option.id];
    this.status = `${option.label} ${had ? 'removed' : 'added'}`;
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  private unchoose(id: string): void {
    const label = this.#known.get(id)?.label ?? id;
    this.value = this.value.filter((v) => v !== id);
    this.status = `${label} removed`;
    this.dispatchEvent(new Event('change', { bubbles: true }));
    this.input?.focus();
  }

  private close(): void {
    this.expanded = false;
    this.active = -1;
  }

  private onKeydown(e: KeyboardEvent): void {
    const count = this.results.length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!this.expanded) void this.lookup(this.input?.value.trim() ?? '');
        else if (count > 0) this.active = (this.active + 1) % count;
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (this.expanded && count > 0) this.active = (this.active - 1 + count) % count;
        break;
      case 'Enter': {
        const option = this.expanded ? this.results[this.active] : undefined;
        if (option) {
          e.preventDefault();
          this.toggle(option);
        }
        break;
      }
      case 'Escape':
        if (this.expanded) {
          // Closes the list, not the dialog around it.
          e.preventDefault();
          e.stopPropagation();
          this.close();
        }
        break;
      case 'Backspace': {
        const last = this.value[this.value.length - 1];
        if (this.input?.value === '' && last) this.unchoose(last);
        break;
      }
    }
  }

  override updated(): void {
    this.renderRoot.querySelector('[role="option"].active')?.scrollIntoView?.({ block: 'nearest' });
  }

  override render() {
    const listbox = `${this.#uid}-listbox`;
    const active = this.expanded && this.active >= 0 ? `${this.#uid}-option-${this.active}` : '';
    return html`<label for="input">${this.label}</label>
      ${
        this.value.length > 0
          ? html`<ul class="box" aria-label=${`Chosen: ${this.label}`}>
              ${this.value.map((id) => {
                const name = this.#known.get(id)?.label ?? id;
                return html`<li class="chip">
                  ${name}<button type="button" aria-label=${`Remove ${name}`} @click=${() => this.unchoose(id)}>×</button>
                </li>`;
              })}
            </ul>`
          : nothing
      }
      <input
        id="input"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded=${this.expanded ? 'true' : 'false'}
        aria-controls=${listbox}
        aria-activedescendant=${active || nothing}
        aria-describedby="hint"
        placeholder="Type to search"
        @input=${this.onInput}
        @keydown=${this.onKeydown}
        @focus=${() => {
          if (!this.expanded) void this.lookup(this.input?.value.trim() ?? '');
        }}
        @blur=${() => setTimeout(() => this.close(), 150)}
      />
      <ul id=${listbox} role="listbox" aria-label=${this.label} aria-multiselectable="true" ?hidden=${!this.expanded || this.results.length === 0}>
        ${this.results.map(
          (o, i) => html`<li
            id=${`${this.#uid}-option-${i}`}
            role="option"
            class=${i === this.active ? 'active' : ''}
            aria-selected=${this.value.includes(o.id) ? 'true' : 'false'}
            @mousedown=${(e: Event) => e.preventDefault()}
            @click=${() => this.toggle(o)}
          >
            <span class="tick" aria-hidden="true">${this.value.includes(o.id) ? '✓' : ''}</span>${o.label}${o.detail ? html` <span class="muted">${o.detail}</span>` : nothing}
          </li>`,
        )}
      </ul>
      ${this.expanded && this.results.length === 0 ? html`<div class="empty" aria-hidden="true">${this.status}</div>` : nothing}
      <span id="hint" class="hint">${this.hint || 'Type to search; ↓ and ↑ to move, Enter to choose'}</span>
      <span class="sr-only" role="status">${this.status}</span>`;
  }
}

define('logbook-picker', LogbookPicker);

declare global {
  interface HTMLElementTagNameMap {
    'logbook-picker': LogbookPicker;
  }
}
