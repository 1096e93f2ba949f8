// `unregister-responder COMMAND …`: dispatches to the registry and maps errors to exit codes.
import { COMMANDS } from "./commands/index";
import { UsageError, type CliIO } from "./types";

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
    io.stdout.write(`usage: unregister-responder COMMAND [options]\n\ncommands:\n${lines.join("\n")}\n`);
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr.write(`unregister-responder: unknown command "${name}" (try --help)\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`unregister-responder ${name}: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`unregister-responder ${name}: ${(err as Error)?.stack ?? String(err)}\n`);
    return 3;
  }
}

const invokedDirectly =
  process.argv[1] &&
  /lib[\\/]cli[\\/]main\.ts$|cli\.mjs$|unregister-responder(\.mjs)?$/.test(process.argv[1]);
if (invokedDirectly) {
  // EPIPE when piped into `head`: stop quietly, like other Unix tools.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
  });
  main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
