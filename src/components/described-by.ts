/** The `aria-describedby` of a control in a FormGroup: its hint and error, when shown. */
export function describedBy(id: string, hint: string | boolean | undefined, error: string | undefined): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}
