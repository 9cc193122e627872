/**
 * Descriptions come from the schema, i.e. from anyone: they are rendered as the platform does (a small HTML subset)
 * through DOMPurify, so no markup in them can run script or load anything. The CSP would block both anyway.
 */
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = ['a', 'b', 'strong', 'i', 'em', 'u', 's', 'code', 'pre', 'br', 'p', 'ul', 'ol', 'li', 'span', 'small', 'sup', 'sub'];
const ALLOWED_ATTR = ['href', 'title'];

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // Links leave the webview (VS Code opens them in the browser); never let them name the opener.
  if (node.tagName === 'A') node.setAttribute('rel', 'noopener noreferrer');
});

/** A fragment holding the description's safe HTML. */
export function renderDescription(html: string): DocumentFragment {
  // Most descriptions are plain text: they skip DOMPurify's parse (a document per call, most of a field's drawing time).
  if (!/[<&]/.test(html)) {
    const fragment = document.createDocumentFragment();
    fragment.append(html);
    return fragment;
  }
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    RETURN_DOM_FRAGMENT: true,
  });
}
