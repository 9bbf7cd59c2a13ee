#!/usr/bin/env node
// Thin shim (CommonJS: bin/package.json): check the Node version before loading the bundle (its
// syntax needs Node 20.12+); answer a lone --help/--version from a small file; else the CLI bundle
// (CommonJS too: dist/package.json).
'use strict';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  console.error(`create-hardened-service needs Node.js 20.12 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}
const argv = process.argv.slice(2);
// Only a lone argument can be --help or --version: any other run goes straight to the CLI.
const fast = argv.length === 1 ? require('../dist/fast.cjs').fastOutput(argv) : undefined;
if (fast !== undefined) {
  // The text is the whole product here: output that fails (> /dev/full) fails the run, without a
  // stack trace; a reader that left (| head) is not a failure.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') return;
    process.stderr.write(`error could not write to standard output (${error.message}).\n`);
    process.exitCode = 1;
  });
  process.stdout.write(fast);
} else require('../dist/index.js');
