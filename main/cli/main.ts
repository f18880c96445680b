import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { openMovelog } from '../core.js';
import { startHost } from '../host/server.js';
import { defaultDataDir } from '../paths.js';

/** The package root, from out/node/main/cli/main.js. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RENDERER_DIR = `${PACKAGE_ROOT}out/renderer`;

/** An error the user can fix; printed as one line, without a stack trace. */
export class UsageError extends Error {}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a whole number from 0 to 65535.');
  return port;
}

export function buildProgram(): Command {
  const program = new Command('movelog')
    .description('Movelog: signed, peer-to-peer records for physical-therapy clinics.')
    .showHelpAfterError('(run "movelog --help" for usage)');

  program
    .command('serve')
    .description('Run the browser host: the app in your browser, on this computer only (127.0.0.1).')
    .option('--data <dir>', 'data directory', defaultDataDir())
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 4173)
    .action(async (opts: { data: string; port: number }) => {
      const movelog = openMovelog(opts.data);
      let host;
      try {
        host = await startHost({ movelog, rendererDir: RENDERER_DIR, port: opts.port });
      } catch (error) {
        movelog.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`Port ${opts.port} is already in use. Choose another with --port, or --port 0 for any free port.`);
        }
        throw error;
      }
      process.stdout.write(
        `Movelog is running for ${movelog.dataDir}\n` +
          `Open this address in your browser (it works only on this computer and only until Movelog stops):\n\n` +
          `  ${host.url}\n\n` +
          `Press Ctrl+C to stop.\n`,
      );
      const stop = () => {
        host
          .close()
          .then(() => movelog.close())
          .then(() => process.exit(0))
          .catch((error: unknown) => {
            console.error(error);
            process.exit(1);
          });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  return program;
}

export async function run(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`movelog: ${message}\n`);
    if (!(error instanceof UsageError) && process.env.MOVELOG_DEBUG) console.error(error);
    process.exitCode = 2;
  }
}
