import { main } from './cli/main.ts';

// process.stdin is made on first use (a stream, loaded then): only a run that may prompt reads it.
const io = {
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
};
void main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
