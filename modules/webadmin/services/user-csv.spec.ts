import { describe, expect, it } from 'vitest';
import { parseCsv, userRows } from './user-csv.js';

describe('user import CSV', () => {
  it('parses quoted fields with commas, doubled quotes and line breaks (RFC 4180)', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"multi\nline",x,\n\nlast')).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"'] },
      { line: 2, fields: ['multi\nline', 'x', ''] },
      { line: 5, fields: ['last'] },
    ]);
  });

  it('reads rows under the header and refuses another header', () => {
    expect(userRows('\uFEFFaddress,password,name,quota_mb\nann@a.example,secret-1234,"Lee, Ann",100\n')).toEqual({
      rows: [{ line: 2, address: 'ann@a.example', password: 'secret-1234', name: 'Lee, Ann', quotaMb: '100' }],
    });
    expect(userRows('email,password\nann@a.example,x')).toEqual({ refusal: 'the first line must be address,password,name,quota_mb' });
  });
});
