import type { CliCommand } from '../command';
import { validateCommand } from './validate';

/** Every sub-command, in the order `greenroom --help` lists them. */
export const commands: CliCommand[] = [validateCommand];
