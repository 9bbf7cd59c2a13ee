// Bundle src/ into dist/ with zero runtime dependencies: a small entry (dist/index.js: argv, --help,
// --version) and chunks loaded only when needed (prompts, templates, git/lock tasks), so start-up
// work is only what the first screen needs. See `npm run bench`.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Generated from the answers table, the languages and the versions table: the team preset's JSON
// schema (shipped in the package, not kept in git), and the answers part of --help (handed to
// dist/fast.cjs, which then carries neither the table nor a language module).
const generator = await build({
  stdin: {
    contents: [
      "import { presetSchema } from './src/options/schema.ts';",
      "import { answersHelp } from './src/cli/help-answers.ts';",
      "import { LANGUAGES } from './src/languages/index.ts';",
      "import { VERSIONS } from './src/versions.ts';",
      'export const schema = presetSchema(LANGUAGES, VERSIONS);',
      'export const answersText = answersHelp(LANGUAGES);',
    ].join('\n'),
    resolveDir: '.',
    loader: 'ts',
    sourcefile: 'generated-entry.ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.12',
  write: false,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
});
const scratch = mkdtempSync(join(tmpdir(), 'chs-generate-'));
let generated;
try {
  const module = join(scratch, 'generate.mjs');
  writeFileSync(module, generator.outputFiles[0].text);
  generated = await import(pathToFileURL(module).href);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
mkdirSync('schema', { recursive: true });
writeFileSync('schema/preset.schema.json', `${JSON.stringify(generated.schema, null, 2)}\n`);

const result = await build({
  entryPoints: ['src/index.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.12',
  minify: true,
  legalComments: 'none',
  metafile: true,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies (ejs) call require(): give them one inside the ESM bundle.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
});

// `--help` and `--version` alone: a CommonJS file the bin shim requires without the ESM loader.
await build({
  entryPoints: ['src/fast.ts'],
  outfile: 'dist/fast.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.12',
  minify: true,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version), __ANSWERS_HELP__: JSON.stringify(generated.answersText) },
  // import.meta is only read by version.ts's fallback for running from source; with __VERSION__
  // defined that branch never runs in this file.
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
});

// Drop chunks of earlier builds, so the package ships only what this build references.
const outputs = new Set(Object.keys(result.metafile.outputs).map((path) => basename(path)));
for (const file of readdirSync('dist/chunks')) if (!outputs.has(file)) rmSync(`dist/chunks/${file}`);

