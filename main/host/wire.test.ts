import { describe, expect, it } from 'vitest';
import { parseRequest } from './wire.js';

describe('parseRequest', () => {
  it('accepts {id, call, input}', () => {
    expect(parseRequest('{"id":3,"call":"clinic.status","input":{}}')).toEqual({ id: 3, call: 'clinic.status', input: {} });
  });
  it.each(['', 'null', '[]', '{"id":"3","call":"x"}', '{"id":1.5,"call":"x"}', '{"id":1}', '{"id":1,"call":5}', '{broken'])('refuses %s', (text) => {
    expect(parseRequest(text)).toBeNull();
  });
});
