// Bundle src/ into dist/ with zero runtime dependencies: CommonJS bundles split only where a program
// starts, the templates compiled, and dist/fast.cjs for a lone --help/--version, so start-up work is
// only what the first screen needs. See `npm run bench` and `node scripts/size.mjs`.
import { build, transform } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
    build.onResolve({ filter: /.*/, namespace: 'compiled-templates' }, (args) => ({ path: args.path, external: true }));
  },
};

// The CLI: CommonJS bundles (no ES module loader, no chunks to find and link at start-up), split
// only where a program starts: dist/index.js (argv, the subcommand table), dist/run.js (the first
// question), dist/wizard.js, dist/audit.js, dist/pin.js, dist/update.js, and dist/shared.js with the
// modules more than one of them uses. Each program's own dynamic imports (the steps after the prompts,
// git, the registry client) become modules that run only when first imported, so start-up work is
// what the first screen needs.
const PROGRAMS = {
  index: 'src/index.ts',
  run: 'src/steps/run.ts',
  wizard: 'src/steps/wizard.ts',
  audit: 'src/cli/audit.ts',
  pin: 'src/cli/pin.ts',
  update: 'src/cli/update.ts',
};
// Programs on the way to the first prompt carry their own copy of every module they take, never
// dist/shared.js: loading it compiles all of it (~130 KB), start-up time the first question does not
// need. What they hand the wizard is plain values and functions, so a second copy holds no state
// anyone compares across (a class for instanceof, a symbol): run.ts says so where it hands over.
const ALONE = new Set(['index', 'run']);
const programOf = new Map(Object.entries(PROGRAMS).map(([name, entry]) => [resolve(entry), name]));
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.12',
  minify: true,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // import.meta is only read when running from source (version.ts, package-root.ts fallbacks).
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
};
// Our modules (the .ts files under src/) by absolute path, as an import names them.
const ourModule = (args) => (args.path.startsWith('.') && args.path.endsWith('.ts') ? resolve(args.resolveDir, args.path) : undefined);
/** Another program's entry is that program's file, loaded when the import runs. */
const programs = (self) => ({
  name: 'programs',
  setup(build) {
    build.onResolve({ filter: /\.ts$/ }, (args) => {
      const other = programOf.get(ourModule(args));
      if (other !== undefined && other !== self) return { path: other, namespace: 'program' };
      return undefined;
    });
    // Through require(), even for import(): an external import() would start the ES module loader.
    build.onLoad({ filter: /.*/, namespace: 'program' }, (args) => ({ contents: `module.exports = require('./${args.path}.js');`, loader: 'js' }));
    build.onResolve({ filter: /.*/, namespace: 'program' }, (args) => ({ path: args.path, external: true }));
  },
});
// Which of our modules each program takes in: those in two or more go to dist/shared.js.
const takenBy = new Map();
for (const [name, entry] of Object.entries(PROGRAMS)) {
  if (ALONE.has(name)) continue;
  const probe = await build({ ...common, entryPoints: [entry], outfile: `dist/${name}.js`, write: false, metafile: true, plugins: [compiledTemplates, programs(name)] });
  for (const input of Object.keys(probe.metafile.inputs)) {
    if (!input.startsWith('src/') || programOf.has(resolve(input))) continue;
    takenBy.set(resolve(input), [...(takenBy.get(resolve(input)) ?? []), name]);
  }
}
const shared = [...takenBy].filter(([, names]) => names.length > 1).map(([path]) => path).sort();
const sharedIndex = new Map(shared.map((path, i) => [path, i]));
await build({
  ...common,
  // Getters around require(): each module runs when a program first takes it, not when shared.js loads.
  stdin: {
    contents: `Object.defineProperties(exports, {\n${shared.map((path, i) => `  m${i}: { enumerable: true, get: () => require(${JSON.stringify(path)}) },`).join('\n')}\n});`,
    resolveDir: '.',
    loader: 'js',
    sourcefile: 'shared.js',
  },
  outfile: 'dist/shared.js',
  plugins: [compiledTemplates],
});
// In a program, a shared module is its namespace in dist/shared.js (one copy, one state).
const sharedModules = {
  name: 'shared-modules',
  setup(build) {
    build.onResolve({ filter: /\.ts$/ }, (args) => {
      const index = sharedIndex.get(ourModule(args));
      return index === undefined ? undefined : { path: String(index), namespace: 'shared' };
    });
    build.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({ contents: `module.exports = require('./shared.js').m${args.path};`, loader: 'js' }));
    build.onResolve({ filter: /.*/, namespace: 'shared' }, (args) => ({ path: args.path, external: true }));
  },
};
for (const [name, entry] of Object.entries(PROGRAMS)) {
  await build({ ...common, entryPoints: [entry], outfile: `dist/${name}.js`, plugins: [compiledTemplates, programs(name), ...(ALONE.has(name) ? [] : [sharedModules])] });
}
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

