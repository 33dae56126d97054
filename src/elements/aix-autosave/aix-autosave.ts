import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

/** Fired after the form was saved in the background. */
export class AixAutosaveEvent extends Event {
  static readonly eventName = 'aix-autosave';
  constructor(
    readonly ok: boolean,
    readonly savedAt: string | undefined,
  ) {
    super(AixAutosaveEvent.eventName, { bubbles: true, composed: true });
  }
}

interface AutosaveAnswer {
  ok: boolean;
  savedAt?: string;
  /** The revision the form now stands at (after a save). */
  revision?: number;
  errors?: Record<string, string>;
}

/** The hidden field with the revision the form was read at (src/lib/server/revisions.ts). */
const REVISION_FIELD = 'revision';

/**
 * @summary Saves the server-rendered section form in the background as the person types.
 *
 * Wraps one `<form method="post">`. After input stops for `delay` milliseconds it posts the
 * form with `fetch` to `endpoint` (a JSON route of its own, e.g. `…/edit/overview/autosave`),
 * which answers `{ ok, savedAt, revision }` or 400 with `{ ok: false, errors }`. A polite live region
 * says "Saved at HH:MM" or "Not saved: …". Field errors from the server are marked on the fields.
 * The Save button still posts the form as usual (and works without JavaScript).
 *
 * The form's hidden `revision` field follows each background save. When someone else saved the
 * section meanwhile the page answers 409 (problem+json): the element says so in the live region,
 * leaves every field as the person typed it and stops saving in the background; the Save button
 * then shows the page's conflict view (what is saved now beside the person's text).
 *
 * @attr endpoint - Where the background saves go (the form's own action, unless given).
 * @attr saved-text - Message for a save, with `{time}`.
 * @attr failed-text - Message for a failure, with `{reason}`.
 * @attr invalid-text - Reason when fields are not valid.
 * @attr offline-text - Reason when the request failed.
 * @attr conflict-text - Message when someone else saved meanwhile (409).
 * @slot - The server-rendered form.
 * @event aix-autosave - AixAutosaveEvent, after each background save.
 */
@customElement('aix-autosave')
export class AixAutosave extends LitElement {
  /** The URL the background saves are posted to; the form's action when empty. */
  @property() endpoint = '';
  /** Milliseconds of quiet before saving. */
  @property({ type: Number }) delay = 1500;
  @property({ attribute: 'saved-text' }) savedText = 'Saved at {time}';
  @property({ attribute: 'failed-text' }) failedText = 'Not saved: {reason}';
  @property({ attribute: 'invalid-text' }) invalidText = 'check the highlighted fields';
  @property({ attribute: 'offline-text' }) offlineText = 'the connection failed';
  @property({ attribute: 'conflict-text' }) conflictText =
    'Not saved: someone else saved this meanwhile. Your text is kept; use the Save button to see what changed.';

  @state() private status = '';

  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> | undefined;
  private dirty = false;
  /** Someone else saved meanwhile: background saves stop; the Save button shows the conflict. */
  private conflicted = false;
  private marked: HTMLElement[] = [];

  // Light DOM: the element enhances markup that is already on the page.
  protected override createRenderRoot() {
    return this;
  }

  private get form(): HTMLFormElement | null {
    return this.querySelector('form');
  }

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('input', this.onEdit);
    this.addEventListener('change', this.onEdit);
    this.addEventListener('submit', this.onSubmit);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener('input', this.onEdit);
    this.removeEventListener('change', this.onEdit);
    this.removeEventListener('submit', this.onSubmit);
    clearTimeout(this.timer);
  }

  private onEdit = () => {
    this.dirty = true;
    clearTimeout(this.timer);
    if (this.conflicted) return;
    this.timer = setTimeout(() => void this.save(), this.delay);
  };

  /**
   * The plain submit (Save button) goes ahead; a pending background save is dropped. While a
   * background save is under way the submit waits for it, so that it carries the revision that
   * save produced (and is not refused as stale by the person's own save).
   */
  private onSubmit = (event: SubmitEvent) => {
    clearTimeout(this.timer);
    this.dirty = false;
    const running = this.saving;
    if (!running) return;
    event.preventDefault();
    const submitter = event.submitter instanceof HTMLElement ? event.submitter : null;
    void running.then(() => this.form?.requestSubmit(submitter));
  };

  /** Saves now; a save asked for while one is running follows it. */
  async save(): Promise<void> {
    if (this.saving) {
      await this.saving;
      if (!this.dirty) return;
    }
    const form = this.form;
    if (!form) return;
    this.dirty = false;
    this.saving = this.post(form).finally(() => (this.saving = undefined));
    await this.saving;
  }

  private async post(form: HTMLFormElement) {
    let answer: AutosaveAnswer | undefined;
    let ok = false;
    let conflict = false;
    try {
      const response = await fetch(this.endpoint || form.getAttribute('action') || location.pathname + location.search, {
        method: 'POST',
        body: new FormData(form),
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      answer = (await response.json().catch(() => undefined)) as AutosaveAnswer | undefined;
      ok = response.ok && answer?.ok === true;
      conflict = response.status === 409;
    } catch {
      answer = undefined;
    }
    if (conflict) {
      // Nothing in the form is touched: the person's text stays as typed.
      this.conflicted = true;
      clearTimeout(this.timer);
      this.status = this.conflictText;
      this.dispatchEvent(new AixAutosaveEvent(false, undefined));
      return;
    }
    this.mark(answer?.errors ?? {});
    if (ok && typeof answer?.revision === 'number') {
      const field = form.elements.namedItem(REVISION_FIELD);
      if (field instanceof HTMLInputElement) field.value = String(answer.revision);
    }
    if (ok) {
      const at = answer?.savedAt ? new Date(answer.savedAt) : new Date();
      const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
      this.status = this.savedText.replace('{time}', time);
    } else {
      const reason = answer?.errors ? (Object.values(answer.errors)[0] ?? this.invalidText) : this.offlineText;
      this.status = this.failedText.replace(
        '{reason}',
        answer?.errors && Object.keys(answer.errors).length > 1 ? this.invalidText : reason,
      );
    }
    this.dispatchEvent(new AixAutosaveEvent(ok, answer?.savedAt));
  }

  /** Marks the fields the server refused (and clears earlier marks). */
  private mark(errors: Record<string, string>) {
    for (const el of this.marked) {
      el.removeAttribute('aria-invalid');
      el.classList.remove('usa-input--error');
    }
    this.marked = [];
    const form = this.form;
    if (!form) return;
    for (const name of Object.keys(errors)) {
      const field = form.elements.namedItem(name);
      const el = field instanceof RadioNodeList ? (field[0] as HTMLElement | undefined) : (field as HTMLElement | null);
      if (!el) continue;
      el.setAttribute('aria-invalid', 'true');
      el.classList.add('usa-input--error');
      this.marked.push(el);
    }
  }

  protected override render() {
    return html`<p class="aix-autosave__status" role="status" aria-live="polite" aria-atomic="true">${this.status}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aix-autosave': AixAutosave;
  }
  interface GlobalEventHandlersEventMap {
    'aix-autosave': AixAutosaveEvent;
  }
}
