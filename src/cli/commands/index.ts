import type { CliCommand } from '../command';

/** A sub-command as `greenroom --help` lists it; `load` brings in its module and everything that module imports. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): CliCommand;
}

/**
 * Every sub-command, in the order `greenroom --help` lists them. A `require` inside `load` (not an import) keeps
 * each command's module unevaluated until that command runs: `--help` and `validate` never load the Docker client.
 */
export const commands: CommandEntry[] = [
  {
    name: 'validate',
    summary: "Check .actor/actor.json, the Actor's schemas and its INPUT files with the platform's rules",
    load: () => (require('./validate') as typeof import('./validate')).validateCommand,
  },
  {
    name: 'build',
    summary: "Build the Actor's Docker image as a numbered, tagged build",
    load: () => (require('./build') as typeof import('./build')).buildCommand,
  },
  {
    name: 'run',
    summary: "Run the Actor's Docker image locally (building it first when there is no build)",
    load: () => (require('./run') as typeof import('./run')).runCommand,
  },
  {
    name: 'serve',
    summary: "Serve the local Apify API for the workspace's Actors until Ctrl+C (prints its URL and token)",
    load: () => (require('./serve') as typeof import('./serve')).serveCommand,
  },
  {
    name: 'runs',
    summary: "List the Actor's local runs, newest first",
    load: () => (require('./runs') as typeof import('./runs')).runsCommand,
  },
  {
    name: 'builds',
    summary: "List the Actor's local builds, newest first, with their tags",
    load: () => (require('./builds') as typeof import('./builds')).buildsCommand,
  },
  {
    name: 'abort',
    summary: 'Abort a run: kill it, or with --graceful tell it (`aborting` at home, SIGINT in local mode) and kill after 30 s',
    load: () => (require('./abort') as typeof import('./abort')).abortCommand,
  },
  {
    name: 'migrate',
    summary: 'Move a running run at home to a new container on the same storages (the `migrating` event first)',
    load: () => (require('./migrate') as typeof import('./migrate')).migrateCommand,
  },
  {
    name: 'resurrect',
    summary: 'Start a finished run again in a new container with the same storages',
    load: () => (require('./resurrect') as typeof import('./resurrect')).resurrectCommand,
  },
  {
    name: 'log',
    summary: "Print a run's log (all its containers, resurrections included)",
    load: () => (require('./log') as typeof import('./log')).logCommand,
  },
  {
    name: 'items',
    summary: "Print or export a run's default dataset items (JSON Lines, JSON, CSV, XML, HTML, RSS, Excel), raw or through a dataset schema view",
    load: () => (require('./items') as typeof import('./items')).itemsCommand,
  },
];
