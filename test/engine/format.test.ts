/** How probabilities, changes and scores are written (engine/src/format.ts), issue #20 item 4. */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatChange, formatPercent, formatProbability, formatProbabilityChange, formatScore, relativeChange } from '../../engine/src/format';

test('probabilities: two decimals from 0.01 up, scientific below, never 0.00 for a non-zero value', () => {
  assert.equal(formatProbability(0.9989451766014099), '1.00');
  assert.equal(formatProbability(0.9), '0.90');
  assert.equal(formatProbability(0.01), '0.01');
  // the example: the table showed 0.0000 where the hover showed 4.5e-5
  assert.equal(formatProbability(4.5e-5), '4.5e-5');
  assert.equal(formatProbability(0.0099), '9.9e-3');
  assert.equal(formatProbability(0), '0.00');
  for (const p of [1e-3, 3.2e-7, 0.004]) assert.notEqual(Number(formatProbability(p)), 0, `${p} is not rounded to zero`);
  assert.equal(formatProbability(undefined), '–');
  assert.equal(formatProbability(NaN), '–');
  // round trip within the digits shown
  for (const p of [0.5, 0.123, 7.7e-4, 2.5e-9]) {
    const back = Number(formatProbability(p));
    assert.ok(Math.abs(back - p) / p < 0.05, `${p} → ${back}`);
  }
});

test('relative changes keep two significant digits and their sign', () => {
  assert.equal(relativeChange(4.5e-5, 1.5e-5), (1.5e-5 - 4.5e-5) / 4.5e-5);
  assert.equal(formatChange(relativeChange(4.5e-5, 1.5e-5)), '\u221267%');
  assert.equal(formatChange(0.045), '+4.5%');
  assert.equal(formatChange(-0.0012), '\u22120.12%');
  assert.equal(formatChange(3.1e-5), '+0.0031%');
  assert.equal(formatChange(0), '±0%');
  assert.equal(formatChange(NaN), '—');
  assert.ok(Number.isNaN(relativeChange(0, 0.5)), 'no change relative to 0');
  assert.equal(formatPercent(-0.5), '-50.00%');
  assert.equal(formatPercent(0.012), '+1.20%');
  // a change that rounds to nothing has no sign (the effects summary read "-0.00%")
  for (const v of [-1e-7, -0, 4e-6]) assert.equal(formatPercent(v), '0.00%', String(v));
  assert.equal(formatChange(-2e-7), '\u22120.000020%');
});

test('a change of probability: both ends and the relative change (the toast of issue #20 read "0.00 → 0.00")', () => {
  assert.equal(formatProbabilityChange(4.5e-5, 1.5e-5), '4.5e-5 \u2192 1.5e-5 (\u221267%)');
  assert.equal(formatProbabilityChange(0.9, 0.45), '0.90 \u2192 0.45 (\u221250%)');
  assert.equal(formatProbabilityChange(0.2, 0.3), '0.20 \u2192 0.30 (+50%)');
});

test('scores: three significant digits, exponent form when very small or large', () => {
  assert.equal(formatScore(0.123456), '0.123');
  assert.equal(formatScore(2.3464343712475966e-7), '2.35e-7');
  assert.equal(formatScore(-4.67583021190876e-7), '-4.68e-7');
  assert.equal(formatScore(123456), '1.23e+5');
  assert.equal(formatScore(0), '0');
  assert.equal(formatScore(Infinity), '—');
});
