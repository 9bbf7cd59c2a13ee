// The `# syntax=` line (D1, issue 10) for every language: the public frontend, the one mirrored in
// the registry, a pinned one, or none; and the README section that explains the choice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGES } from '../../src/languages/index.ts';
import { buildOptions, completeAnswers } from '../../src/answer-rules.ts';
import type { Answers, Options } from '../../src/options/types.ts';
import { renderProject } from '../../src/render/render.ts';

const REGISTRY = 'registry.example.com/base';

/** Options exactly as the CLI settles them (the test helper keeps the public frontend; see there). */
function settled(answers: Partial<Answers>): Options {
  return buildOptions(completeAnswers({ directory: 'billing-api', ...answers }, '/'), {}, '0.0.0-test');
}

const firstLine = (files: Map<string, string>) => files.get('Dockerfile')!.split('\n')[0];
const record = (files: Map<string, string>) => JSON.parse(files.get('.hardened-service.json')!) as { answers: Record<string, unknown> };

for (const language of LANGUAGES.map((l) => l.value)) {
  test(`${language}: the syntax line follows the registry answer, a pinned frontend lands verbatim, none writes no line`, () => {
    const publicFiles = renderProject(settled({ language }));
    assert.equal(firstLine(publicFiles), '# syntax=docker/dockerfile:1');
    assert.equal(record(publicFiles).answers.syntax, 'docker/dockerfile:1');

    const mirrored = renderProject(settled({ language, registry: REGISTRY }));
    assert.equal(firstLine(mirrored), `# syntax=${REGISTRY}/docker/dockerfile:1`);
    assert.equal(record(mirrored).answers.syntax, `${REGISTRY}/docker/dockerfile:1`);

    const pinned = `${REGISTRY}/docker/dockerfile:1.9@sha256:${'ab'.repeat(32)}`;
    assert.equal(firstLine(renderProject(settled({ language, registry: REGISTRY, syntax: pinned }))), `# syntax=${pinned}`);

    const none = renderProject(settled({ language, registry: REGISTRY, syntax: null }));
    const dockerfile = none.get('Dockerfile')!;
    assert.doesNotMatch(dockerfile, /syntax=/, 'no syntax directive anywhere');
    assert.match(dockerfile.split('\n')[0]!, /^# \S/, 'the file starts with its own comment, not a blank line');
    assert.equal(record(none).answers.syntax, null, 'the record says none deliberately');
    // Apart from line 1 the Dockerfile is the same: the answer touches nothing else.
    assert.equal(mirrored.get('Dockerfile')!.split('\n').slice(1).join('\n'), dockerfile);
    assert.equal(publicFiles.get('Dockerfile')!.split('\n').slice(1).join('\n'), renderProject(settled({ language, syntax: null })).get('Dockerfile'));
  });

  test(`${language}: the README says what the frontend line does and how to mirror the frontend`, () => {
    const mirrored = renderProject(settled({ language, registry: REGISTRY })).get('README.md')!;
    assert.match(mirrored, /^## The `# syntax=` line/m);
    assert.ok(mirrored.includes(`skopeo copy --all docker://docker.io/docker/dockerfile:1 docker://${REGISTRY}/docker/dockerfile:1`), mirrored);
    assert.ok(mirrored.includes(`crane copy docker/dockerfile:1 ${REGISTRY}/docker/dockerfile:1`));
    assert.ok(mirrored.includes(`docker push ${REGISTRY}/docker/dockerfile:1`));
    assert.match(mirrored, /would fail at line 1/);

    const publicReadme = renderProject(settled({ language })).get('README.md')!;
    assert.match(publicReadme, /`# syntax=REGISTRY\/docker\/dockerfile:1`/, 'a public project says how to move to a mirror');

    const none = renderProject(settled({ language, syntax: null })).get('README.md')!;
    assert.match(none, /no `# syntax=` line \(generated with `--syntax none`\)/);
    assert.match(none, /builder's own version decides which Dockerfile\s+features work/);
    assert.match(none, /Docker Engine 20\.10's built-in frontend/);
    assert.doesNotMatch(none, /The first line of the Dockerfile/);
  });
}
