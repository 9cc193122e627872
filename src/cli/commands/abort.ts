import { CliCommand, EXIT_OK, UsageError } from '../command';
import { openEngine, WORKSPACE_OPTION, reportEngineError } from '../engineCli';

export const abortCommand: CliCommand = {
  usage: 'Usage: greenroom abort <runId> [--graceful] [--actor DIR] [--workspace DIR] [--json]',
  options: { ...WORKSPACE_OPTION, graceful: { type: 'boolean' }, actor: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one run id');
    const engine = await openEngine(io, values.actor as string | undefined, values);
    try {
      const run = await engine.abort(positionals[0], { graceful: values.graceful === true });
      io.stdout.write(values.json ? JSON.stringify(run, null, 2) + '\n' : `Run ${run.id} ${run.status}\n`);
      return EXIT_OK;
    } catch (error) {
      return reportEngineError(io, 'abort', error);
    } finally {
      engine.dispose();
    }
  },
};
