/** Completion, hover and links for Actor definition files: pure functions over text, no `vscode` import. */
export { DefinitionDocument } from './documentContext';
export { complete } from './completion';
export type { CompletionEntry } from './completion';
export { hover } from './hover';
export type { HoverInfo } from './hover';
export { pathLinks, pathTargetAt } from './links';
export type { PathLink } from './links';
export { formatDefinition, outline } from './structure';
export type { OutlineEntry, TextReplacement } from './structure';
