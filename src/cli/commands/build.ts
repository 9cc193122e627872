import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { openEngine, WORKSPACE_OPTION, formatDuration, optionalSeconds, reportEngineError } from '../engineCli';

export const buildCommand: CliCommand = {
  usage: [
    'Usage: greenroom build [actorDir] [--tag t] [--no-cache] [--timeout S] [--workspace DIR] [--json]',
    '',
    'The build number is <actor.json version>.<n>; the tag (default: actor.json buildTag, else latest) moves to',
    'the new build when it succeeds. --json prints the build record on stdout and the log on stderr.',
  ].join('\n'),
  options: {
    ...WORKSPACE_OPTION,
    tag: { type: 'string' },
    'no-cache': { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected at most one actorDir, got ${positionals.length}`);
    const options = { tag: values.tag as string | undefined, useCache: values['no-cache'] !== true, timeoutSecs: optionalSeconds(values, 'timeout') };
    const engine = await openEngine(io, positionals[0], values);
    const logOut = values.json ? io.stderr : io.stdout;
    const unsubscribe = engine.onEvent((event) => {
      if (event.type === 'build-log') logOut.write(event.lines.join('\n') + '\n');
    });
    try {
      await engine.docker.ping();
      const handle = engine.build(options);
      process.once('SIGINT', handle.abort);
      const build = await handle.finished;
      process.off('SIGINT', handle.abort);
      if (values.json) io.stdout.write(JSON.stringify(build, null, 2) + '\n');
      else {
        const size = build.stats.imageSizeBytes ? `, image ${(build.stats.imageSizeBytes / 1e6).toFixed(1)} MB` : '';
        io.stderr.write(`Build ${build.buildNumber} (${build.id}) ${build.status} in ${formatDuration(build.stats.durationMillis)}${size}${build.statusMessage ? `: ${build.statusMessage}` : ''}\n`);
      }
      return build.status === 'SUCCEEDED' ? EXIT_OK : EXIT_FAILURE;
    } catch (error) {
      return reportEngineError(io, 'build', error);
    } finally {
      unsubscribe();
      engine.dispose();
    }
  },
};
