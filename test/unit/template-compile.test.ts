// Templates are compiled by the build (dist/templates.js); from source, on first use, by the same code.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledModule, compileTemplate, templateNames } from '../../src/kit/template-compile.ts';
import { renderTemplate } from '../../src/kit/templates.ts';

test('every *.ejs at any depth is picked up, nothing else', () => {
  const root = mkdtempSync(join(tmpdir(), 'chs-templates-'));
  mkdirSync(join(root, 'lang', 'deep', 'er'), { recursive: true });
  writeFileSync(join(root, 'lang', 'deep', 'er', 'x.toml.ejs'), '<%= a %>');
  writeFileSync(join(root, 'lang', 'Dockerfile.ejs'), 'FROM <%= image %>');
  writeFileSync(join(root, 'lang', 'static.txt'), 'as is');
  assert.deepEqual(templateNames(root), ['lang/Dockerfile.ejs', 'lang/deep/er/x.toml.ejs']);
  const module = { exports: {} as Record<string, (locals: object, escape: (v: unknown) => string, include: () => string) => string> };
  new Function('module', compiledModule(root))(module);
  assert.deepEqual(Object.keys(module.exports), ['lang/Dockerfile.ejs', 'lang/deep/er/x.toml.ejs']);
  assert.equal(module.exports['lang/Dockerfile.ejs']!({ image: 'python:3' }, String, () => ''), 'FROM python:3');
});

test('renderTemplate: values as they are (no HTML escaping), includes relative to the template, an unknown name fails', () => {
  const out = renderTemplate('shared/dockerfile/labels.ejs', { name: 'a&b<c>', maintainer: null });
  assert.match(out, /a&b<c>/);
  assert.throws(() => renderTemplate('shared/no-such.ejs', {}), /no template shared\/no-such\.ejs/);
});

test("a template naming the compiled function's own names ($a, $e, ejs's __append, escapeFn) is refused, naming it", () => {
  for (const name of ['$a', '$e', '__append', 'escapeFn']) {
    assert.throws(() => compileTemplate(`<% const x = ${name}; %>`, 'lang/x.ejs'), (error: Error) => error.message.startsWith(`templates/lang/x.ejs: "${name}"`));
  }
  // A longer name that merely starts like one is the template's own.
  const fn = new Function(`return (${compileTemplate('<%= $api %>/<%= escapeFnName %>', 'lang/y.ejs')});`)();
  assert.equal(fn({ $api: 'a', escapeFnName: 'b' }, String, () => ''), 'a/b');
});
