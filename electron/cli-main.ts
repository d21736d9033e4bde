// Process entry of the `pktscope` command: wires `run` to stdout/stderr and the exit code.

import { writeSync } from 'node:fs';
import { run } from './cli.ts';

function writeAll(fd: number, s: string): void {
  const b = Buffer.from(s);
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(fd, b, off);
    } catch (e) {
      // A closed pipe (`pktscope ... | head`) ends the output quietly, as tshark does.
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
}

process.exitCode = await run(process.argv.slice(2), {
  write: (s) => writeAll(1, s),
  error: (s) => writeAll(2, s + '\n'),
});
