import { imagePin, pulledImages } from '../pins.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

function check(reference: string, line: number, what: string): Finding[] {
  const pin = imagePin(reference);
  if (pin.kind === 'untagged') return [finding('B201', 'error', line, `${what} \`${reference}\` has no tag, which means \`latest\`: pin a version tag, e.g. \`${pin.name}:<version>\` (and a digest).`)];
  if (pin.kind === 'latest') return [finding('B201', 'error', line, `${what} \`${reference}\` uses \`latest\`, which changes under you: pin a version tag, e.g. \`${pin.name}:<version>\` (and a digest).`)];
  if (pin.kind === 'bad-digest') return [finding('B201', 'error', line, `${what} \`${reference}\` has a malformed digest: use \`@sha256:\` followed by 64 hex digits.`)];
  return [];
}

export const B201: Rule = {
  id: 'B201',
  title: 'base images have a version tag (not latest)',
  severity: 'error',
  profiles: ['baseline'],
  rationale: 'An untagged or `latest` base is whatever was pushed last: the same commit builds on a different OS or runtime from one day to the next.',
  fix: 'Name a version tag (`python:3.13-slim-trixie`), and a digest where you can (`…@sha256:…`; `create-hardened-service pin` adds them).',
  covers: ['hadolint DL3006', 'hadolint DL3007', 'dockerfilelint: missing tag / latest tag'],
  check(d) {
    const findings: Finding[] = [];
    for (const image of pulledImages(d)) findings.push(...check(image.reference, image.line, image.what));
    return findings;
  },
};
