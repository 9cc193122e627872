/**
 * Messages between the input form's host (extension) and its webview. Secret values travel only from the webview
 * to the host, never back: the webview learns which secrets are stored, not what they are.
 */
import { InputObject } from '../form/input';
import { FormModel, ResourceType } from '../form/model';
import { SnippetLanguage } from '../form/snippets';

export interface FieldError {
  /** Path of the problem as the validator reports it; its first segment is the field's key. */
  field: string;
  message: string;
}

/** Local storages the resourcePicker can offer, by resource type. */
export type LocalResources = Partial<Record<ResourceType, string[]>>;

export type HostMessage =
  /** (Re)draws the whole form: on open, after the schema changed, after the webview was restored. */
  | {
      type: 'render';
      model: FormModel;
      input: InputObject;
      storedSecrets: string[];
      resources: LocalResources;
      errors: FieldError[];
      runChoices: RunChoices;
      /** What the form edits, when it is not the Actor's INPUT.json: shown under the title (a task's input). */
      editing?: string;
    }
  /** The INPUT.json document changed, not through the form (undo, a text editor, the disk): show its values. */
  | { type: 'input'; input: InputObject }
  | { type: 'errors'; errors: FieldError[] }
  | { type: 'storedSecrets'; keys: string[] }
  | { type: 'status'; text: string; error?: boolean }
  /** A picked file is now a record in the key-value store; `value` is what the field holds. */
  | { type: 'fileStored'; key: string; value: string }
  | { type: 'test'; id: number; action: TestAction };

/** What the run options beside Run offer: the memory sizes actor.json allows, and the defaults shown as placeholders. */
export interface RunChoices {
  memoryChoices: number[];
  /** How the allowed range reads (`a power of two between 128 and 1024 MB (…)`), or why there is none. */
  memoryDescription: string;
  defaultTimeoutSecs: number;
}

/** The run options the person set beside Run; an unset one takes the Actor's (or the settings') default. */
export interface FormRunOptions {
  build?: string;
  memoryMbytes?: number;
  timeoutSecs?: number;
}

/** `saveTask`: save the input (without secrets) as a task of the Actor, `.actor/tasks.json`. */
export type FormAction = 'save' | 'run' | 'saveTask';

export type WebviewMessage =
  | { type: 'ready' }
  /**
   * Every edit: the full input as the form holds it, secrets included (the host stores those). `wholeInput`: from the
   * JSON tab, which owns every key of INPUT.json (a form edit changes only the schema's keys).
   */
  | { type: 'change'; input: InputObject; wholeInput?: boolean }
  | { type: 'action'; action: FormAction; input: InputObject; runOptions: FormRunOptions }
  | { type: 'copy'; format: 'json' | SnippetLanguage; input: InputObject }
  | { type: 'pickFile'; key: string }
  | { type: 'forgetSecret'; key: string }
  | { type: 'testResult'; id: number; result: unknown };

/** What a test can ask the webview to do, through the same code paths a person's clicks and keystrokes take. */
export type TestAction =
  | { kind: 'setField'; key: string; value: unknown }
  | { kind: 'setRunOption'; option: keyof FormRunOptions; value: string }
  | { kind: 'click'; control: 'save' | 'run' | 'save-task' | 'copy-json' | 'reset' }
  | { kind: 'showTab'; tab: FormTab }
  /** Replaces the JSON tab's text, as typing or pasting into it does. */
  | { kind: 'typeJson'; text: string }
  | { kind: 'snapshot' }
  | { kind: 'probeScript' };

/** The form's two views of the input: its fields, or the whole input as JSON text. */
export type FormTab = 'form' | 'json';

/** What `snapshot` returns: the form as rendered. */
export interface FormSnapshot {
  tab: FormTab;
  /** The JSON tab's text, and the problem it shows (empty when the text is applied). */
  jsonText: string;
  jsonError: string;
  /** False while a big form is still drawing its later fields. */
  complete: boolean;
  input: InputObject;
  /** Keys of the fields on screen, in order (hidden fields are not). */
  renderedKeys: string[];
  sectionCaptions: string[];
  /** Error text shown under each field. */
  errors: Record<string, string>;
  requiredKeys: string[];
  /** The memory sizes the run options offer, as shown. */
  memoryOptions: string[];
  /** What an empty timeout beside Run means, as its placeholder shows it. */
  timeoutPlaceholder: string;
  status: string;
  /** The line under the title saying what the form edits (a task's input); empty for INPUT.json. */
  editing: string;
}

/** The webview's saved state (VS Code persists it; the values live in the document): never a secret. */
export interface InputFormState {
  /** Fields the person has edited: their problems are shown before the first submit. */
  touched: string[];
  tab?: FormTab;
}

/** Name of the global a script smuggled in through a description would have to set; the probe reads it. */
export const SCRIPT_PROBE_GLOBAL = '__greenroomInjectedScriptRan';
