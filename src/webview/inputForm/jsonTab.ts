/**
 * The JSON tab: the whole input as INPUT.json holds it (secret fields live in VS Code's secret storage, not here), as
 * text to edit. Text that parses as an object is applied as an edit of every key; text that does not stays in the tab
 * with the reason, and nothing is applied until it is fixed.
 */
import { InputObject } from '../../form/input';
import { h, uniqueId } from '../dom';

export interface JsonTab {
  element: HTMLElement;
  /** Shows `input`, unless the tab holds text not applied yet (the person's own: kept until it parses or is discarded). */
  show(input: InputObject, discardDraft?: boolean): void;
  /** Applies text still waiting for the typing pause at once; false when the tab's text is not applied. */
  flush(): boolean;
  text(): string;
  /** The problem shown under the text, '' when there is none. */
  error(): string;
}

export function renderJsonTab(apply: (input: InputObject) => void, debounceMs: number): JsonTab {
  const errorId = uniqueId('json-error');
  const note = h('div', { class: 'note' }, 'The whole input as INPUT.json holds it. Secret fields are kept in VS Code secret storage and are not shown.');
  const textarea = h('vscode-textarea', { rows: 24, monospace: true, spellcheck: 'false', resize: 'vertical', class: 'json-text', 'aria-label': 'Input as JSON', 'aria-describedby': errorId });
  const error = h('div', { class: 'error', id: errorId, role: 'alert', hidden: true });
  const element = h('section', { class: 'json-tab', 'aria-label': 'Input as JSON' }, note, textarea, error);
  /** Text typed but not applied (waiting for the pause, or not parsing): what show() must not overwrite. */
  let draft: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const showError = (message: string | undefined) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    textarea.toggleAttribute('invalid', !!message);
    textarea.setAttribute('aria-invalid', String(!!message));
  };

  const applyText = (): boolean => {
    clearTimeout(timer);
    timer = undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(textarea.value);
    } catch (problem) {
      showError(`Not valid JSON: ${(problem as Error).message}. Nothing is applied until it parses; INPUT.json keeps the last valid input.`);
      return false;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      showError('The input must be a JSON object ({ … }). Nothing is applied until it is; INPUT.json keeps the last valid input.');
      return false;
    }
    draft = undefined;
    showError(undefined);
    apply(parsed as InputObject);
    return true;
  };

  textarea.addEventListener('input', () => {
    draft = textarea.value;
    clearTimeout(timer);
    timer = setTimeout(applyText, debounceMs);
  });

  return {
    element,
    show(input, discardDraft = false) {
      if (discardDraft) {
        clearTimeout(timer);
        timer = undefined;
        draft = undefined;
        showError(undefined);
      }
      if (draft === undefined) textarea.value = JSON.stringify(input, null, 2);
    },
    flush: () => (timer !== undefined ? applyText() : draft === undefined),
    text: () => textarea.value,
    error: () => error.textContent ?? '',
  };
}
