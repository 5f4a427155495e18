/** Small DOM helpers for the pages: elements the markup must have, form values, the notice. */

/** The element `selector` finds; the page's markup has it, so its absence is a bug. */
export function element<T extends HTMLElement = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
}

export function formValue(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
}

export function fillSelect(form: HTMLFormElement, name: string, values: readonly string[]): void {
  const select = form.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
  select.replaceChildren(...values.map((value) => new Option(value, value)));
}

/** Shows one message above the page: `info` (done), `warning` (look at this), `error` (it failed). */
export function showNotice(text: string, kind: 'info' | 'warning' | 'error' = 'info'): void {
  const notice = element('#notice');
  notice.textContent = text;
  notice.className = kind;
  notice.hidden = false;
}
