// The preset schema's patterns: the validators' own pieces (validate.ts), with what a regular
// expression must spell out where the code checks in steps (port range, "latest", dot segments).
import { DIGEST, HOST, NAME_MAX, PATH_COMPONENT, TAG, TOOL_VERSION } from './validate.ts';

// 1-65535 without leading zeros: the code reads the number (portInRange).
const PORT_RANGE = '(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))';
// No "." or ".." segment anywhere after this point.
const NO_DOT_SEGMENT = '(?!.*/\\.\\.?(?:/|$))';

export const REGISTRY = `^${HOST}${PORT_RANGE}?(?:/${PATH_COMPONENT})*/*$`;

/** An image with a tag that is not "latest", or a digest, or both. */
export const IMAGE = `^(?:${HOST}${PORT_RANGE}?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::(?!latest(?:@|$))${TAG}(?:@${DIGEST})?|@${DIGEST})$`;
/** The longest valid reference: a name, a 128-character tag and a sha256 digest. */
export const IMAGE_MAX = NAME_MAX + 1 + 128 + 1 + 71;

export const CERT_PATH = `^${NO_DOT_SEGMENT}/(?:[A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*$`;

export const INDEX_URL = `^https://${HOST}${PORT_RANGE}?${NO_DOT_SEGMENT}(?:/[A-Za-z0-9._~+-]*)*$`;

export const MAINTAINER = '^(?! )(?!.* $)(?:\\p{L}\\p{M}*|[\\p{N} ._@<>()+,:/-]){1,200}$';

export const TOOL_VERSION_PATTERN = TOOL_VERSION.source;

/** A comma list of gates, spaces allowed around the commas. */
export function gateList(gates: readonly string[]): string {
  const one = `(?:${gates.join('|')})`;
  return `^ *${one} *(?:, *${one} *)*$`;
}
