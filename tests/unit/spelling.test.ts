import { describe, expect, it } from 'vitest';
import { correctQuery, nearestWord } from '../../src/lib/catalog/spelling.ts';

const words = new Map([
  ['flood', 3],
  ['forecasting', 2],
  ['telemedicine', 4],
  ['hospital', 5],
  ['hospitals', 1],
  ['agriculture', 3],
]);

describe('did you mean', () => {
  it('finds the nearest catalog word within one edit for short words and two for long ones', () => {
    expect(nearestWord('flod', words)).toBe('flood');
    expect(nearestWord('telemedecin', words)).toBe('telemedicine');
    expect(nearestWord('flxxd', words)).toBeUndefined();
  });

  it('prefers the commoner word on a tie', () => {
    expect(nearestWord('hospitas', words)).toBe('hospital');
  });

  it('corrects only the unknown words and keeps the rest as typed', () => {
    expect(correctQuery('Flod forcasting for the delta', words)).toBe('flood forecasting for the delta');
    expect(correctQuery('flood forecasting', words)).toBeUndefined();
    expect(correctQuery('xylophonequartzzz', words)).toBeUndefined();
  });
});
