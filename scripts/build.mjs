// Bundle src/ into dist/ with zero runtime dependencies: a small entry (dist/index.js: argv, --help,
// --version) and chunks loaded only when needed (prompts, templates, git/lock tasks), so start-up
// work is only what the first screen needs. See `npm run bench`.
import { build, transform } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      "import { compiledModule } from './src/kit/template-compile.ts';",
      'export const schema = presetSchema(LANGUAGES, VERSIONS);',
      'export const answersText = answersHelp(LANGUAGES);',
      "export const templatesModule = compiledModule('templates');",
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
// Compact: the schema is read by editors and validators, not people (docs/ explains the fields).
writeFileSync('schema/preset.schema.json', `${JSON.stringify(generated.schema)}\n`);

// Every templates/**/*.ejs compiled to a function now (src/kit/template-compile.ts), shipped as
// dist/templates.js: no ejs and no template parsing at run time, no .ejs in the package (package.json
// "files"). Sloppy-mode CommonJS of its own (the compiled code uses `with`), minified apart.
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
const compiled = await transform(generated.templatesModule, { loader: 'js', format: 'cjs', minify: true, target: 'node20.12', legalComments: 'none' });
writeFileSync('dist/templates.js', compiled.code);
// In the bundle, src/kit/compiled-templates.ts (which compiles on first use, from source) is this.
const compiledTemplates = {
  name: 'compiled-templates',
  setup(build) {
    build.onResolve({ filter: /\/compiled-templates\.ts$/ }, () => ({ path: 'compiled-templates', namespace: 'compiled-templates' }));
    build.onLoad({ filter: /.*/, namespace: 'compiled-templates' }, () => ({
      contents: "let all; exports.templateFunction = (name) => (all ??= require('./templates.js'))[name];",
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/templates\.js$/ }, () => ({ path: './templates.js', external: true }));
  },
};

// The CLI: one CommonJS bundle (no ES module loader, no chunks to find and link at start-up). Its
// dynamic imports (the wizard, each subcommand, the steps after the prompts) become modules that
// run only when first imported, so start-up work is what the first screen needs.
await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.12',
  minify: true,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // import.meta is only read when running from source (version.ts, package-root.ts fallbacks).
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [compiledTemplates],
  logLevel: 'warning',
});
writeFileSync('dist/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);

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

