/** A small element builder shared by the webviews: plain DOM (plus vscode-elements in the form), no framework in between. */

type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * Creates `tag` with attributes (false/undefined ones left out) and children (strings become text, never HTML).
 * Properties that custom elements read as properties, not attributes (value, checked), are set by the caller.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Attributes, ...children: (Node | string)[]): HTMLElement;
export function h(tag: string, attributes: Attributes = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

let lastId = 0;

/** A document-unique id, to tie labels, descriptions and errors to their control. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++lastId}`;
}

/** A secondary, compact button. */
export function button(text: string, onClick: () => void, attributes: Attributes = {}): HTMLElement {
  const element = h('vscode-button', { secondary: true, ...attributes }, text);
  element.addEventListener('click', onClick);
  return element;
}
