import type { CliCommand } from '../command';
import { abortCommand } from './abort';
import { buildCommand } from './build';
import { buildsCommand } from './builds';
import { itemsCommand } from './items';
import { logCommand } from './log';
import { resurrectCommand } from './resurrect';
import { runCommand } from './run';
import { runsCommand } from './runs';
import { validateCommand } from './validate';

/** Every sub-command, in the order `greenroom --help` lists them. */
export const commands: CliCommand[] = [
  validateCommand,
  buildCommand,
  runCommand,
  runsCommand,
  buildsCommand,
  abortCommand,
  resurrectCommand,
  logCommand,
  itemsCommand,
];
