import { parseImageRef } from '../image-ref.ts';
import { imagePin, pulledImages } from '../pins.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

function check(reference: string, line: number, what: string): Finding[] {
  const pin = imagePin(reference);
  const name = parseImageRef(reference).name;
  switch (pin.kind) {
    case 'digest':
      return [];
    case 'variable':
      if (pin.platform) return [];
      return [finding('D3', 'warning', line, `${what} \`${reference}\` uses a variable without a default: give the ARG a pinned default so the base can be checked.`)];
    case 'bad-digest':
      return [finding('D3', 'error', line, `${what} \`${reference}\` has a malformed digest: use \`@sha256:\` followed by 64 hex digits.`)];
    case 'latest-with-digest':
      return [finding('D3', 'warning', line, `${what} \`${reference}\` names the tag \`latest\`: keep the digest and name the real version tag for readers.`)];
    case 'untagged':
      return [finding('D3', 'error', line, `${what} \`${reference}\` has no tag (it means latest): pin a version tag and a digest, e.g. \`${name}:<version>@sha256:…\`.`)];
    case 'latest':
      return [finding('D3', 'error', line, `${what} \`${reference}\` uses \`latest\`: pin a version tag and a digest, e.g. \`${name}:<version>@sha256:…\`.`)];
    case 'tag':
      return [finding('D3', 'warning', line, `${what} \`${reference}\` is pinned by tag only (tags move): add the digest, \`${reference}@sha256:…\`, where the registry can be reached.`)];
  }
}

export const D3: Rule = {
  id: 'D3',
  title: 'every base image has a version tag and a digest',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'A tag can be moved to another image at any time; only a digest names the exact bytes, so two builds of the same commit start from the same base.',
  fix: 'Write `image:version@sha256:…` (`create-hardened-service pin` fills in digests where the registry answers).',
  check(d) {
    const findings: Finding[] = [];
    for (const image of pulledImages(d)) findings.push(...check(image.reference, image.line, image.what));
    return findings;
  },
};
