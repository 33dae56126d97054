import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

/** Fired after the results were replaced by a new search. */
export class AixSearchResultsEvent extends Event {
  static readonly eventName = 'aix-search-results';
  constructor(
    readonly url: string,
    readonly status: string,
  ) {
    super(AixSearchResultsEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * @summary Search-as-you-type for the catalog search form the server rendered.
 *
 * Wraps a `<form role="search">` whose parts carry `js-` hooks: `.js-facets` (the filters),
 * `#results` (the results), `.js-heading` and `.js-status`. Typing (debounced), ticking a
 * filter or changing the sort fetches the same page for the new URL and swaps those parts
 * in; the address bar follows, the back button restores earlier searches, and a polite
 * live region announces the result count. Without JavaScript the form posts as usual.
 *
 * @slot - The server-rendered form.
 * @event aix-search-results - AixSearchResultsEvent, after new results are shown.
 */
@customElement('aix-search')
export class AixSearch extends LitElement {
  /** Milliseconds to wait after the last keystroke before searching. */
  @property({ type: Number }) debounce = 250;

  @state() private announcement = '';

  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: AbortController | undefined;

  // Light DOM: the element enhances markup that is already on the page.
  protected override createRenderRoot() {
    return this;
  }

  private get form(): HTMLFormElement | null {
    return this.querySelector('form');
  }

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('input', this.onInput);
    this.addEventListener('change', this.onChange);
    this.addEventListener('submit', this.onSubmit);
    window.addEventListener('popstate', this.onPopState);
    this.querySelectorAll<HTMLElement>('.js-apply').forEach((b) => (b.hidden = true));
    this.showFacetFilters();
    // Filters stand open beside the results where there is room; on a phone they stay folded.
    if (window.matchMedia('(min-width: 64em)').matches) this.querySelector('details.aix-filters')?.setAttribute('open', '');
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener('input', this.onInput);
    this.removeEventListener('change', this.onChange);
    this.removeEventListener('submit', this.onSubmit);
    window.removeEventListener('popstate', this.onPopState);
  }

  private onInput = (event: Event) => {
    const target = event.target as HTMLInputElement;
    if (target.classList.contains('js-facet-filter')) return this.narrow(target);
    if (target.type !== 'search') return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), this.debounce);
  };

  private onChange = (event: Event) => {
    const target = event.target as HTMLInputElement;
    if (target.type === 'search' || target.classList.contains('js-facet-filter')) return;
    void this.search();
  };

  private onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    clearTimeout(this.timer);
    void this.search();
  };

  private onPopState = () => {
    // An in-page link (skip link, error summary) changes only the hash: not a new search.
    if (location.pathname + location.search === this.shown) return;
    void this.load(location.href, 'none');
  };

  /** The path and query of the results on the page now. */
  private shown = location.pathname + location.search;

  /** The form's current search as a URL, without empty values. */
  private currentUrl(): string {
    const form = this.form;
    const params = new URLSearchParams();
    if (form) {
      for (const [name, value] of new FormData(form)) {
        if (typeof value === 'string' && value.trim() !== '' && !(name === 'sort' && value === 'relevance')) {
          params.append(name, value.trim());
        }
      }
    }
    const query = params.toString();
    return `${form?.getAttribute('action') ?? location.pathname}${query ? `?${query}` : ''}`;
  }

  private async search() {
    const url = this.currentUrl();
    if (url === location.pathname + location.search) return;
    await this.load(url, 'push');
  }

  private async load(url: string, history: 'push' | 'none') {
    this.inflight?.abort();
    const controller = new AbortController();
    this.inflight = controller;
    const results = this.querySelector('#results');
    results?.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/html' } });
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      if (controller.signal.aborted) return;
      if (history === 'push') window.history.pushState({}, '', url);
      this.shown = new URL(url, location.href).pathname + new URL(url, location.href).search;
      this.swap(page, history === 'none');
      // The language switcher (outside this element) names the same search in each language.
      const languages = page.querySelector('.aix-languages__list');
      if (languages) document.querySelector('.aix-languages__list')?.replaceChildren(...languages.childNodes);
    } catch (error) {
      if ((error as Error).name !== 'AbortError') window.location.assign(url);
    } finally {
      if (this.inflight === controller) results?.removeAttribute('aria-busy');
    }
  }

  /** Shows the boxes that narrow long filter lists (they need JavaScript), keeping what was typed. */
  private showFacetFilters(typed = new Map<string, string>()) {
    for (const input of this.querySelectorAll<HTMLInputElement>('.js-facet-filter')) {
      input.closest<HTMLElement>('.js-facet-filter-group')!.hidden = false;
      const words = typed.get(input.id);
      if (words) {
        input.value = words;
        this.narrow(input);
      }
    }
  }

  /** Hides the options of a filter list that do not contain the words typed (ticked ones stay). */
  private narrow(input: HTMLInputElement) {
    const words = input.value.trim().toLocaleLowerCase();
    const list = document.getElementById(input.getAttribute('aria-controls') ?? '');
    for (const row of list?.querySelectorAll<HTMLElement>('.usa-checkbox') ?? []) {
      const box = row.querySelector<HTMLInputElement>('input');
      row.hidden = !!words && !box?.checked && !(row.textContent ?? '').toLocaleLowerCase().includes(words);
    }
  }

  /** Replaces the facets, results and heading with those of the fetched page, keeping focus. */
  private swap(page: Document, restoring: boolean) {
    const focusedId = document.activeElement?.id;
    const typed = new Map([...this.querySelectorAll<HTMLInputElement>('.js-facet-filter')].map((i) => [i.id, i.value]));
    for (const selector of ['.js-facets', '#results', '.js-heading', '.js-errors', '.js-filter-summary', '.js-suggestions']) {
      const next = page.querySelector(selector);
      const current = document.querySelector(selector);
      if (next && current) current.innerHTML = next.innerHTML;
    }
    const q = page.querySelector<HTMLInputElement>('#q');
    const input = this.querySelector<HTMLInputElement>('#q');
    // Typing keeps its own words; going back in history restores the earlier ones.
    if (q && input && (restoring || document.activeElement !== input)) input.value = q.value;
    this.querySelectorAll<HTMLElement>('.js-apply').forEach((b) => (b.hidden = true));
    this.showFacetFilters(typed);
    document.title = page.title;
    if (focusedId && document.activeElement === document.body) document.getElementById(focusedId)?.focus();
    const status = page.querySelector('.js-status')?.textContent?.trim() ?? '';
    this.announcement = status;
    this.dispatchEvent(new AixSearchResultsEvent(location.href, status));
  }

  protected override render() {
    return html`<div class="aix-visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aix-search': AixSearch;
  }
  interface GlobalEventHandlersEventMap {
    'aix-search-results': AixSearchResultsEvent;
  }
}
