#!/usr/bin/env node
// Thin shim: check the Node version before loading the bundle (its syntax needs Node 20.12+).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  console.error(`create-hardened-service needs Node.js 20.12 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}
await import('../dist/index.js');
